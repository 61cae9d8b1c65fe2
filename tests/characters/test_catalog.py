from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from characters.models import Character
from characters.selectors import catalog_page
from characters.trending import trending_refresh, trending_value
from community.services import profile_update

pytestmark = pytest.mark.django_db


def _names(page) -> list[str]:
    return [c.name for c in page.items]


def test_search_ranks_name_matches_and_tolerates_typos(user, make_character) -> None:
    make_character(
        user,
        "Captain Selene Marrow",
        tagline="space pirate",
        description="A pirate of the outer rings.",
    )
    make_character(
        user,
        "Quiet Librarian",
        description="She keeps a library of maps.",
        tags=["library", "books"],
    )
    make_character(user, "Gardener", description="Tends roses.")
    assert _names(catalog_page(user=user, q="librarian")) == ["Quiet Librarian"]
    assert _names(catalog_page(user=user, q="maps")) == [
        "Quiet Librarian"
    ]  # description
    assert _names(catalog_page(user=user, q="Selen")) == [
        "Captain Selene Marrow"
    ]  # prefix-ish typo
    assert _names(catalog_page(user=user, q="Librarain")) == [
        "Quiet Librarian"
    ]  # transposed letters
    assert _names(catalog_page(user=user, q="alice")) != []  # creator handle
    # A tag searched as the pages show it.
    assert _names(catalog_page(user=user, q="#books")) == ["Quiet Librarian"]
    assert _names(catalog_page(user=user, q="## library")) == ["Quiet Librarian"]
    assert _names(catalog_page(user=user, q="zzzz qqqq")) == []


def test_search_pages_filters_and_odd_input(user, make_character) -> None:
    """Search pages by cursor without repeats or gaps, honours category and tag
    filters, ranks name matches first, and treats any text as text."""
    for i in range(7):
        make_character(user, f"Harbour Keeper {i}", category="story", tags=["sea"])
    make_character(
        user, "Lighthouse", category="anime", description="A harbour keeper."
    )
    make_character(user, "Keeper of Tags", category="story", tags=["land"])
    seen: list[str] = []
    cursor = None
    while True:
        page = catalog_page(user=user, q="harbour keeper", size=3, cursor=cursor)
        seen += _names(page)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert len(seen) == len(set(seen))  # no repeats across pages
    assert set(seen) >= {f"Harbour Keeper {i}" for i in range(7)} | {"Lighthouse"}
    assert seen.index("Lighthouse") > 6  # name matches rank above description ones
    assert set(_names(catalog_page(user=user, q="keeper", category="anime"))) == {
        "Lighthouse"
    }
    assert set(_names(catalog_page(user=user, q="keeper", tag="land"))) == {
        "Keeper of Tags"
    }
    for odd in ["'; DROP TABLE x; --", "%_\\", '"unclosed', "-keeper", "of the", "🦜"]:
        catalog_page(user=user, q=odd)  # no error, whatever it finds
    assert _names(catalog_page(user=user, q="keeper -harbour")) == ["Keeper of Tags"]


def test_filters_by_category_and_tag(user, make_character) -> None:
    make_character(user, "Tutor", category="helpers", tags=["study"])
    make_character(user, "Dragon", category="anime", tags=["fantasy"])
    assert _names(catalog_page(user=user, category="helpers")) == ["Tutor"]
    assert _names(catalog_page(user=user, tag="fantasy")) == ["Dragon"]
    assert _names(catalog_page(user=user, tag="FANTASY")) == ["Dragon"]
    with pytest.raises(ValueError, match="Unknown category"):
        catalog_page(user=user, category="nope")
    with pytest.raises(ValueError, match="Unknown sort"):
        catalog_page(user=user, sort="random")


def test_keyset_pagination_walks_every_row_once_for_every_sort(
    user, make_character
) -> None:
    for i in range(23):
        c = make_character(user, f"C{i:02d}")
        # Ties on purpose: the id breaks them.
        Character.objects.filter(pk=c.pk).update(
            chats_count=i % 4,
            rating_count=i % 3 + 1,
            rating_sum=(i % 3 + 1) * (i % 5 + 1),
            trending_score=float(i % 6),
            published_at=timezone.now() - dt.timedelta(minutes=i % 7),
        )
    for sort in ("trending", "popular", "top", "new"):
        seen: list[str] = []
        cursor = None
        while True:
            page = catalog_page(user=user, sort=sort, cursor=cursor, size=5)
            seen.extend(_names(page))
            cursor = page.next_cursor
            if cursor is None:
                break
        assert sorted(seen) == sorted(f"C{i:02d}" for i in range(23)), sort
        assert len(seen) == 23


def test_sorts_order_as_named(user, make_character) -> None:
    a = make_character(user, "A")
    b = make_character(user, "B")
    Character.objects.filter(pk=a.pk).update(
        chats_count=10, rating_count=50, rating_sum=240
    )
    Character.objects.filter(pk=b.pk).update(
        chats_count=99, rating_count=1, rating_sum=5
    )
    assert _names(catalog_page(user=user, sort="popular")) == ["B", "A"]
    # One 5-star vote does not beat fifty 4.8s.
    assert _names(catalog_page(user=user, sort="top")) == ["A", "B"]
    assert _names(catalog_page(user=user, sort="new")) == ["B", "A"]


def test_bad_cursor_is_a_clear_error(user) -> None:
    with pytest.raises(ValueError, match="cursor is not valid"):
        catalog_page(user=user, cursor="!!!")
    response = Client().get("/api/v1/characters/?cursor=abc")
    assert response.status_code == 400
    assert "cursor" in response.json()["error"]


def test_trending_decays_old_engagement_and_rewards_new(user, make_character) -> None:
    old = make_character(user, "Old Star")
    new = make_character(user, "Rising")
    quiet = make_character(user, "Quiet")
    Character.objects.filter(pk=old.pk).update(chats_count=100)
    now = timezone.now()
    assert trending_refresh(now=now) == 1  # only characters with new engagement
    old.refresh_from_db()
    assert trending_value(old.trending_score, now=now) == pytest.approx(300.0)
    # Two days later the old burst is worth a quarter; new activity arrives.
    later = now + dt.timedelta(hours=48)
    Character.objects.filter(pk=new.pk).update(chats_count=30)
    assert trending_refresh(now=later) == 1
    old.refresh_from_db()
    new.refresh_from_db()
    assert trending_value(old.trending_score, now=later) == pytest.approx(75.0)
    assert trending_value(new.trending_score, now=later) == pytest.approx(90.0)
    assert _names(catalog_page(user=user, sort="trending")) == [
        "Rising",
        "Old Star",
        "Quiet",
    ]
    # More engagement adds to what is there, decayed.
    Character.objects.filter(pk=old.pk).update(chats_count=110)  # +30
    trending_refresh(now=later)
    old.refresh_from_db()
    assert trending_value(old.trending_score, now=later) == pytest.approx(105.0)
    assert trending_refresh(now=later) == 0  # nothing new: nothing written
    quiet.refresh_from_db()
    assert trending_value(quiet.trending_score, now=later) < 1e-6


@pytest.mark.parametrize("size", [2, 20])
def test_list_queries_do_not_grow_with_page_size(
    user, make_character, django_assert_num_queries, size
) -> None:
    for i in range(25):
        make_character(user, f"Q{i}")
    client = Client()
    client.force_login(user)
    # session + user + profile(mature rule) + page  (+ savepoint-free reads)
    with django_assert_num_queries(4):
        response = client.get(f"/api/v1/characters/?page_size={size}")
    assert len(response.json()["results"]) == size
    # Search: one ranked statement (candidates and rank), then the page's rows.
    with django_assert_num_queries(5):
        response = client.get(f"/api/v1/characters/?page_size={size}&q=keeper")
    assert response.status_code == 200


def test_discover_page_queries_are_constant(
    user, make_character, django_assert_num_queries
) -> None:
    for i in range(30):
        make_character(user, f"D{i}", category=["anime", "games", "helpers"][i % 3])
    client = Client()
    with django_assert_num_queries(3):  # rails + grid + promoted; anonymous: no session
        response = client.get("/discover/")
    assert response.status_code == 200
    assert response.content.decode().count('class="char-card"') == 24 + 24
    with django_assert_num_queries(1):
        response = client.get("/discover/?category=anime")
    assert response.status_code == 200


def test_discover_infinite_scroll_fragment(user, make_character) -> None:
    for i in range(30):
        make_character(user, f"S{i}")
    client = Client()
    first = client.get("/discover/?sort=new").content.decode()
    import re

    cursor = re.search(r"cursor=([A-Za-z0-9_-]+)", first)
    assert cursor
    fragment = client.get(
        f"/discover/?sort=new&cursor={cursor.group(1)}", HTTP_HX_REQUEST="true"
    )
    html = fragment.content.decode()
    assert "<html" not in html  # a partial, not the page
    assert html.count('class="char-card"') == 6


def test_creator_rename_is_searchable_at_once(user, make_character) -> None:
    make_character(user, "Handle Test")
    assert _names(catalog_page(user=user, q="alice")) == ["Handle Test"]
    profile_update(
        profile=user.profile,
        display_name="Beacon",
        handle="lighthouse",
        bio="",
        birth_date=None,
    )
    assert _names(catalog_page(user=user, q="lighthouse")) == ["Handle Test"]
    assert _names(catalog_page(user=user, q="alice")) == []


def test_trending_refresh_survives_scores_far_apart(user, make_character) -> None:
    """A score thousands of half-lives older than new engagement (2^-5000 would
    underflow a double) is simply outweighed."""
    character = make_character(user, "Ancient")
    Character.objects.filter(pk=character.pk).update(
        trending_score=-5000.0, chats_count=10
    )
    now = timezone.now()
    assert trending_refresh(now=now) == 1
    character.refresh_from_db()
    assert trending_value(character.trending_score, now=now) == pytest.approx(30.0)


def test_rails_show_the_hottest_categories_listed_characters(
    user, make_character
) -> None:
    from django.contrib.auth.models import AnonymousUser

    from characters.selectors import category_rails

    make_character(user, "Railed", category="anime")
    make_character(user, "Secret", category="anime", visibility="private")
    make_character(user, "Gamer", category="games")
    rails = {
        category: [c.name for c in items]
        for category, _, items in category_rails(user=AnonymousUser())
    }
    assert rails == {"anime": ["Railed"], "games": ["Gamer"]}


def test_discover_renders_the_rails_once_per_audience_and_forgets_them_at_once(
    user, make_character, django_assert_num_queries, django_capture_on_commit_callbacks
) -> None:
    from characters.services import Settings, character_settings_update

    character = make_character(user, "Railbound Rin", category="anime")
    make_character(user, "Grown-up Gale", category="anime", content_rating="mature")
    client = Client()
    first = client.get("/discover/").content.decode()
    assert 'class="section rail"' in first and "Railbound Rin" in first
    assert "Grown-up Gale" not in first  # anonymous: the general audience
    with django_assert_num_queries(2):  # grid + promoted: the rails come cached
        again = client.get("/discover/").content.decode()
    assert again.count("Railbound Rin") == first.count("Railbound Rin")
    # An adult who opted in is another audience with its own rails.
    adult = Client()
    adult.force_login(user)
    profile = user.profile
    profile.show_mature = True
    profile.birth_date = dt.date(1990, 1, 1)
    profile.save()
    assert "Grown-up Gale" in adult.get("/discover/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        character_settings_update(
            character=character, switches=Settings(visibility="private")
        )
    assert "Railbound Rin" not in client.get("/discover/").content.decode()


def test_cards_count_chats_in_words(user, make_character) -> None:
    """'1 chat', not '1 chats'."""
    for name, chats in (("Solo", 1), ("Pair", 2), ("None", 0)):
        c = make_character(user, name)
        Character.objects.filter(pk=c.pk).update(chats_count=chats)
    html = Client().get("/discover/?sort=new").content.decode()
    assert "<span>1 chat</span>" in html
    assert "<span>2 chats</span>" in html and "<span>0 chats</span>" in html
    assert "1 chats" not in html
