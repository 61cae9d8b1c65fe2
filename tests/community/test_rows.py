"""The list-row helpers give exactly what Django's own give:
``config.links.cached_reverse`` as ``reverse()``, ``|iso`` as ``|date:"c"``."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import engines
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import timezone

from config.links import cached_reverse


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("community:post", {"post_id": 7}),
        ("community:post", {"post_id": 1234567890123}),
        ("community:post_vote", {"post_id": 42}),
        ("community:profile", {"handle": "alice_01"}),
        ("community:board", {"slug": "anime-games"}),
        ("community:character", {"slug": "aria-x1"}),
        ("community:share", {"share_id": 3}),
        ("community:notifications", {}),
    ],
)
def test_same_url_as_reverse(name: str, kwargs: dict[str, int | str]) -> None:
    assert cached_reverse(name, **kwargs) == reverse(name, kwargs=kwargs)
    assert cached_reverse(name, **kwargs) == reverse(name, kwargs=kwargs)  # cached


def test_follows_the_script_prefix() -> None:
    try:
        set_script_prefix("/sub/")
        assert cached_reverse("community:post", post_id=5) == "/sub/community/p/5/"
    finally:
        set_script_prefix("/")
    assert cached_reverse("community:post", post_id=5) == "/community/p/5/"


def test_bad_arguments_still_fail() -> None:
    with pytest.raises(NoReverseMatch):
        cached_reverse("community:post", post_id=-1)
    with pytest.raises(NoReverseMatch):
        cached_reverse("community:post", slug="x")
    with pytest.raises(NoReverseMatch):  # not plain text: reverse() decides
        cached_reverse("community:board", slug="ünïcode")


@pytest.mark.parametrize("tz", ["UTC", "Europe/Paris"])
def test_iso_is_date_c(tz: str) -> None:
    template = engines["django"].from_string(
        "{% load rows %}{{ when|iso }}|{{ when|date:'c' }}|{{ none|iso }}"
    )
    when = dt.datetime(2026, 11, 26, 1, 2, 3, 456789, tzinfo=dt.UTC)
    with timezone.override(tz):
        iso, date_c, empty = template.render({"when": when, "none": None}).split("|")
    assert iso == date_c and empty == ""


@pytest.mark.parametrize(
    "delta",
    [
        dt.timedelta(seconds=-30),
        dt.timedelta(0),
        dt.timedelta(seconds=59),
        dt.timedelta(minutes=1, seconds=1),
        dt.timedelta(hours=1, minutes=1),
        dt.timedelta(days=1, seconds=5),
        dt.timedelta(days=6, hours=23, minutes=59, seconds=59),
        dt.timedelta(days=13, hours=3),
        dt.timedelta(days=27, hours=23, minutes=59),
        dt.timedelta(days=28),
        dt.timedelta(days=45),
        dt.timedelta(days=400),
    ],
)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_ago_is_timesince(delta: dt.timedelta, language: str) -> None:
    from django.utils import translation

    template = engines["django"].from_string(
        "{% load rows %}{{ when|ago }}|{{ when|timesince }}"
    )
    when = timezone.now() - delta
    with translation.override(language):
        for _ in range(2):  # computed, then cached
            ago, since = template.render({"when": when}).split("|")
            assert ago == since


def test_since_says_just_now_under_a_minute() -> None:
    template = engines["django"].from_string("{% load rows %}{{ when|since }}")
    now = timezone.now()
    assert template.render({"when": now - dt.timedelta(seconds=20)}) == "just now"
    # A clock a little ahead of the server's: also now, not "0 minutes ago".
    assert template.render({"when": now + dt.timedelta(seconds=5)}) == "just now"
    assert (
        template.render({"when": now - dt.timedelta(minutes=5)}) == "5\xa0minutes ago"
    )
    assert template.render({"when": now - dt.timedelta(days=2)}) == "2\xa0days ago"


# The markup of community/_avatar.html and _char_avatar.html before they
# rendered through the tags.
OLD_AVATAR = """{% if profile and profile.avatar %}<img class="avatar avatar--{{ size|default:'md' }}" src="{{ profile.avatar.url }}" alt="" loading="lazy">{% else %}<span class="avatar avatar--{{ size|default:'md' }} avatar--initial" aria-hidden="true">{% if profile %}{{ profile.initial }}{% else %}?{% endif %}</span>{% endif %}"""
OLD_CHAR_AVATAR = """{% if character.avatar %}<img class="avatar avatar--{{ size|default:'md' }} avatar--char" src="{{ character.avatar.url }}" alt="" loading="lazy">{% else %}<span class="avatar avatar--{{ size|default:'md' }} avatar--char hue-{{ character.hue }}" aria-hidden="true">{{ character.initial }}</span>{% endif %}"""


def test_avatar_tags_render_the_old_markup() -> None:
    from characters.models import Character
    from community.models import Profile

    engine = engines["django"]
    profiles = [
        None,
        Profile(handle="amy", display_name="Amy <3"),
        Profile(handle="bo", display_name="", avatar="avatars/b&o.png"),
    ]
    for profile in profiles:
        for size in (None, "sm"):
            ctx = {"profile": profile, "size": size}
            new = engine.from_string("{% load rows %}{% avatar profile size %}")
            assert new.render(ctx) == engine.from_string(OLD_AVATAR).render(ctx)
    characters = [
        Character(slug="x-1", name="Élan"),
        Character(slug="y", name="", avatar='avatars/y"z.png'),
    ]
    for character in characters:
        for size in (None, "md"):
            char_ctx = {"character": character, "size": size}
            new = engine.from_string("{% load rows %}{% char_avatar character size %}")
            old = engine.from_string(OLD_CHAR_AVATAR)
            assert new.render(char_ctx) == old.render(char_ctx)


# ``{% author profile %}`` as a template: the display name and the @handle, or
# the handle alone when the display name is none or the handle itself.
AUTHOR = """{% if profile.display_name and profile.display_name != profile.handle %}<span class="author"><strong class="author__name">{{ profile.display_name }}</strong> <span class="author__handle">@{{ profile.handle }}</span></span>{% else %}<span class="author"><strong class="author__name">@{{ profile.handle }}</strong></span>{% endif %}"""

# The post card and the embeds as templates, before they rendered through the
# ``{% post_card %}``, ``{% vote_form %}``, ``{% char_embed %}`` and
# ``{% share_embed %}`` tags (``show_board`` was set by no page and is gone),
# with the share embed's "not available" added since, for a viewer who may
# not open the share, and the author named by ``AUTHOR`` (it was the handle).
OLD_TEMPLATES = {
    "community/_post_card.html": """{% load rows %}{% with post=row.post %}{% with profile=post.author.profile url=post.get_absolute_url %}<article class="card post-card" id="post-{{ post.pk }}">
  {% partialdef vote inline %}{% link "community:post_vote" post_id=row.post.pk as vote_url %}<form class="vote" method="post" action="{{ vote_url }}" hx-post="{{ vote_url }}" hx-target="this" hx-swap="outerHTML">
  {% csrf_token %}
  <input type="hidden" name="up" value="{% if row.voted %}0{% else %}1{% endif %}">
  <input type="hidden" name="next" value="{{ request.get_full_path }}">
  <button class="vote__btn{% if row.voted %} is-on{% endif %}" id="vote-{{ row.post.pk }}" type="submit" aria-pressed="{% if row.voted %}true{% else %}false{% endif %}" aria-label="{% if row.voted %}Remove upvote{% else %}Upvote{% endif %}"{% if not user.is_authenticated %} disabled title="Log in to vote"{% endif %}>▲</button>
  <span class="vote__score">{{ row.post.score }}</span>
</form>
{% endpartialdef %}
  <div class="post-card__main">
    <p class="post-card__meta muted">
      {% if show_board %}<a class="badge badge--accent" href="{{ post.board.get_absolute_url }}">{{ post.board.name }}</a> · {% endif %}
      <a href="{% link "community:profile" handle=profile.handle %}">"""
    + AUTHOR
    + """</a> · <time datetime="{{ post.created_at|iso }}">{{ post.created_at|since }}</time>
    </p>
    <h3 class="post-card__title"><a href="{{ url }}">{{ post.title }}</a></h3>
    {% if post.body_html %}<div class="prose prose--clamp">{{ post.body_html|safe }}</div>{% endif %}
    {% if post.character_id %}{% include "community/_char_embed.html" with character=post.character visible=row.character_visible %}{% endif %}
    {% if post.share_id %}{% include "community/_share_embed.html" with share=post.share visible=row.share_visible %}{% endif %}
    <p class="post-card__foot muted"><a href="{{ url }}#comments">{{ post.comments_count }} comment{{ post.comments_count|pluralize }}</a></p>
  </div>
</article>{% endwith %}{% endwith %}
""",
    "community/_char_embed.html": """{% load rows %}{% if visible %}
<a class="embed" href="{% link "community:character" slug=character.slug %}">
  {% char_avatar character "md" %}
  <span class="embed__text"><strong>{{ character.name }}</strong>{% if character.tagline %}<span class="muted">{{ character.tagline }}</span>{% endif %}</span>
  <span class="embed__stats muted">♥ {{ character.likes_count }}{% if character.rating_count %} · ★ {{ character.rating_average }}{% endif %}</span>
</a>
{% else %}
<p class="embed embed--gone muted">This character is not available.</p>
{% endif %}
""",
    "community/_share_embed.html": """{% if share and not share.unpublished_at and visible %}
<a class="embed embed--share" href="{{ share.get_absolute_url }}">
  <span class="embed__icon" aria-hidden="true"><svg viewBox="0 0 24 24"><path d="M4 5h16v11H9l-5 4z"/></svg></span>
  <span class="embed__text"><strong>{{ share.title }}</strong><span class="muted">A shared chat · {{ share.turns|length }} message{{ share.turns|length|pluralize }}</span></span>
  <span class="embed__stats muted">♥ {{ share.likes_count }}</span>
</a>
{% elif share and share.unpublished_at %}
<p class="embed embed--gone muted">This shared chat was unpublished.</p>
{% elif share %}
<p class="embed embed--gone muted">This shared chat is not available.</p>
{% endif %}
""",
}


def _post_rows() -> list[object]:
    """Post rows covering every branch of the card: escaping, votes, bodies,
    visible / hidden / missing characters, live / unpublished shares, counts,
    ages across the 28-day shortcut of ``|ago``."""
    from characters.models import Character
    from community.models import Post, Profile, SharedChat, User
    from community.selectors import PostRow

    now = timezone.now()
    authors = [
        Profile(handle="amy_1", display_name="Amy"),
        Profile(handle="bo", display_name='<b>"Bo"</b>'),
        Profile(handle="cy_reads", display_name="cy_reads"),  # none given
        Profile(handle="di", display_name=""),
    ]
    characters = [
        Character(
            pk=5,
            slug="aria-5",
            name="Aria <x>",
            tagline="A & B",
            likes_count=1234,
            rating_sum=7,
            rating_count=3,
        ),
        Character(pk=6, slug="z", name="", avatar="avatars/z.png", rating_count=0),
    ]
    shares = [
        SharedChat(pk=3, title="Tale <1>", turns=[{"text": "a"}], likes_count=1),
        SharedChat(pk=4, title="Two", turns=[{}, {}, {}], likes_count=0),
        SharedChat(pk=7, title="Gone", turns=[], unpublished_at=now),
    ]
    rows: list[object] = []
    for i in range(12):
        post = Post(
            pk=100 + i,
            author=User(pk=1),
            title=["Hello", "<script>alert('x')</script> & \"q\""][i % 2],
            body_html=["", "<p>Body &amp; <em>more</em></p>\n"][i % 2 == 0],
            score=[0, 1, 2, 12345][i % 4],
            comments_count=[0, 1, 2][i % 3],
            created_at=now
            - [
                dt.timedelta(seconds=20),
                dt.timedelta(minutes=5),
                dt.timedelta(days=3, hours=2),
                dt.timedelta(days=40),
            ][i % 4],
        )
        if i % 4 != 3:
            post.character = characters[i % 2]
        if i % 3 != 0:
            post.share = shares[i % 3]
        if i == 9:
            post.share = shares[2]
        post.author.profile = authors[i % 4]
        rows.append(
            PostRow(
                post=post,
                voted=i % 2 == 1,
                character_visible=i % 5 != 0,
                share_visible=i % 4 != 1,
                author=authors[i % 4],
            )
        )
    return rows


@pytest.mark.parametrize("tz", ["UTC", "Europe/Paris"])
@pytest.mark.parametrize("language", ["en", "fr"])
def test_post_card_tags_render_the_old_markup(tz: str, language: str) -> None:
    from django.contrib.auth.models import AnonymousUser
    from django.template import Context, Engine
    from django.test import RequestFactory
    from django.utils import translation

    from community.models import User

    old = Engine(
        loaders=[("django.template.loaders.locmem.Loader", OLD_TEMPLATES)],
        libraries={"rows": "community.templatetags.rows"},
    )
    new = Engine.get_default()
    request = RequestFactory().get('/community/b/anime-games/?sort=hot&t="x"&a=<b>')
    viewers = [
        (User(pk=1), "tok123"),
        (AnonymousUser(), None),
    ]
    rows = _post_rows()
    with translation.override(language), timezone.override(tz):
        for user, token in viewers:
            ctx = {"request": request, "user": user, "csrf_token": token}
            for row in rows:
                want = old.get_template("community/_post_card.html").render(
                    Context({**ctx, "row": row})
                )
                got = new.get_template("community/_post_card.html").render(
                    Context({**ctx, "row": row})
                )
                assert got == want
                vote = "community/_post_card.html#vote"
                assert new.get_template(vote).render(
                    Context({**ctx, "row": row})
                ) == old.get_template(vote).render(Context({**ctx, "row": row}))
            many = new.from_string("{% load rows %}{% post_cards rows %}")
            assert many.render(Context({**ctx, "rows": rows})) == "".join(
                old.get_template("community/_post_card.html").render(
                    Context({**ctx, "row": row})
                )
                for row in rows
            )


def test_embed_templates_render_the_old_markup() -> None:
    from django.template import Context, Engine

    old = Engine(
        loaders=[("django.template.loaders.locmem.Loader", OLD_TEMPLATES)],
        libraries={"rows": "community.templatetags.rows"},
    )
    new = Engine.get_default()
    for row in _post_rows():
        post = row.post  # type: ignore[attr-defined]
        # ``character_visible_to`` is False for a missing character.
        for visible in (True, False) if post.character is not None else (False,):
            ctx = {"character": post.character, "visible": visible}
            name = "community/_char_embed.html"
            want = old.get_template(name).render(Context(ctx))
            assert new.get_template(name).render(Context(ctx)) == want
        name = "community/_share_embed.html"
        for visible in (True, False):
            ctx = {"share": post.share, "visible": visible}
            want = old.get_template(name).render(Context(ctx))
            assert new.get_template(name).render(Context(ctx)) == want


# The loop of community/home.html before it rendered through ``{% feed_items %}``,
# with the author named by ``AUTHOR`` (it was the display name alone) and a
# shared chat's title once (its link card under the heading repeated it).
OLD_FEED_LOOP = (
    """{% for item in page.items %}
          {% with profile=item.actor.profile post=item.post kind=item.kind %}<article class="card feed-item feed-item--{{ kind }}">
            <p class="feed-item__who muted">
              {% avatar profile "sm" %}
              <a href="{% link "community:profile" handle=profile.handle %}">"""
    + AUTHOR
    + """</a>
              {% if kind == "character" %}published a new character{% elif kind == "moment" %}posted a moment{% elif kind == "share" %}shared a chat with <a href="{% link "community:character" slug=item.character.slug %}">{{ item.character.name }}</a>{% else %}posted in <a href="{{ post.board.get_absolute_url }}">{{ post.board.name }}</a>{% endif %}
              · <time datetime="{{ item.created_at|iso }}">{{ item.created_at|since }}</time>
            </p>
            {% if kind == "post" %}{% with url=post.get_absolute_url %}
              <h3 class="post-card__title"><a href="{{ url }}">{{ post.title }}</a></h3>
              {% if post.body_html %}<div class="prose prose--clamp">{{ post.body_html|safe }}</div>{% endif %}
              {% if post.character_id %}{% include "community/_char_embed.html" with character=post.character visible=item.character_visible %}{% endif %}
              {% if post.share_id %}{% include "community/_share_embed.html" with share=post.share visible=item.share_visible %}{% endif %}
              <p class="post-card__foot muted">▲ {{ post.score }} · <a href="{{ url }}#comments">{{ post.comments_count }} comment{{ post.comments_count|pluralize }}</a></p>
            {% endwith %}{% elif kind == "share" %}
              <h3 class="post-card__title"><a href="{{ item.share.get_absolute_url }}">{{ item.share.title }}</a></h3>
              {% if item.share.note_html %}<div class="prose prose--clamp">{{ item.share.note_html|safe }}</div>{% endif %}
              <p class="post-card__foot muted">A shared chat · {{ item.share.turns|length }} message{{ item.share.turns|length|pluralize }} · ♥ {{ item.share.likes_count }}</p>
            {% elif kind == "moment" %}
              {% include "community/_char_embed.html" with character=item.character visible=True %}
              <div class="prose">{{ item.moment.body_html|safe }}</div>
              {% if item.moment.image %}<img class="moment__image" src="{{ item.moment.image.url }}" alt="" loading="lazy">{% endif %}
            {% else %}
              {% include "community/_char_embed.html" with character=item.character visible=True %}
            {% endif %}
          </article>{% endwith %}
        {% endfor %}"""
)


def _feed_items() -> list[object]:
    """Feed items of every kind: posts (with and without body, embeds, hidden
    character), shared chats (with and without a note), moments (with and
    without an image), new characters; text that needs escaping."""
    from characters.models import Character
    from community.models import Board, Moment, Post, Profile, SharedChat, User
    from community.selectors import FeedItem

    now = timezone.now()
    board = Board(pk=2, slug="anime-games", name="Anime & <Games>")
    character = Character(
        pk=5, slug="aria-5", name="Aria <x>", tagline="A & B", likes_count=3,
        rating_sum=9, rating_count=2,
    )  # fmt: skip
    plain = Character(pk=6, slug="z", name="Zed", avatar="avatars/z.png")
    share = SharedChat(
        pk=3, title="Tale <1>", turns=[{}, {}], likes_count=4, note_html="<p>n</p>"
    )
    bare_share = SharedChat(pk=4, title="Bare", turns=[{}], note_html="")
    items: list[object] = []
    for i in range(10):
        actor = User(pk=1 + i % 2)
        actor.profile = Profile(
            handle=["amy_1", "bo", "cy_reads"][i % 3],
            display_name=["Amy", '<b>"Bo"</b>', "cy_reads"][i % 3],
            avatar=["", "avatars/bo.png"][i % 2],
        )
        when = now - dt.timedelta(minutes=7 * i, days=10 * (i % 4))
        post = Post(
            pk=100 + i,
            board=board,
            title=["Hi", "<script>x</script> & co"][i % 2],
            body_html=["", "<p>Body &amp; <em>more</em></p>\n"][i % 3 == 0],
            score=[0, 1, 1234][i % 3],
            comments_count=[1, 0, 5][i % 3],
            created_at=when,
        )
        if i % 4 != 3:
            post.character = [character, plain][i % 2]
        if i % 3 == 1:
            post.share = share
        moment = Moment(
            pk=7, body_html="<p>Moment &amp; more</p>", image=["", "m/i.png"][i % 2]
        )
        items += [
            FeedItem(
                kind="post", created_at=when, actor=actor, character=post.character,
                moment=None, post=post, character_visible=i % 5 != 0,
                share_visible=i % 2 == 1,
            ),
            FeedItem(
                kind="share", created_at=when, actor=actor, character=character,
                moment=None, post=None, character_visible=True,
                share=[share, bare_share][i % 2],
            ),
            FeedItem(
                kind="moment", created_at=when, actor=actor, character=plain,
                moment=moment, post=None, character_visible=True,
            ),
            FeedItem(
                kind="character", created_at=when, actor=actor, character=character,
                moment=None, post=None, character_visible=True,
            ),
        ]  # fmt: skip
    return items


@pytest.mark.parametrize("tz", ["UTC", "Europe/Paris"])
@pytest.mark.parametrize("language", ["en", "fr"])
def test_feed_items_tag_renders_the_old_loop(tz: str, language: str) -> None:
    from types import SimpleNamespace

    from django.template import Context, Engine
    from django.utils import translation

    old = Engine(
        loaders=[
            (
                "django.template.loaders.locmem.Loader",
                {**OLD_TEMPLATES, "feed.html": "{% load rows %}" + OLD_FEED_LOOP},
            )
        ],
        libraries={"rows": "community.templatetags.rows"},
    )
    new = Engine.get_default().from_string("{% load rows %}{% feed_items page.items %}")
    items = _feed_items()
    with translation.override(language), timezone.override(tz):
        for item in items:
            ctx = {"page": SimpleNamespace(items=[item])}
            want = old.get_template("feed.html").render(Context(ctx))
            assert new.render(Context(ctx)) == want
        ctx = {"page": SimpleNamespace(items=items)}
        assert new.render(Context(ctx)) == old.get_template("feed.html").render(
            Context(ctx)
        )
