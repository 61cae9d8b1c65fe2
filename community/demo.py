"""Demo data for the quick start and screenshots. Every step is idempotent: it
looks for what it would create and leaves existing rows alone."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from community.models import Profile, User

if TYPE_CHECKING:
    from characters.models import Character
from community.services import user_create

DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "kindred-demo"  # noqa: S105  (a published demo login, by design)


def _demo_user() -> tuple[User, bool]:
    existing = User.objects.filter(email=DEMO_EMAIL).first()
    if existing is not None:
        return existing, False
    user = user_create(
        email=DEMO_EMAIL,
        password=DEMO_PASSWORD,
        handle="demo",
        display_name="Demo",
        email_verified=True,
    )
    Profile.objects.filter(user=user).update(
        bio="I'm the demo account. Look around, chat with a character, make one of your own."
    )
    return user, True


@transaction.atomic
def seed_demo() -> list[str]:
    report = []
    _, created = _demo_user()
    report.append(f"demo user: {'created' if created else 'already there'}")
    # Each app seeds its own part, in dependency order.
    from billing import demo as billing_demo
    from characters import demo as characters_demo
    from chat import demo as chat_demo

    for seeder in (
        characters_demo.seed,
        chat_demo.seed,
        community_seed,
        billing_demo.seed,
    ):
        report.extend(seeder())
    # Engagement from the seeds above shows up in Trending at once.
    from characters.trending import trending_refresh

    trending_refresh()
    return report


BOARDS = [
    ("announcements", "Announcements", "News from the Kindred team.", True),
    ("anime-games", "Anime & Games", "Characters from the worlds you love.", False),
    ("creators-workshop", "Creators' Workshop", "Craft better characters: prompts, lorebooks, feedback.", False),
    ("roleplay-stories", "Roleplay Stories", "Share your best chats and stories.", False),
    ("feedback-help", "Feedback & Help", "Questions, bugs and ideas.", False),
]  # fmt: skip

DEMO_PEOPLE = [
    ("kindred_team", "Kindred Team", "We build Kindred. Say hi on the boards!"),
    ("moonlit_writer", "Moonlit Writer", "I write cozy fantasy characters. Tea first."),
    ("pixel_bard", "Pixel Bard", "Game lore nerd. JRPG companions are my thing."),
    ("quietfox", "Quiet Fox", "Reader, roleplayer, occasional critic."),
]

DEMO_CHARACTERS = [
    ("moonlit_writer", "Lantern Keeper Iris", "Keeps the lighthouse, and your secrets.",
     "*Iris trims the lamp wick.* Another storm tonight, {{user}}. Come in, the kettle is on."),
    ("pixel_bard", "Sir Reginald the Pixel Knight", "A 16-bit hero with 8-bit manners.",
     "*A chiptune fanfare plays.* Hail, {{user}}! Shall we embark upon a QUEST?"),
    ("moonlit_writer", "Professor Quill", "A patient tutor for any subject.",
     "Good morning, {{user}}. What shall we puzzle out today?"),
]  # fmt: skip


def _demo_person(handle: str, name: str, bio: str) -> tuple[User, bool]:
    existing = User.objects.filter(profile__handle=handle).first()
    if existing is not None:
        return existing, False
    user = user_create(
        email=f"{handle}@demo.kindred.invalid",
        password=None,
        handle=handle,
        display_name=name,
        is_staff=handle == "kindred_team",
    )
    Profile.objects.filter(user=user).update(bio=bio)
    return user, True


def community_seed() -> list[str]:
    """Boards, demo people, characters (when the catalog has few), follows,
    likes, ratings, comments, posts on every board, moments and a shared chat.
    Idempotent: each step looks for what it would create."""
    from characters.models import Character
    from characters.selectors import listed
    from characters.services import character_create
    from community import services
    from community.models import (
        Board,
        CharacterRating,
        Comment,
        Follow,
        Moment,
        Post,
    )

    report: list[str] = []
    people: dict[str, User] = {}
    made = 0
    for handle, name, bio in DEMO_PEOPLE:
        people[handle], created = _demo_person(handle, name, bio)
        made += created
    demo = User.objects.get(email=DEMO_EMAIL)
    people["demo"] = demo
    report.append(f"community people: {made} created")

    boards: dict[str, Board] = {}
    made = 0
    for position, (slug, name, description, staff_only) in enumerate(BOARDS):
        board = Board.objects.filter(slug=slug).first()
        if board is None:
            board = services.board_create(
                by=people["kindred_team"],
                slug=slug,
                name=name,
                description=description,
                position=position,
                staff_only_posts=staff_only,
            )
            made += 1
        boards[slug] = board
    report.append(f"boards: {made} created")

    made = 0
    for handle, name, tagline, greeting in DEMO_CHARACTERS:
        owner = people[handle]
        if Character.objects.filter(owner=owner, name=name).exists():
            continue
        character = character_create(
            owner=owner,
            data={"name": name, "description": tagline, "first_mes": greeting},
            meta={"tagline": tagline[:50], "category": "original"},
            publish=True,
        )
        if character.published_version is not None:
            services.moment_post_for_version(version=character.published_version)
        made += 1
    report.append(f"community demo characters: {made} created")
    characters = list(listed(demo).order_by("-trending_score", "pk")[:8])

    for follower, followee in [
        ("demo", "moonlit_writer"),
        ("demo", "pixel_bard"),
        ("quietfox", "moonlit_writer"),
        ("pixel_bard", "moonlit_writer"),
        ("moonlit_writer", "pixel_bard"),
    ]:
        if not Follow.objects.filter(
            follower=people[follower], followee=people[followee]
        ).exists():
            services.user_follow(follower=people[follower], followee=people[followee])
    for i, character in enumerate(characters):
        for j, handle in enumerate(
            ("demo", "quietfox", "pixel_bard", "moonlit_writer")
        ):
            user = people[handle]
            if user.pk == character.owner_id:
                continue
            services.character_like(user=user, character=character)
            if not CharacterRating.objects.filter(
                user=user, character=character
            ).exists():
                services.character_rate(
                    user=user, character=character, stars=5 - (i + j) % 3
                )
            if handle == "demo" and i < 2:
                services.character_follow(user=user, character=character)
    report.append(f"likes, ratings, follows on {len(characters)} characters")

    comments = [
        ("quietfox", "This one is wonderful — the greeting pulled me right in."),
        ("pixel_bard", "Tried a *long* adventure with them. Stays in character!"),
    ]
    made = 0
    for character in characters[:4]:
        if Comment.objects.filter(character=character).exists():
            continue
        for handle, text in comments:
            if people[handle].pk != character.owner_id:
                services.comment_create(
                    author=people[handle], character=character, body=text
                )
                made += 1
    report.append(f"comments: {made} created")

    posts = [
        ("announcements", "kindred_team", "Welcome to the Kindred community!",
         "Follow creators, rate characters and share your best stories. Be kind."),
        ("anime-games", "pixel_bard", "Which JRPG companion should I make next?",
         "Thinking of a cheerful healer or a grumpy mercenary. **Vote below!**"),
        ("creators-workshop", "moonlit_writer", "Tip: example dialogues matter more than adjectives",
         "Two or three short example exchanges teach a character's voice better "
         "than a paragraph of traits. Try it and tell me how it went, @quietfox."),
        ("roleplay-stories", "quietfox", "A stormy night at the lighthouse",
         "My favourite chat this week — Iris told me about the ship that never came back."),
        ("feedback-help", "demo", "How do I import a Character Card?",
         "I have a PNG card from another app. Where do I upload it?"),
    ]  # fmt: skip
    made = 0
    for slug, handle, title, body in posts:
        if Post.objects.filter(board=boards[slug], title=title).exists():
            continue
        post = services.post_create(
            author=people[handle],
            board=boards[slug],
            title=title,
            body=body,
            # The story post embeds the character it tells of.
            character=(
                listed(demo).filter(name="Lantern Keeper Iris").first() or characters[0]
                if slug == "roleplay-stories" and characters
                else None
            ),
        )
        for voter in ("demo", "quietfox", "pixel_bard"):
            if people[voter].pk != post.author_id:
                services.post_vote(post=post, user=people[voter])
        made += 1
    report.append(f"board posts: {made} created")

    made = 0
    for character in characters[:3]:
        if Moment.objects.filter(character=character, version__isnull=True).exists():
            continue
        owner = User.objects.get(pk=character.owner_id)
        services.moment_create(
            author=owner,
            character=character,
            body=f"{character.name} has a new story hook: ask about the old map!",
        )
        made += 1
    report.append(f"moments: {made} created")
    report.append(_seed_share(people["quietfox"], characters))
    return report


def _seed_share(user: User, characters: list[Character]) -> str:
    """One shared chat: the greeting and a question, ready to be continued."""
    from chat.services import ChatError, conversation_start, message_send
    from community import services
    from community.models import SharedChat

    if SharedChat.objects.filter(author=user).exists():
        return "shared chats: already there"
    character = next(
        (c for c in characters if c.owner_id != user.pk),
        None,
    )
    if character is None:
        return "shared chats: no character to chat with"
    try:
        conversation = conversation_start(user=user, character=character)
        # The reply is generated after the seed commits (by a worker, or the
        # quick start's thread); the share snapshots the greeting and the
        # question, so readers can "continue this story" from there.
        message_send(
            conversation=conversation,
            user=user,
            client_id="demo-share-1",
            text="Tell me about the ship that never came back.",
        )
        conversation.refresh_from_db()
        services.share_create(
            user=user,
            conversation=conversation,
            from_seq=1,
            to_seq=2,
            title=f"A stormy night with {character.name}",
            note="My favourite opening so far. Continue it and tell me where it goes!",
        )
    except ChatError as exc:
        return f"shared chats: skipped ({exc.message})"
    return "shared chats: 1 created"
