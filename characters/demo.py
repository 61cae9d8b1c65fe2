"""Demo characters for the quick start: original characters in every category,
owned by a few demo creators, with avatars drawn by code. Idempotent: a
character is looked up by (creator, name) and left alone when it exists."""

from __future__ import annotations

import io

from characters.avatars import avatar_generate
from characters.demo_data import DEMO_CHARACTERS, DEMO_CREATORS
from characters.models import Character
from characters.services import Settings, character_create
from community.models import Profile, User
from community.services import user_create


def _creator(handle: str, display_name: str, bio: str) -> User:
    profile = Profile.objects.select_related("user").filter(handle=handle).first()
    if profile is not None:
        return profile.user
    user = user_create(
        email=f"{handle}@demo.kindred.local",
        password=None,
        handle=handle,
        display_name=display_name,
        email_verified=True,
    )
    Profile.objects.filter(user=user).update(bio=bio)
    return user


def seed() -> list[str]:
    creators = {
        c["handle"]: _creator(c["handle"], c["display_name"], c["bio"])
        for c in DEMO_CREATORS
    }
    created = 0
    for item in DEMO_CHARACTERS:
        owner = creators[item["creator"]]
        if Character.objects.filter(owner=owner, name=item["name"]).exists():
            continue
        data = {
            "name": item["name"],
            "description": item["description"],
            "personality": item["personality"],
            "scenario": item["scenario"],
            "first_mes": item["first_mes"],
            "alternate_greetings": item["alternate_greetings"],
            "mes_example": item["mes_example"],
            "tags": item["tags"],
            "creator": owner.profile.handle,
            "character_version": "1.0",
            "extensions": {},
        }
        if item["lorebook"]:
            data["character_book"] = {
                "name": f"{item['name']}'s world",
                "scan_depth": 4,
                "token_budget": 600,
                "extensions": {},
                "entries": [
                    {"enabled": True, "extensions": {}, **entry}
                    for entry in item["lorebook"]
                ],
            }
        character_create(
            owner=owner,
            data=data,
            meta={
                "tagline": item["tagline"],
                "category": item["category"],
                "style": item["style"],
                "language": "en",
                "content_rating": item["content_rating"],
            },
            switches=Settings(),
            avatar=io.BytesIO(
                avatar_generate(item["name"], initial=item["name"][:1], size=384)
            ),
            avatar_name="avatar.png",
            publish=True,
        )
        created += 1
    return [f"demo characters: {created} created, {Character.objects.count()} in all"]
