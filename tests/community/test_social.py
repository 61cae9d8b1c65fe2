"""Likes, ratings, follows and blocks: services and API, counters agree with
rows, bad input is refused with nothing saved."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.test import Client
from rest_framework.test import APIClient

from characters.models import Character
from community import services
from community.models import (
    Block,
    Board,
    CharacterFollow,
    CharacterLike,
    CharacterRating,
    Comment,
    Follow,
    Notification,
    Post,
    User,
)

pytestmark = pytest.mark.django_db


def _api(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_counters_agree_with_rows_after_random_activity(
    make_user: Callable[..., User], make_character: Callable[..., Character]
) -> None:
    owner = make_user("maker")
    chars = [make_character(owner, f"Char {i}") for i in range(3)]
    users = [make_user(f"fan{i}") for i in range(6)]
    rng = random.Random(5)
    for _ in range(200):
        user, character = rng.choice(users), rng.choice(chars)
        action = rng.choice(["like", "unlike", "rate", "unrate"])
        if action == "like":
            services.character_like(user=user, character=character)
        elif action == "unlike":
            services.character_unlike(user=user, character=character)
        elif action == "rate":
            services.character_rate(
                user=user, character=character, stars=rng.randint(1, 5)
            )
        else:
            services.character_unrate(user=user, character=character)
    for character in chars:
        character.refresh_from_db()
        likes = CharacterLike.objects.filter(character=character).count()
        agg = CharacterRating.objects.filter(character=character).aggregate(
            n=Count("pk"), s=Sum("stars")
        )
        assert character.likes_count == likes
        assert character.rating_count == agg["n"]
        assert character.rating_sum == (agg["s"] or 0)
    assert sum(c.likes_count for c in chars) > 0


def test_like_api_and_rating_changes(
    user: User, other_user: User, make_character: Callable[..., Character]
) -> None:
    character = make_character(other_user)
    client = _api(user)
    r = client.post(f"/api/v1/characters/{character.slug}/like/")
    assert r.status_code == 201 and r.json()["likes_count"] == 1
    assert client.post(f"/api/v1/characters/{character.slug}/like/").status_code == 200
    r = client.put(
        f"/api/v1/characters/{character.slug}/rating/", {"stars": 4}, format="json"
    )
    assert r.json() == {"stars": 4, "rating_average": 4.0, "rating_count": 1}
    r = client.put(
        f"/api/v1/characters/{character.slug}/rating/", {"stars": 2}, format="json"
    )
    assert r.json() == {"stars": 2, "rating_average": 2.0, "rating_count": 1}
    r = client.delete(f"/api/v1/characters/{character.slug}/like/")
    assert r.json() == {"liked": False, "likes_count": 0}


@pytest.mark.parametrize("stars", [0, 6, "5", 4.5, None, True])
def test_bad_rating_is_refused_and_nothing_saved(
    user: User,
    other_user: User,
    make_character: Callable[..., Character],
    stars: object,
) -> None:
    character = make_character(other_user)
    r = _api(user).put(
        f"/api/v1/characters/{character.slug}/rating/", {"stars": stars}, format="json"
    )
    assert r.status_code == 400
    assert "1 to 5" in r.json()["error"]
    assert not CharacterRating.objects.exists()
    character.refresh_from_db()
    assert (character.rating_count, character.rating_sum) == (0, 0)


def test_private_character_cannot_be_liked_rated_or_followed_by_others(
    user: User, other_user: User, make_character: Callable[..., Character]
) -> None:
    secret = make_character(other_user, "Secret", visibility="private")
    client = _api(user)
    base = f"/api/v1/characters/{secret.slug}"
    assert client.post(f"{base}/like/").status_code == 404
    assert client.put(f"{base}/rating/", {"stars": 5}, format="json").status_code == 404
    assert client.post(f"{base}/follow/").status_code == 404
    assert client.get(f"{base}/comments/").status_code == 404
    assert not CharacterLike.objects.exists()
    assert not CharacterFollow.objects.exists()


def test_follow_users_and_characters(
    user: User, other_user: User, make_character: Callable[..., Character]
) -> None:
    client = _api(user)
    assert client.post("/api/v1/users/bob/follow/").status_code == 201
    assert Follow.objects.filter(follower=user, followee=other_user).exists()
    r = client.post("/api/v1/users/alice/follow/")
    assert r.status_code == 400 and "yourself" in r.json()["error"]
    character = make_character(other_user)
    assert (
        client.post(f"/api/v1/characters/{character.slug}/follow/").status_code == 201
    )
    assert (
        client.delete(f"/api/v1/characters/{character.slug}/follow/").status_code == 200
    )
    assert not CharacterFollow.objects.exists()
    assert client.delete("/api/v1/users/bob/follow/").json() == {"following": False}


def test_anonymous_cannot_write(
    other_user: User, make_character: Callable[..., Character]
) -> None:
    character = make_character(other_user)
    client = _api(None)
    for method, url in [
        ("post", f"/api/v1/characters/{character.slug}/like/"),
        ("put", f"/api/v1/characters/{character.slug}/rating/"),
        ("post", f"/api/v1/characters/{character.slug}/follow/"),
        ("post", f"/api/v1/characters/{character.slug}/comments/"),
        ("post", "/api/v1/users/bob/follow/"),
        ("post", "/api/v1/users/bob/block/"),
        ("get", "/api/v1/notifications/"),
        ("get", "/api/v1/feed/?kind=home"),
    ]:
        assert getattr(client, method)(url).status_code in (401, 403), url


def test_block_stops_follows_comments_and_mentions(
    user: User, other_user: User, make_character: Callable[..., Character]
) -> None:
    character = make_character(user, "Alice's")
    services.user_follow(follower=other_user, followee=user)
    services.character_follow(user=other_user, character=character)
    r = _api(user).post("/api/v1/users/bob/block/")
    assert r.status_code == 201
    # Blocking ends the follows.
    assert not Follow.objects.filter(follower=other_user).exists()
    assert not CharacterFollow.objects.filter(user=other_user).exists()
    bob = _api(other_user)
    r = bob.post("/api/v1/users/alice/follow/")
    assert r.status_code == 404  # as her profile is
    r = bob.post(
        f"/api/v1/characters/{character.slug}/comments/", {"body": "hi"}, format="json"
    )
    assert r.status_code == 400 and r.json()["error"] == "You cannot comment here."
    with pytest.raises(ValidationError, match="cannot comment"):
        services.comment_create(author=other_user, character=character, body="hi")
    # A mention of Alice reaches nobody and links nowhere.
    comment = services.comment_create(
        author=other_user,
        character=make_character(other_user, "Bob's"),
        body="hey @alice look",
    )
    assert "/@alice" not in comment.body_html
    assert not Notification.objects.filter(recipient=user, kind="mention").exists()
    assert not Follow.objects.filter(follower=other_user).exists()
    assert Block.objects.count() == 1
    assert _api(user).delete("/api/v1/users/bob/block/").json() == {"blocked": False}
    assert bob.post("/api/v1/users/alice/follow/").status_code == 201


def test_a_blocked_user_learns_no_more_than_from_a_missing_handle(
    user: User, other_user: User, board: Board
) -> None:
    """Alice blocks Bob: for Bob, every route under her handle answers as for
    a handle that does not exist, as her profile does, and a mention of her
    is as inert as a mention of nobody (no error, no link, no notification)."""
    services.user_follow(follower=other_user, followee=user)
    services.user_block(blocker=user, blocked=other_user)
    bob = _api(other_user)
    for method in ("post", "delete"):
        for what in ("follow", "block"):
            alice = getattr(bob, method)(f"/api/v1/users/alice/{what}/")
            nobody = getattr(bob, method)(f"/api/v1/users/nobody_here/{what}/")
            assert (
                (alice.status_code, alice.json())
                == (
                    nobody.status_code,
                    nobody.json(),
                )
                == (
                    404,
                    {"error": "No such profile.", "fields": {}, "code": "not_found"},
                )
            ), (method, what)
    page = Client()
    page.force_login(other_user)
    for url in ("/@{}", "/@{}/follow/", "/@{}/block/"):
        do = page.get if url == "/@{}" else page.post
        assert do(url.format("alice")).status_code == 404, url
        assert do(url.format("nobody_here")).status_code == 404, url
    for body in ("Hi @alice!", "Hi @nobody_here!"):
        r = bob.post(
            f"/api/v1/boards/{board.slug}/posts/",
            {"title": "Hello", "body": body},
            format="json",
        )
        assert r.status_code == 201, r.content
        assert r.json()["body_html"] == f"<p>{body}</p>\n"
    assert Post.objects.count() == 2
    assert not Notification.objects.filter(recipient=user, kind="mention").exists()
    assert list(Block.objects.values_list("blocker", "blocked")) == [
        (user.pk, other_user.pk)
    ]
    assert not Follow.objects.exists()
    # Alice, who blocked him, still reaches his profile, and is told why not.
    r = _api(user).post("/api/v1/users/bob/follow/")
    assert r.status_code == 400 and r.json()["error"] == "You cannot follow this user."


def test_a_blockers_character_stays_readable_and_refuses_interaction(
    user: User, other_user: User, make_character: Callable[..., Character]
) -> None:
    """A block hides no character (its page and the characters API show it,
    as docs/community.md says): the community page and its comments are
    readable too, and like, rate, follow and comment refuse with a sentence,
    both ways, saving nothing."""
    aria = make_character(user, "Aria")
    bobs = make_character(other_user, "Bobby")
    services.user_block(blocker=user, blocked=other_user)
    page = Client()
    page.force_login(other_user)
    bob = _api(other_user)
    for url in (
        f"/c/{aria.slug}/",
        f"/community/c/{aria.slug}/",
    ):
        assert page.get(url).status_code == 200, url
    for url in (
        f"/api/v1/characters/{aria.slug}/",
        f"/api/v1/characters/{aria.slug}/comments/",
    ):
        assert bob.get(url).status_code == 200, url
    for who, character in ((other_user, aria), (user, bobs)):
        api = _api(who)
        base = f"/api/v1/characters/{character.slug}"
        for r, detail in (
            (api.post(f"{base}/like/"), "You cannot like this character."),
            (
                api.put(f"{base}/rating/", {"stars": 4}, format="json"),
                "You cannot rate this character.",
            ),
            (api.post(f"{base}/follow/"), "You cannot follow this character."),
            (
                api.post(f"{base}/comments/", {"body": "hi"}, format="json"),
                "You cannot comment here.",
            ),
        ):
            assert (r.status_code, r.json()["error"]) == (400, detail)
    # The page's buttons say the same.
    base = f"/community/c/{aria.slug}"
    for url, data, message in (
        (f"{base}/like/", {}, "You cannot like this character."),
        (f"{base}/rate/", {"stars": "4"}, "You cannot rate this character."),
        (f"{base}/follow/", {}, "You cannot follow this character."),
        (f"{base}/comments/", {"body": "hi"}, "You cannot comment here."),
    ):
        answer = page.post(url, data, follow=True)
        assert answer.status_code == 200, url
        assert message in answer.content.decode(), url
    assert not CharacterLike.objects.exists()
    assert not CharacterRating.objects.exists()
    assert not CharacterFollow.objects.exists()
    assert not Comment.objects.exists()
    aria.refresh_from_db()
    assert (aria.likes_count, aria.rating_count) == (0, 0)
