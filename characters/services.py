"""Writes for characters: create, edit drafts, publish versions, roll back,
remix, delete, and the avatar. One transaction per use case."""

from __future__ import annotations

import copy
import re
import secrets
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from characters.definition import definition_clean
from characters.models import (
    Category,
    Character,
    CharacterVersion,
    ContentRating,
    Style,
    Tag,
    Visibility,
)
from characters.selectors import definition_hidden_reason, rails_cache_bust
from community.models import User
from config.images import image_clean

MAX_TAGLINE = 50
META_DEFAULTS: dict[str, str] = {
    "tagline": "",
    "category": Category.ORIGINAL,
    "style": Style.NONE,
    "language": "en",
    "content_rating": ContentRating.GENERAL,
}


@dataclass
class Settings:
    """Switches that take effect at once (not versioned)."""

    visibility: str = Visibility.PUBLIC
    definition_visible: bool = True
    remix_allowed: bool = True


@dataclass
class Draft:
    data: dict[str, Any]
    meta: dict[str, str] = field(default_factory=lambda: dict(META_DEFAULTS))


def meta_clean(meta: dict[str, Any]) -> dict[str, str]:
    out = dict(META_DEFAULTS)
    errors: dict[str, list[str]] = {}
    for key in META_DEFAULTS:
        if key in meta and meta[key] is not None:
            if not isinstance(meta[key], str):
                errors.setdefault(key, []).append(f"{key} must be text.")
            else:
                out[key] = meta[key].strip()
    if len(out["tagline"]) > MAX_TAGLINE:
        errors.setdefault("tagline", []).append(
            f"The tagline is {len(out['tagline'])} characters; the limit is {MAX_TAGLINE}."
        )
    for key, choices in (
        ("category", Category),
        ("style", Style),
        ("content_rating", ContentRating),
    ):
        if out[key] not in choices.values:
            allowed = ", ".join(choices.values)
            errors.setdefault(key, []).append(
                f"“{out[key]}” is not a {key.replace('_', ' ')}; choose one of: {allowed}."
            )
    if not LANGUAGE_TAG.fullmatch(out["language"]):
        errors.setdefault("language", []).append(
            "Language is a code such as en, zh, ja or pt-BR."
        )
    if errors:
        raise ValidationError(errors)
    return out


# A BCP 47 language tag as people write them: en, zh, pt-BR, zh-Hant-TW.
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8}){0,3}")


def _clean_all(
    data: dict[str, Any], meta: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    """Validate definition and Kindred fields together, so every problem is
    reported at once."""
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    clean_meta: dict[str, str] = {}
    try:
        clean = definition_clean(data)
    except ValidationError as exc:
        errors.update(
            exc.message_dict
            if hasattr(exc, "error_dict")
            else {"definition": exc.messages}
        )
    try:
        clean_meta = meta_clean(meta)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return clean, clean_meta


def settings_clean(s: Settings) -> Settings:
    if s.visibility not in Visibility.values:
        raise ValidationError(
            {
                "visibility": f"“{s.visibility}” is not one of: {', '.join(Visibility.values)}."
            }
        )
    return s


def _unique_slug(name: str) -> str:
    base = slugify(name, allow_unicode=False)[:60] or "character"
    while True:
        candidate = f"{base}-{secrets.token_hex(3)}"
        if not Character.objects.filter(slug=candidate).exists():
            return candidate


def _apply_listing(
    character: Character, data: dict[str, Any], meta: dict[str, str]
) -> None:
    character.name = data["name"]
    character.tagline = meta["tagline"]
    character.description = data.get("description", "")[:5000]
    character.greeting = data.get("first_mes", "")
    character.category = meta["category"]
    character.style = meta["style"]
    character.language = meta["language"]
    character.content_rating = meta["content_rating"]
    character.tags_text = " ".join(data.get("tags", []))


def _set_tags(character: Character, names: list[str]) -> None:
    existing = {t.name: t for t in Tag.objects.filter(name__in=names)}
    missing = [Tag(name=n) for n in names if n not in existing]
    if missing:
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {t.name: t for t in Tag.objects.filter(name__in=names)}
    character.tags.set([existing[n] for n in names])


def search_vector_refresh(*, character_ids: list[int]) -> None:
    """Recompute the full-text vector (PostgreSQL only; SQLite searches with LIKE).

    Weights: name A; tagline, tags and creator handle B; description C, and
    only when the definition is visible to others (search must not reveal it).
    """
    if connection.vendor != "postgresql" or not character_ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE characters_character c SET search_vector =
                setweight(to_tsvector('simple', coalesce(c.name, '')), 'A') ||
                setweight(to_tsvector('simple', coalesce(c.tagline, '') || ' ' ||
                          coalesce(c.tags_text, '') || ' ' || coalesce(p.handle, '') ||
                          ' ' || coalesce(p.display_name, '')), 'B') ||
                setweight(to_tsvector('english', CASE WHEN c.definition_visible
                          THEN coalesce(c.description, '') ELSE '' END), 'C')
            FROM community_profile p
            WHERE p.user_id = c.owner_id AND c.id = ANY(%s)
            """,
            [character_ids],
        )


def character_avatar_set(
    *, character: Character, upload: IO[bytes], name: str = ""
) -> None:
    cleaned = image_clean(upload, name=name or None, max_side=1024)
    if character.avatar:
        character.avatar.delete(save=False)
    character.avatar.save(cleaned.name or "avatar.png", cleaned, save=False)


@transaction.atomic
def character_create(
    *,
    owner: User,
    data: dict[str, Any],
    meta: dict[str, Any] | None = None,
    switches: Settings | None = None,
    avatar: IO[bytes] | None = None,
    avatar_name: str = "",
    publish: bool = False,
    note: str = "",
    remixed_from: Character | None = None,
) -> Character:
    """Create a character from a definition; as a draft, or published as v1."""
    clean, clean_meta = _clean_all(data, meta or {})
    s = settings_clean(switches or Settings())
    character = Character(
        owner=owner,
        slug=_unique_slug(clean["name"]),
        visibility=s.visibility,
        definition_visible=s.definition_visible,
        remix_allowed=s.remix_allowed,
        remixed_from=remixed_from,
        draft={"data": clean, "meta": clean_meta},
    )
    _apply_listing(character, clean, clean_meta)
    character.save()
    if avatar is not None:
        character_avatar_set(character=character, upload=avatar, name=avatar_name)
        character.save(update_fields=["avatar"])
    _set_tags(character, clean["tags"])
    if publish:
        character_publish(character=character, by=owner, note=note or "First version")
    return character


@dataclass
class DraftSaved:
    """What ``character_draft_save`` did. ``applied`` names what took effect at
    once (``Settings`` fields whose value changed, and ``"avatar"``); the
    definition is in ``character.draft``, which is None when it equals the
    published version (nothing to publish)."""

    character: Character
    applied: list[str] = field(default_factory=list)


@transaction.atomic
def character_draft_save(
    *,
    character: Character,
    data: dict[str, Any],
    meta: dict[str, Any] | None = None,
    switches: Settings | None = None,
    avatar: IO[bytes] | None = None,
    avatar_name: str = "",
) -> DraftSaved:
    """Save the working copy. The catalog keeps showing the published version.

    A definition equal to the published one is no draft: saving without edits,
    or editing back to what is live, leaves (or clears) nothing to publish. The
    settings and the avatar are not versioned and apply at once."""
    _ensure_live(character)
    clean, clean_meta = _clean_all(data, meta or {})
    live = character.published_version
    if live is not None and clean == live.data and clean_meta == live.meta:
        character.draft = None
    else:
        character.draft = {"data": clean, "meta": clean_meta}
    applied: list[str] = []
    if switches is not None:
        s = settings_clean(switches)
        for name in ("visibility", "definition_visible", "remix_allowed"):
            if getattr(character, name) != getattr(s, name):
                setattr(character, name, getattr(s, name))
                applied.append(name)
    if avatar is not None:
        character_avatar_set(character=character, upload=avatar, name=avatar_name)
        applied.append("avatar")
    if not character.is_published:  # nothing public yet: the listing follows the draft
        _apply_listing(character, clean, clean_meta)
        _set_tags(character, clean["tags"])
    character.save()
    search_vector_refresh(character_ids=[character.pk])
    if applied:
        transaction.on_commit(rails_cache_bust)
    return DraftSaved(character=character, applied=applied)


def _ensure_live(character: Character) -> None:
    if character.is_deleted:
        raise ValidationError("This character was deleted and can no longer be edited.")


@transaction.atomic
def character_publish(
    *, character: Character, by: User, note: str = ""
) -> CharacterVersion:
    """Turn the draft into a new immutable version and update the listing."""
    _ensure_live(character)
    locked = Character.objects.select_for_update().get(pk=character.pk)
    if locked.draft is None:
        raise ValidationError("There are no unpublished changes to publish.")
    data = definition_clean(locked.draft["data"])
    meta = meta_clean(locked.draft.get("meta", {}))
    last = (
        locked.versions.order_by("-number").values_list("number", flat=True).first()
        or 0
    )
    version = CharacterVersion.objects.create(
        character=locked,
        number=last + 1,
        data=data,
        meta=meta,
        note=note[:200],
        created_by=by,
    )
    _apply_listing(locked, data, meta)
    locked.published_version = version
    locked.draft = None
    if locked.published_at is None:
        locked.published_at = timezone.now()
    locked.save()
    _set_tags(locked, data["tags"])
    search_vector_refresh(character_ids=[locked.pk])
    transaction.on_commit(rails_cache_bust)
    # Followers hear about it: v1 announces the character, later versions post
    # a moment (once per version).
    from community.services import moment_post_for_version

    moment_post_for_version(version=version)
    character.refresh_from_db()
    return version


@transaction.atomic
def character_rollback(
    *, character: Character, number: int, by: User
) -> CharacterVersion:
    """Publish an old version's definition again, as a new version (history stays)."""
    try:
        old = character.versions.get(number=number)
    except CharacterVersion.DoesNotExist:
        raise ValidationError(f"There is no version {number}.") from None
    character.draft = {"data": copy.deepcopy(old.data), "meta": dict(old.meta)}
    character.save(update_fields=["draft"])
    return character_publish(
        character=character, by=by, note=f"Rolled back to version {number}"
    )


@transaction.atomic
def character_settings_update(*, character: Character, switches: Settings) -> Character:
    _ensure_live(character)
    s = settings_clean(switches)
    character.visibility = s.visibility
    character.definition_visible = s.definition_visible
    character.remix_allowed = s.remix_allowed
    character.save(
        update_fields=[
            "visibility",
            "definition_visible",
            "remix_allowed",
            "updated_at",
        ]
    )
    search_vector_refresh(character_ids=[character.pk])
    transaction.on_commit(rails_cache_bust)
    return character


@transaction.atomic
def character_delete(*, character: Character) -> None:
    """Soft delete: gone from the catalog and from its page; existing chats keep
    their history and become read-only."""
    if character.deleted_at is None:
        character.deleted_at = timezone.now()
        character.save(update_fields=["deleted_at", "updated_at"])
        transaction.on_commit(rails_cache_bust)


def character_definition(character: Character) -> tuple[dict[str, Any], dict[str, str]]:
    """The newest definition: the draft if any, else the published version."""
    if character.draft is not None:
        return character.draft["data"], character.draft.get("meta", dict(META_DEFAULTS))
    if character.published_version is not None:
        return character.published_version.data, character.published_version.meta
    raise ValidationError("This character has no definition.")


@transaction.atomic
def character_remix(*, character: Character, user: User) -> Character:
    """Copy a public, remixable character whose definition the user may read
    into the user's drafts, with attribution."""
    if (
        not character.remix_allowed
        or character.visibility != Visibility.PUBLIC
        or character.published_version is None
        or character.is_deleted
    ):
        raise ValidationError("This character cannot be remixed.")
    hidden = definition_hidden_reason(character=character, user=user)
    if hidden is not None:
        raise ValidationError(f"{hidden} It cannot be remixed.")
    data = copy.deepcopy(character.published_version.data)
    meta = dict(character.published_version.meta)
    copy_ = character_create(
        owner=user,
        data=data,
        meta=meta,
        switches=Settings(visibility=Visibility.PRIVATE),
        remixed_from=character,
    )
    if character.avatar:
        with character.avatar.open("rb") as fh:
            character_avatar_set(
                character=copy_, upload=fh, name=character.avatar.name or ""
            )
        copy_.save(update_fields=["avatar"])
    Character.objects.filter(pk=character.pk).update(remix_count=F("remix_count") + 1)
    return copy_
