"""Shared chat logs: snapshot, privacy, bad ranges, unpublish, like/comment,
"Continue this story"."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from django.test import Client
from rest_framework.test import APIClient

from characters.models import Character
from chat.models import Alternative, Conversation, Message
from chat.services import conversation_start, exchange_append
from community import services
from community.models import (
    Board,
    Comment,
    FeedEvent,
    Notification,
    SharedChat,
    SharedChatLike,
    User,
)

# Chat's generation hands its database connection back between flushes, which
# cannot happen inside a test's wrapping transaction: these tests commit.
pytestmark = pytest.mark.django_db(transaction=True)


def _api(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def story(
    user: User,
    other_user: User,
    make_character: Callable[..., Character],
    make_conversation: Callable[..., Conversation],
) -> Conversation:
    character = make_character(other_user, "Mira")
    return make_conversation(user, character, turns=2)


def test_share_snapshot_survives_edits_and_deletion(
    user: User, other_user: User, story: Conversation
) -> None:
    assert story.last_seq == 5  # greeting + 2 × (user, reply)
    r = _api(user).post(
        "/api/v1/shares/",
        {"conversation": story.pk, "from_seq": 2, "to_seq": 5, "title": "Harbour"},
        format="json",
    )
    assert r.status_code == 201, r.content
    share_id = r.json()["id"]
    turns = r.json()["turns"]
    assert [t["author"] for t in turns] == ["user", "character", "user", "character"]
    assert turns[0] == {
        "author": "user",
        "name": "Alice",
        "text": "Line 0 from the user",
    }
    # Later edits and deletion of the conversation do not change the share.
    Alternative.objects.filter(message__conversation=story).update(text="EDITED")
    story.delete()
    r = _api(other_user).get(f"/api/v1/shares/{share_id}/")
    assert r.status_code == 200
    assert r.json()["turns"] == turns
    html = Client().get(f"/community/s/{share_id}/").content.decode()
    assert "Line 0 from the user" in html and "EDITED" not in html


def test_hide_persona_name(user: User, story: Conversation) -> None:
    share = services.share_create(
        user=user,
        conversation=story,
        from_seq=1,
        to_seq=3,
        title="t",
        hide_persona=True,
    )
    names = {t["name"] for t in share.turns if t["author"] == "user"}
    assert names == {"Reader"}
    assert "Alice" not in str(share.turns)


def test_hide_persona_name_hides_it_in_the_texts_too(
    user: User, other_user: User, make_character: Callable[..., Character]
) -> None:
    """The greeting said "Another storm tonight, Alice." wherever the card
    wrote {{user}}: a hidden persona's name must go from the texts as well
    (and from what "Continue this story" copies), not only from the labels."""
    character = make_character(other_user, "Iris")
    data = dict(character.published_version.data)
    data["first_mes"] = "Another storm tonight, {{user}}. Sit, {{user}}!"
    from characters.services import character_draft_save, character_publish

    character_draft_save(character=character, data=data)
    character_publish(character=character, by=other_user)
    story = conversation_start(user=user, character=character)
    exchange_append(
        conversation=story, user_text="Alice here; Alice is tired.", reply_text="Rest."
    )
    story.refresh_from_db()
    share = services.share_create(
        user=user, conversation=story, from_seq=1, to_seq=3, title="t",
        hide_persona=True,
    )  # fmt: skip
    texts = [t["text"] for t in share.turns]
    assert texts == [
        "Another storm tonight, Reader. Sit, Reader!",
        "Reader here; Reader is tired.",
        "Rest.",
    ]
    shown = services.share_create(
        user=user, conversation=story, from_seq=1, to_seq=1, title="t"
    )
    assert shown.turns[0]["text"] == "Another storm tonight, Alice. Sit, Alice!"


@pytest.mark.parametrize(
    ("payload", "status", "message"),
    [
        ({"from_seq": 0, "to_seq": 2}, 400, "start at 1"),
        ({"from_seq": 3, "to_seq": 2}, 400, "not end before"),
        ({"from_seq": 1, "to_seq": 99}, 400, "has 5 messages"),
        (
            {"from_seq": "1", "to_seq": 2},
            400,
            "“from_seq” must be a message number, not text.",
        ),
        ({"from_seq": 1, "to_seq": 2, "title": ""}, 400, "cannot be empty"),
        ({"from_seq": 1, "to_seq": 2, "title": "x" * 201}, 400, "limit is 200"),
    ],
)
def test_bad_ranges_and_titles_save_nothing(
    user: User,
    story: Conversation,
    payload: dict[str, object],
    status: int,
    message: str,
) -> None:
    body = {"conversation": story.pk, "title": "ok", **payload}
    r = _api(user).post("/api/v1/shares/", body, format="json")
    assert r.status_code == status
    assert message in r.json()["error"]
    assert (
        not SharedChat.objects.exists()
        and not FeedEvent.objects.filter(kind="share").exists()
    )


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        (
            {"hide_persona": "maybe"},
            "hide_persona",
            "“hide_persona” must be true or false, not text.",
        ),
        (
            {"hide_persona": 0},
            "hide_persona",
            "“hide_persona” must be true or false, not a number.",
        ),
        ({"title": 123}, "title", "“title” must be text, not a number."),
        ({"note": {"x": 1}}, "note", "“note” must be text, not an object."),
        (
            {"from_seq": True},
            "from_seq",
            "“from_seq” must be a message number, not true or false.",
        ),
        ({"to_seq": None}, "to_seq", "“to_seq” is required: a message number."),
        (
            {"conversation": "1"},
            "conversation",
            "“conversation” must be a conversation id, not text.",
        ),
        ({"title": "a\u0000b"}, "title", "The title has a NUL character (\\u0000)."),
        (
            {"note": "a\ud800b"},
            "note",
            "The note has a broken character (a lone UTF-16 surrogate).",
        ),
        ({"title": "\u200b\u3164"}, "title", "The title cannot be empty."),
    ],
)
def test_bad_share_fields_are_refused_by_name(
    user: User,
    story: Conversation,
    payload: dict[str, object],
    field: str,
    message: str,
) -> None:
    body = {"conversation": story.pk, "from_seq": 1, "to_seq": 2, "title": "ok"}
    # json.dumps escapes a lone surrogate as a client would.
    r = _api(user).post(
        "/api/v1/shares/",
        json.dumps({**body, **payload}),
        content_type="application/json",
    )
    assert r.status_code == 400, r.content
    assert r.json() == {"error": message, "fields": {field: [message]}}
    assert not SharedChat.objects.exists()


def test_a_note_of_invisible_characters_is_no_note(
    user: User, story: Conversation
) -> None:
    r = _api(user).post(
        "/api/v1/shares/",
        {
            "conversation": story.pk,
            "from_seq": 1,
            "to_seq": 2,
            "title": "Harbour",
            "note": "\u200b\u2060",
            "hide_persona": True,
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    assert (r.json()["note"], r.json()["note_html"]) == ("", "")
    assert r.json()["hide_persona"] is True


def test_share_comments_refuse_wrong_types_and_nul(
    user: User, other_user: User, story: Conversation
) -> None:
    share = services.share_create(
        user=user, conversation=story, from_seq=1, to_seq=2, title="Harbour"
    )
    url = f"/api/v1/shares/{share.pk}/comments/"
    for payload, message in (
        ({"body": ["hi"]}, "“body” must be text, not an array."),
        ({"body": "a\u0000b"}, "A comment has a NUL character (\\u0000)."),
    ):
        r = _api(other_user).post(
            url, json.dumps(payload), content_type="application/json"
        )
        assert r.status_code == 400, r.content
        assert r.json() == {"error": message, "fields": {"body": [message]}}
    assert not Comment.objects.exists()


def test_sharing_someone_elses_conversation_is_404(
    other_user: User, staff_user: User, story: Conversation
) -> None:
    for who in (other_user, staff_user):
        r = _api(who).post(
            "/api/v1/shares/",
            {"conversation": story.pk, "from_seq": 1, "to_seq": 2, "title": "mine"},
            format="json",
        )
        assert r.status_code == 404
    r = _api(None).post(
        "/api/v1/shares/",
        {"conversation": story.pk, "from_seq": 1, "to_seq": 2, "title": "x"},
        format="json",
    )
    assert r.status_code in (401, 403)
    assert not SharedChat.objects.exists()


def test_chats_with_private_characters_cannot_be_shared(
    user: User,
    make_character: Callable[..., Character],
    make_conversation: Callable[..., Conversation],
) -> None:
    mine = make_character(user, "Secret", visibility="private")
    conversation = make_conversation(user, mine, turns=1)
    r = _api(user).post(
        "/api/v1/shares/",
        {"conversation": conversation.pk, "from_seq": 1, "to_seq": 3, "title": "x"},
        format="json",
    )
    assert r.status_code == 400 and "private" in r.json()["error"]
    assert not SharedChat.objects.exists()


def test_share_visibility_matrix_and_unpublish(
    user: User,
    other_user: User,
    staff_user: User,
    make_user: Callable[..., User],
    story: Conversation,
) -> None:
    blocked = make_user("mallory")
    services.user_block(blocker=user, blocked=blocked)
    share = services.share_create(
        user=user, conversation=story, from_seq=1, to_seq=5, title="Tale"
    )
    url = f"/api/v1/shares/{share.pk}/"
    expect = {user: 200, other_user: 200, staff_user: 200, blocked: 404, None: 200}
    for who, status in expect.items():
        assert _api(who).get(url).status_code == status, who
    assert _api(other_user).delete(url).status_code == 403
    assert _api(user).delete(url).status_code == 204
    expect = {user: 200, other_user: 404, staff_user: 404, blocked: 404, None: 404}
    for who, status in expect.items():
        assert _api(who).get(url).status_code == status, who
    assert not FeedEvent.objects.filter(share=share).exists()
    # When the character turns private, the share disappears for everyone but
    # the character's owner (bob), even for the share's author.
    share2 = services.share_create(
        user=user, conversation=story, from_seq=1, to_seq=3, title="Tale 2"
    )
    Character.objects.filter(pk=story.character_id).update(visibility="private")
    assert _api(staff_user).get(f"/api/v1/shares/{share2.pk}/").status_code == 404
    assert _api(user).get(f"/api/v1/shares/{share2.pk}/").status_code == 404
    assert _api(other_user).get(f"/api/v1/shares/{share2.pk}/").status_code == 200
    assert "Tale 2" not in str(_api(staff_user).get("/api/v1/feed/?kind=new").json())


def test_like_comment_and_notifications(
    user: User, other_user: User, carol: User, story: Conversation
) -> None:
    share = services.share_create(
        user=user, conversation=story, from_seq=1, to_seq=5, title="Tale"
    )
    assert _api(other_user).post(f"/api/v1/shares/{share.pk}/like/").status_code == 201
    assert _api(carol).post(f"/api/v1/shares/{share.pk}/like/").status_code == 201
    r = _api(other_user).post(
        f"/api/v1/shares/{share.pk}/comments/", {"body": "what a tale"}, format="json"
    )
    assert r.status_code == 201
    share.refresh_from_db()
    assert share.likes_count == 2 == SharedChatLike.objects.count()
    assert share.comments_count == 1 == Comment.objects.filter(share=share).count()
    kinds = sorted(
        (n.kind, n.count) for n in Notification.objects.filter(recipient=user)
    )
    assert kinds == [("comment", 1), ("like", 2)]
    body = _api(None).get(f"/api/v1/shares/{share.pk}/comments/").json()
    assert [c["body"] for c in body["results"]] == ["what a tale"]
    # Its character turned private: the share is a 404 for its author now, so
    # the notifications stop pointing at it.
    assert len(_api(user).get("/api/v1/notifications/").json()["results"]) == 2
    Character.objects.filter(pk=story.character_id).update(visibility="private")
    assert _api(user).get(f"/api/v1/shares/{share.pk}/").status_code == 404
    assert _api(user).get("/api/v1/notifications/").json()["results"] == []


def test_continue_this_story_forks_a_private_conversation(
    user: User, other_user: User, story: Conversation
) -> None:
    share = services.share_create(
        user=user, conversation=story, from_seq=2, to_seq=5, title="Tale"
    )
    r = _api(other_user).post(f"/api/v1/shares/{share.pk}/continue/")
    assert r.status_code == 201, r.content
    fork = Conversation.objects.get(pk=r.json()["conversation"])
    assert fork.owner_id == other_user.pk and fork.character_id == story.character_id
    texts = [
        m.alternatives.get(index=m.selected).text
        for m in Message.objects.filter(conversation=fork).order_by("seq")
    ]
    assert texts == [t["text"] for t in share.turns]
    assert fork.last_seq == 4
    # It is private to the viewer: the sharer cannot open it.
    assert _api(user).get(f"/api/v1/conversations/{fork.pk}/").status_code == 404
    assert _api(other_user).get(f"/api/v1/conversations/{fork.pk}/").status_code == 200
    assert _api(None).post(f"/api/v1/shares/{share.pk}/continue/").status_code in (
        401,
        403,
    )


def test_share_page_and_form(user: User, board: Board, story: Conversation) -> None:
    client = Client()
    client.force_login(user)
    form = client.get(f"/community/s/new/?conversation={story.pk}")
    assert form.status_code == 200
    r = client.post(
        "/community/s/new/",
        {"conversation": story.pk, "title": "", "from_seq": 1, "to_seq": 5},
    )
    assert r.status_code == 400 and "The title cannot be empty." in r.content.decode()
    r = client.post(
        "/community/s/new/",
        {"conversation": story.pk, "title": "Nice", "from_seq": 1, "to_seq": 5},
    )
    assert r.status_code == 302
    share = SharedChat.objects.get()
    page = client.get(r["Location"]).content.decode()
    assert "Continue this story" in page and "shared-log" in page
    post = services.post_create(author=user, board=board, title="Read", share=share)
    assert "Nice" in client.get(post.get_absolute_url()).content.decode()
    r = client.post(f"/community/s/{share.pk}/continue/")
    assert r.status_code == 302
    assert Conversation.objects.filter(owner=user).count() == 2


def test_shared_messages_render_as_markdown_like_the_chat(
    user: User, other_user: User, make_character: Callable[..., Character]
) -> None:
    conversation = conversation_start(
        user=user, character=make_character(other_user, "Mira")
    )
    exchange_append(
        conversation=conversation,
        user_text="*waves* Hello\nthere <script>alert(1)</script>",
        reply_text="*Mira bows.* **Welcome**, friend.",
    )
    conversation.refresh_from_db()
    share = services.share_create(
        user=user, conversation=conversation, from_seq=2, to_seq=3, title="Hello"
    )
    page = Client().get(share.get_absolute_url()).content.decode()
    log = page[page.index('class="shared-log"') :]
    assert "<em>waves</em> Hello<br>" in log  # a line break is a break, as in chat
    assert "<em>Mira bows.</em> <strong>Welcome</strong>, friend." in log
    assert "<script>" not in log and "*waves*" not in log


def test_share_form_picks_the_range_from_the_messages(
    user: User, story: Conversation, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chat import selectors as chat_selectors

    client = Client()
    client.force_login(user)
    html = client.get(f"/community/s/new/?conversation={story.pk}").content.decode()
    # Each message by number, speaker and first words; the whole chat preselected.
    assert '<select id="id_from" name="from_seq">' in html
    assert '<option value="2">#2 · Alice: Line 0 from the user</option>' in html
    assert re.search(r'<option value="1" selected>#1 · Mira: ', html)
    assert re.search(r'id="id_to" name="to_seq">.*<option value="5" selected>', html)
    # A chat too long to list takes numbers instead.
    monkeypatch.setattr(chat_selectors, "OUTLINE_LIMIT", 3)
    html = client.get(f"/community/s/new/?conversation={story.pk}").content.decode()
    assert 'type="number" name="from_seq"' in html and "<select" not in html


def _gone(html: str, share: SharedChat) -> bool:
    """The share's card is not on the page (the embed says it is not available)."""
    return share.get_absolute_url() not in html and share.title not in html


@pytest.mark.parametrize("change", ["private", "deleted", "mature", "block"])
def test_post_embeds_a_share_only_for_who_may_open_it(
    user: User,
    other_user: User,
    carol: User,
    board: Board,
    story: Conversation,
    change: str,
) -> None:
    """The share embed follows the share page's rule, read when shown: once
    Mira (Bob's) turns private, is deleted or becomes mature, or Carol blocks
    the share's author, the card is gone for Carol from every page and API
    that embeds it (the board page even with its rows cached), while Bob,
    who may still open the share, keeps it."""
    share = services.share_create(
        user=user, conversation=story, from_seq=1, to_seq=5, title="Harbour tale"
    )
    post = services.post_create(
        author=other_user, board=board, title="Read this", share=share
    )
    services.user_follow(follower=carol, followee=other_user)
    viewers: list[User | None] = [carol] if change == "block" else [carol, None]
    pages = [
        post.get_absolute_url(),
        f"/community/b/{board.slug}/",
        "/community/?feed=new",
        "/community/?feed=trending",
    ]

    def client(who: User | None) -> Client:
        c = Client()
        if who is not None:
            c.force_login(who)
        return c

    for who in viewers:  # shown, and the board rows now cached
        for url in pages:
            assert share.get_absolute_url() in client(who).get(url).content.decode()
    mira = story.character
    bob = _api(other_user)
    if change == "private":
        r = bob.patch(
            f"/api/v1/characters/{mira.slug}/", {"visibility": "private"}, format="json"
        )
        assert r.status_code == 200, r.content
    elif change == "deleted":
        assert bob.delete(f"/api/v1/characters/{mira.slug}/").status_code == 204
    elif change == "mature":
        Character.objects.filter(pk=mira.pk).update(content_rating="mature")
    else:
        assert _api(carol).post("/api/v1/users/alice/block/").status_code == 201
    for who in viewers:
        assert client(who).get(share.get_absolute_url()).status_code == 404
        for url in [*pages, "/community/?feed=home"] if who else pages:
            page = client(who).get(url)
            assert page.status_code == 200, url
            html = page.content.decode()
            assert "Read this" in html, url
            assert _gone(html, share), (url, who)
            assert "This shared chat is not available." in html, url
        api = _api(who)
        posts = api.get(f"/api/v1/boards/{board.slug}/posts/").json()["results"]
        assert [(p["id"], p["share"]) for p in posts] == [(post.pk, None)]
        for kind in ("new", "trending"):
            items = api.get(f"/api/v1/feed/?kind={kind}").json()["results"]
            embedded = [i["post"]["share"] for i in items if i["post"]]
            assert embedded == [None], kind
    if change in ("private", "mature"):  # Bob, Mira's owner, may still open it
        html = client(other_user).get(f"/community/b/{board.slug}/").content.decode()
        assert share.get_absolute_url() in html
        posts = bob.get(f"/api/v1/boards/{board.slug}/posts/").json()["results"]
        assert [p["share"] for p in posts] == [share.pk]


def test_unpublishing_someone_elses_share_is_the_sites_403_page(
    user: User, other_user: User, story: Conversation
) -> None:
    share = services.share_create(
        user=user, conversation=story, from_seq=1, to_seq=3, title="Tale"
    )
    bob = Client()
    bob.force_login(other_user)
    r = bob.post(f"/community/s/{share.pk}/unpublish/")
    assert r.status_code == 403
    html = r.content.decode()
    # The site's page (layout, navigation), saying why; not Django's bare one.
    assert "<title>Not allowed · Kindred</title>" in html
    assert 'class="topbar"' in html and "Go home" in html
    assert "Only the author can unpublish a shared chat." in html
    share.refresh_from_db()
    assert share.unpublished_at is None


def test_the_shares_author_pins_a_comment_under_it(
    user: User, other_user: User, carol: User, story: Conversation
) -> None:
    """Pinning under a shared chat looked for a post and raised DoesNotExist
    (a 500); only the share's author pins, and the refusal says who may."""
    from django.core.exceptions import PermissionDenied

    share = services.share_create(
        user=user, conversation=story, from_seq=1, to_seq=3, title="Tale"
    )
    comment = services.comment_create(author=carol, share=share, body="Lovely")
    with pytest.raises(PermissionDenied, match="Only the shared chat's author"):
        services.comment_pin(comment=comment, user=other_user)
    services.comment_pin(comment=comment, user=user)
    comment.refresh_from_db()
    assert comment.pinned
