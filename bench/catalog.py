"""Catalog benchmark: 100,000 characters with tags and ratings.

Reports p50/p95 server time (Django's full request path through the test
client: middleware, query, template) for Discover, search, the API list at
page 1 and page 1,000, and one trending refresh. Each figure is also given as a
ratio to a baseline measured in the same run (the /healthz request, which does
one SELECT 1): these machines are noisy, ratios are comparable between runs.

    .venv/bin/python bench/catalog.py [--characters 100000] [--runs 60]

Uses its own database (kindred_bench_catalog); seeding happens once and is
reused by later runs. Targets: Discover and search p95 < 50 ms; page 1,000
within 1.5x of page 1; trending refresh < 10 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._common import save, setup_django, summary, timed

ROLES = [
    "lantern",
    "keeper",
    "harbour",
    "dragon",
    "tutor",
    "detective",
    "pirate",
    "librarian",
    "knight",
    "witch",
    "robot",
    "samurai",
    "chef",
    "gardener",
    "astronaut",
    "bard",
    "poet",
    "spy",
    "healer",
    "ranger",
    "mage",
    "coach",
    "idol",
    "singer",
    "ghost",
    "fox",
    "wolf",
    "cat",
    "owl",
    "storm",
    "ember",
    "frost",
    "moon",
    "star",
    "river",
    "mountain",
    "forest",
    "desert",
    "city",
    "village",
    "academy",
    "tavern",
    "castle",
    "station",
    "orbit",
    "archive",
]
SYLLABLES = [
    "ka",
    "el",
    "in",
    "mor",
    "row",
    "sa",
    "ri",
    "ta",
    "ven",
    "lo",
    "mi",
    "ra",
    "dan",
    "the",
    "a",
    "o",
    "u",
    "zen",
    "qua",
    "bel",
    "tor",
    "nix",
    "ly",
    "fa",
    "ro",
    "gan",
    "sel",
    "ine",
    "ar",
    "vi",
    "ko",
]
TAGS = [
    *ROLES,
    *["fantasy", "romance", "comedy", "horror", "scifi", "slice of life"],
    *["mystery", "school", "adventure", "cozy"],
]


def _vocabulary(rng: random.Random, size: int = 6000) -> list[str]:
    """Pseudo-words with a realistic spread: descriptions share common words but
    mostly differ (the names and nouns of their own worlds)."""
    return ["".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))) for _ in range(size)]


def _name(rng: random.Random) -> str:
    first = "".join(rng.choices(SYLLABLES, k=rng.randint(2, 3))).title()
    if rng.random() < 0.3:
        return f"{first} the {rng.choice(ROLES).title()}"
    return f"{first} {''.join(rng.choices(SYLLABLES, k=2)).title()}"


def seed(n: int) -> None:

    from characters.models import Category, Character, CharacterVersion, Tag
    from community.models import Profile, User

    have = Character.objects.count()
    if have >= n:
        print(f"seed: {have} characters already there")
        return
    rng = random.Random(42)
    start = time.perf_counter()
    creators = []
    for i in range(200):
        handle = f"bench_creator_{i}"
        user, _ = User.objects.get_or_create(
            username=handle, defaults={"email": f"{handle}@bench.local"}
        )
        Profile.objects.get_or_create(
            user=user, defaults={"handle": handle, "display_name": f"Creator {i}"}
        )
        creators.append(user)
    tags = {t.name: t for t in Tag.objects.all()}
    for name in TAGS:
        if name not in tags:
            tags[name] = Tag.objects.create(name=name)
    categories = list(Category.values)
    vocab = _vocabulary(rng)
    weights = [1 / (rank + 1) for rank in range(len(vocab))]  # Zipf
    from django.utils import timezone

    now = timezone.now()
    batch = 5000
    for offset in range(have, n, batch):
        chars = []
        for i in range(offset, min(n, offset + batch)):
            name = _name(rng)
            role = rng.choice(ROLES)
            chosen = rng.sample(TAGS, rng.randint(2, 6))
            ratings = rng.randint(0, 400)
            chars.append(
                Character(
                    owner=creators[i % len(creators)],
                    slug=f"bench-{i}",
                    name=name,
                    tagline=f"A {role} from {rng.choice(vocab).title()}"[:50],
                    description=" ".join(
                        [*rng.choices(vocab, weights=weights, k=50), role]
                    ),
                    greeting="Hello there.",
                    tags_text=" ".join(chosen),
                    category=categories[i % len(categories)],
                    chats_count=rng.randint(0, 50000),
                    messages_count=rng.randint(0, 900000),
                    likes_count=rng.randint(0, 5000),
                    rating_count=ratings,
                    rating_sum=int(ratings * rng.uniform(2.5, 5.0)),
                    trending_score=rng.random() * 1000,
                    published_at=now - dt.timedelta(minutes=i),
                )
            )
        created = Character.objects.bulk_create(chars)
        versions = CharacterVersion.objects.bulk_create(
            [
                CharacterVersion(character=c, number=1, data={"name": c.name}, meta={})
                for c in created
            ]
        )
        through = Character.tags.through
        links = []  # type: ignore[var-annotated]  # the auto-created through model has no importable name
        for c, v in zip(created, versions, strict=True):
            c.published_version_id = v.pk
            links.extend(
                through(character_id=c.pk, tag_id=tags[t].pk)
                for t in c.tags_text.split(" ")
                if t in tags
            )
        Character.objects.bulk_update(created, ["published_version"], batch_size=batch)
        through.objects.bulk_create(links, ignore_conflicts=True)
        print(f"seed: {offset + len(created)} / {n}", flush=True)
    from characters.services import search_vector_refresh

    ids = list(Character.objects.values_list("id", flat=True))
    for i in range(0, len(ids), 20000):
        search_vector_refresh(character_ids=ids[i : i + 20000])
    print(f"seed: done in {time.perf_counter() - start:.0f} s")


def vacuum() -> None:
    """What autovacuum does on a live database (it is off on some of our
    machines): the bulk load and the trending refreshes leave dead row
    versions behind, which every index scan would otherwise step over."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")


def cursor_for_page(page: int, size: int) -> str:
    from django.contrib.auth.models import AnonymousUser

    from characters.selectors import listed
    from config.cursors import cursor_encode

    last = (
        listed(AnonymousUser())
        .order_by("-trending_score", "-pk")
        .values_list("trending_score", "pk")[page * size - 1]
    )
    return cursor_encode("trending", last[0], last[1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--characters", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=60)
    args = parser.parse_args()
    setup_django("kindred_bench_catalog")
    seed(args.characters)
    vacuum()

    from django.test import Client

    from characters.models import Character
    from characters.selectors import rails_cache_bust
    from characters.trending import trending_refresh

    client = Client()
    size = 24

    def get(path: str) -> None:
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path}: HTTP {response.status_code}")

    def discover_rails_uncached() -> None:
        rails_cache_bust()
        get("/discover/")

    queries = [
        "lantern",
        "dragon tutor",
        "librarain",
        "samurai chef",
        "moon keeper",
        "Kaelin",
    ]
    q_iter = iter(queries * (args.runs + 10))
    page_1000 = cursor_for_page(999, size)
    cases = {
        "baseline_healthz": lambda: get("/healthz"),
        "discover": lambda: get("/discover/"),
        # The rails are cached per audience for a minute; this is the request
        # that renders them (once a minute, or after a character leaves).
        "discover_rails_uncached": discover_rails_uncached,
        "discover_category": lambda: get("/discover/?category=anime&sort=popular"),
        "search": lambda: get(f"/discover/?q={next(q_iter)}"),
        "api_page_1": lambda: get(f"/api/v1/characters/?page_size={size}"),
        "api_page_1000": lambda: get(
            f"/api/v1/characters/?page_size={size}&cursor={page_1000}"
        ),
    }
    results: dict[str, dict[str, float]] = {}
    for name, fn in cases.items():
        results[name] = summary(timed(fn, runs=args.runs))
        print(
            f"{name:20s} p50 {results[name]['p50_ms']:8.2f} ms   p95 {results[name]['p95_ms']:8.2f} ms",
            flush=True,
        )
    base = results["baseline_healthz"]["p50_ms"]
    for name in results:
        results[name]["x_baseline_p50"] = round(results[name]["p50_ms"] / base, 2)
    # The first refresh after a bulk import counts every character's engagement
    # once; after that a refresh only touches characters with new activity. Each
    # measured refresh follows new engagement on 2% of the catalog (2,000
    # characters active within one refresh period is a busy site).
    from django.db import connection

    start = time.perf_counter()
    first_refresh = trending_refresh()
    first_refresh_s = time.perf_counter() - start
    refresh = []
    for k in range(3):
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE characters_character SET chats_count = chats_count + 1,"
                " messages_count = messages_count + 12 WHERE id %% 50 = %s",
                [k],
            )
        start = time.perf_counter()
        updated = trending_refresh()
        refresh.append(time.perf_counter() - start)
        print(f"trending refresh: {updated} characters updated in {refresh[-1]:.2f} s")
    ratio = results["api_page_1000"]["p50_ms"] / results["api_page_1"]["p50_ms"]
    payload = {
        "characters": Character.objects.count(),
        "results": results,
        "page_1000_over_page_1_p50": round(ratio, 2),
        "trending_refresh_s": [round(x, 2) for x in refresh],
        "trending_refresh_active_characters": args.characters // 50,
        "first_refresh_after_import": {
            "rows": first_refresh,
            "seconds": round(first_refresh_s, 2),
        },
        "targets": {
            "discover_p95_lt_50ms": results["discover"]["p95_ms"] < 50,
            "search_p95_lt_50ms": results["search"]["p95_ms"] < 50,
            "page_1000_within_1_5x": ratio <= 1.5,
            "trending_refresh_lt_10s": max(refresh) < 10,
        },
    }
    path = save("catalog", payload)
    print(f"page 1000 / page 1 (p50): {ratio:.2f}")
    print(f"trending refresh: {', '.join(f'{x:.2f} s' for x in refresh)}")
    print(f"targets: {payload['targets']}")
    print(f"saved {path}")


if __name__ == "__main__":
    main()
