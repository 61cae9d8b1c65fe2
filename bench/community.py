"""Community benchmark: feeds, boards, a shared chat and notifications at scale.

Seeds its own database (``kindred_bench_community`` by default, dropped and
recreated unless ``--reuse``) with 10,000 users, 100,000 characters, 1,000,000
likes and 1,000,000 ratings, 200,000 posts (plus 50,000 moments and the feed
rows of all of them) and one user who follows 500 creators; then times, in
process through Django's test client (server time: URL routing, middleware,
queries, template rendering), that user's Home feed, a Hot board page, a shared
chat page and the notifications list. The baseline is ``/api/v1/me/`` (session
auth plus one query) measured in the same run; results are printed and saved
as JSON under bench/results/.

Seeding uses set-based SQL (``INSERT … SELECT generate_series``): a couple of
minutes on 2 cores. Loopback PostgreSQL only; bounded: ``--requests`` per
endpoint (default 200) after 20 warm-up requests.

    .venv/bin/python bench/community.py [--reuse] [--requests 200]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DB_NAME = os.environ.get("BENCH_DB", "kindred_bench_community")
BASE_URL = os.environ.get("BENCH_PG", "postgres://root@127.0.0.1:5432")

USERS = 10_000
CHARACTERS = 100_000
LIKES = 1_000_000
RATINGS = 1_000_000
POSTS = 200_000
MOMENTS = 50_000
FOLLOWS = 500
NOTIFICATIONS = 5_000
TARGETS_MS = {"home_feed": 50.0, "hot_board": 30.0}


def _prepare_env() -> None:
    os.environ["DATABASE_URL"] = f"{BASE_URL}/{DB_NAME}"
    os.environ.pop("REDIS_URL", None)  # locmem cache, eager Celery: no Redis needed
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-" + "x" * 60)
    os.environ.setdefault("DJANGO_DEBUG", "0")
    os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost")
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"


def _recreate_database() -> None:
    import psycopg

    with psycopg.connect(f"{BASE_URL}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}"')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')


SEED_SQL = [
    # Users and profiles.
    f"""INSERT INTO community_user (password, is_superuser, username, first_name,
        last_name, email, is_staff, is_active, date_joined)
      SELECT '!', false, 'bench' || g, '', '', 'bench' || g || '@bench.invalid',
        false, true, now() - interval '200 days'
      FROM generate_series(1, {USERS}) g""",
    """INSERT INTO community_profile (user_id, handle, display_name, avatar, bio,
        show_mature, created_at, updated_at)
      SELECT id, 'bench' || id, 'Bench ' || id, '', '', false, now(), now()
      FROM community_user WHERE username LIKE 'bench%'""",
    # Characters (published below), spread over creators.
    f"""INSERT INTO characters_character (owner_id, slug, name, tagline, description,
        greeting, tags_text, category, style, language, content_rating, avatar,
        visibility, definition_visible, remix_allowed, created_at, updated_at,
        published_at, chats_count, messages_count, likes_count, rating_sum,
        rating_count, remix_count, trending_score, trending_seen)
      SELECT u.min_id + (g % {USERS}), 'char-' || g, 'Character ' || g,
        'A bench character', 'Description ' || g, 'Hello!', '', 'original', 'none',
        'en', 'general', '',
        CASE WHEN g % 20 = 0 THEN 'private' ELSE 'public' END, true, true,
        now() - (g % 300) * interval '1 hour', now(),
        now() - (g % 300) * interval '1 hour', g % 500, g % 5000, 0, 0, 0, 0,
        (g % 1000) / 10.0, 0
      FROM generate_series(1, {CHARACTERS}) g,
        (SELECT min(id) AS min_id FROM community_user) u""",
    """INSERT INTO characters_characterversion (character_id, number, data, meta,
        note, created_at)
      SELECT id, 1, jsonb_build_object('name', name), '{}'::jsonb, '', created_at
      FROM characters_character""",
    """UPDATE characters_character c SET published_version_id = v.id
      FROM characters_characterversion v WHERE v.character_id = c.id""",
    # Likes and ratings: each user likes/rates 100 distinct characters.
    f"""INSERT INTO community_characterlike (user_id, character_id, created_at)
      SELECT u.min_id + (g % {USERS}),
        c.min_id + (((g / {USERS}) * 1000 + (g % {USERS}) * 37) % {CHARACTERS}),
        now() - (g % 720) * interval '1 hour'
      FROM generate_series(0, {LIKES} - 1) g,
        (SELECT min(id) AS min_id FROM community_user) u,
        (SELECT min(id) AS min_id FROM characters_character) c""",
    f"""INSERT INTO community_characterrating (user_id, character_id, stars,
        created_at, updated_at)
      SELECT u.min_id + (g % {USERS}),
        c.min_id + (((g / {USERS}) * 1000 + (g % {USERS}) * 53 + 500) % {CHARACTERS}),
        1 + (g % 5), now() - (g % 720) * interval '1 hour', now()
      FROM generate_series(0, {RATINGS} - 1) g,
        (SELECT min(id) AS min_id FROM community_user) u,
        (SELECT min(id) AS min_id FROM characters_character) c""",
    """UPDATE characters_character c SET likes_count = s.n
      FROM (SELECT character_id, count(*) n FROM community_characterlike
            GROUP BY character_id) s WHERE s.character_id = c.id""",
    """UPDATE characters_character c SET rating_count = s.n, rating_sum = s.total
      FROM (SELECT character_id, count(*) n, sum(stars) total
            FROM community_characterrating GROUP BY character_id) s
      WHERE s.character_id = c.id""",
    # Boards and posts over the last 30 days.
    """INSERT INTO community_board (slug, name, description, position,
        staff_only_posts, created_at)
      VALUES ('announcements', 'Announcements', '', 0, true, now()),
        ('anime-games', 'Anime & Games', '', 1, false, now()),
        ('creators-workshop', 'Creators'' Workshop', '', 2, false, now()),
        ('roleplay-stories', 'Roleplay Stories', '', 3, false, now()),
        ('feedback-help', 'Feedback & Help', '', 4, false, now())""",
    f"""INSERT INTO community_post (board_id, author_id, title, body, body_html,
        character_id, score, hot, comments_count, created_at)
      SELECT b.min_id + (g % 5), u.min_id + ((g * 7) % {USERS}), 'Post ' || g,
        'Body of post ' || g, '<p>Body of post ' || g || '</p>',
        CASE WHEN g % 4 = 0 THEN c.min_id + (g % {CHARACTERS}) END,
        (g * 13) % 200, 0, g % 30, now() - (g % 43200) * interval '1 minute'
      FROM generate_series(1, {POSTS}) g,
        (SELECT min(id) AS min_id FROM community_board) b,
        (SELECT min(id) AS min_id FROM community_user) u,
        (SELECT min(id) AS min_id FROM characters_character) c""",
    """UPDATE community_post SET hot = (score + 1) /
        power(extract(epoch FROM now() - created_at) / 3600 + 2, 1.5)""",
    f"""INSERT INTO community_moment (character_id, author_id, body, body_html,
        image, created_at)
      SELECT c.id, c.owner_id, 'Moment ' || g, '<p>Moment ' || g || '</p>', '',
        now() - (g % 43200) * interval '1 minute'
      FROM generate_series(1, {MOMENTS}) g
      JOIN characters_character c
        ON c.id = (SELECT min(id) FROM characters_character) + (g * 2) % {CHARACTERS}""",
    # Feed rows for every character, post and moment.
    """INSERT INTO community_feedevent (kind, actor_id, character_id, created_at)
      SELECT 'character', owner_id, id, published_at FROM characters_character""",
    """INSERT INTO community_feedevent (kind, actor_id, character_id, post_id,
        created_at)
      SELECT 'post', author_id, character_id, id, created_at FROM community_post""",
    """INSERT INTO community_feedevent (kind, actor_id, character_id, moment_id,
        created_at)
      SELECT 'moment', author_id, character_id, id, created_at
      FROM community_moment""",
]


def _seed() -> tuple[int, int, int]:
    """Returns (bench user id, a board id, a share id)."""
    from django.db import connection

    from community.models import Notification, SharedChat, User

    with connection.cursor() as cur:
        for sql in SEED_SQL:
            cur.execute(sql)
    users = list(User.objects.order_by("pk").values_list("pk", flat=True)[:1001])
    me = users[0]
    with connection.cursor() as cur:
        cur.execute(
            """INSERT INTO community_follow (follower_id, followee_id, created_at)
               SELECT %s, id, now() FROM community_user
               WHERE id <> %s ORDER BY id LIMIT %s""",
            [me, me, FOLLOWS],
        )
        cur.execute(
            """INSERT INTO community_notification (recipient_id, actor_id, kind,
                 count, created_at)
               SELECT %s, %s + 1 + (g %% 500), 'follow', 1,
                 now() - g * interval '1 minute'
               FROM generate_series(1, %s) g""",
            [me, me, NOTIFICATIONS],
        )
        cur.execute("ANALYZE")
    character = (
        User.objects.get(pk=users[1])
        .characters.filter(visibility="public")
        .order_by("pk")
        .first()
    )
    assert character is not None
    turns = []
    for i in range(40):
        turns.append(
            {
                "author": "user" if i % 2 == 0 else "character",
                "name": "Reader" if i % 2 == 0 else character.name,
                "text": f"Turn {i}: " + "words " * 40,
            }
        )
    share = SharedChat.objects.create(
        author_id=users[2],
        character=character,
        title="A long story",
        from_seq=1,
        to_seq=40,
        turns=turns,
    )
    assert Notification.objects.filter(recipient_id=me).count() == NOTIFICATIONS
    from community.models import Board

    board = Board.objects.get(slug="anime-games")
    return me, board.pk, share.pk


def _time(client: object, url: str, n: int) -> dict[str, float]:
    from django.test import Client

    assert isinstance(client, Client)
    for _ in range(20):
        r = client.get(url)
        assert r.status_code == 200, (url, r.status_code)
    samples = []
    for _ in range(n):
        t0 = time.perf_counter()
        r = client.get(url)
        samples.append((time.perf_counter() - t0) * 1000)
        assert r.status_code == 200
    samples.sort()
    return {
        "p50_ms": round(statistics.median(samples), 2),
        "p95_ms": round(samples[int(len(samples) * 0.95) - 1], 2),
        "max_ms": round(samples[-1], 2),
        "requests": n,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reuse", action="store_true", help="keep a seeded database")
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    n = max(10, min(args.requests, 2000))
    _prepare_env()
    seeded = args.reuse
    if not args.reuse:
        _recreate_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from community.models import Board, SharedChat, User

    t0 = time.perf_counter()
    if not seeded:
        call_command("migrate", verbosity=0)
        me, board_id, share_id = _seed()
    else:
        me = User.objects.order_by("pk").values_list("pk", flat=True)[0]
        board_id = Board.objects.get(slug="anime-games").pk
        share_id = SharedChat.objects.order_by("pk").values_list("pk", flat=True)[0]
    seed_seconds = round(time.perf_counter() - t0, 1)
    # What autovacuum does on a live database (it is off on some of our
    # machines): the load's UPDATEs leave dead row versions (200,000 posts,
    # 300,000 characters) that every index scan would otherwise step over.
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("VACUUM (ANALYZE)")
    board = Board.objects.get(pk=board_id)
    client = Client()
    client.force_login(User.objects.get(pk=me))
    endpoints = {
        "baseline_me_api": "/api/v1/me/",
        "home_feed": "/community/?feed=home",
        "home_feed_api": "/api/v1/feed/?kind=home",
        "hot_board": f"/community/b/{board.slug}/?sort=hot",
        "hot_board_api": f"/api/v1/boards/{board.slug}/posts/?sort=hot",
        "shared_chat": f"/community/s/{share_id}/",
        "notifications": "/community/notifications/",
        "notifications_api": "/api/v1/notifications/",
    }
    results = {name: _time(client, url, n) for name, url in endpoints.items()}
    base = results["baseline_me_api"]["p50_ms"]
    for row in results.values():
        row["p50_vs_baseline"] = round(row["p50_ms"] / base, 2) if base else 0.0
    out = {
        "benchmark": "community",
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "cpus": os.cpu_count(),
        "scale": {
            "users": USERS,
            "characters": CHARACTERS,
            "likes": LIKES,
            "ratings": RATINGS,
            "posts": POSTS,
            "moments": MOMENTS,
            "follows_of_bench_user": FOLLOWS,
            "notifications": NOTIFICATIONS,
        },
        "seed_seconds": seed_seconds if not seeded else None,
        "targets_p95_ms": TARGETS_MS,
        "results": results,
        "targets_met": {
            name: results[name]["p95_ms"] < limit for name, limit in TARGETS_MS.items()
        },
    }
    print(f"seeded in {seed_seconds}s" if not seeded else "reused seeded database")
    print(f"{'endpoint':<20} {'p50 ms':>8} {'p95 ms':>8} {'× base':>7}")
    for name, row in results.items():
        print(
            f"{name:<20} {row['p50_ms']:>8} {row['p95_ms']:>8} {row['p50_vs_baseline']:>7}"
        )
    results_dir = ROOT / "bench" / "results"
    results_dir.mkdir(parents=True, exist_ok=True)
    path = results_dir / "community.json"
    path.write_text(json.dumps(out, indent=2) + "\n")
    print(f"saved {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
