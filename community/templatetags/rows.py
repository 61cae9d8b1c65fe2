"""Tags and filters for the rows of long lists (feeds, boards, notifications):
the same output as the Django tags, filters and includes they replace, for less
time per row (a list page renders 20-50 rows; each microsecond counts 20-50
times)."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from django import template
from django.conf import settings
from django.http import HttpRequest
from django.template.context import Context
from django.template.defaultfilters import timesince_filter
from django.utils import timezone
from django.utils.formats import localize
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.timesince import timesince
from django.utils.timezone import is_aware
from django.utils.translation import get_language

from characters.models import Character
from community.models import Post, Profile, SharedChat
from community.selectors import FeedItem, PostRow
from config.links import cached_reverse, reverser

register = template.Library()


@register.simple_tag(name="link")
def link(viewname: str, **kwargs: int | str) -> str:
    """``{% url %}`` for links repeated in list rows and on every page
    (``base.html``): the same URL, from ``config.links.cached_reverse`` (no
    resolver walk per link). Unlike ``{% url … as name %}`` it raises for a
    route that does not exist."""
    return cached_reverse(viewname, **kwargs)


@register.filter(name="iso", expects_localtime=True)
def iso(value: dt.datetime | None) -> str:
    """``|date:"c"`` without the format-string machinery (~20 us a call)."""
    return value.isoformat() if isinstance(value, dt.datetime) else ""


# Under 28 days no calendar month fits between two instants, so ``timesince``
# depends only on the whole minutes between them (its units below a month are
# multiples of a minute): the text is computed once per minute count and
# language instead of translating and joining its parts for every row (~30 us).
_MONTHLESS = 28 * 24 * 60 * 60
_REFERENCE = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


@lru_cache(maxsize=4096)
def _ago(minutes: int, language: str | None) -> str:
    del language  # part of the cache key: ``timesince`` translates with it
    return timesince(_REFERENCE - dt.timedelta(minutes=minutes), _REFERENCE)


@register.filter(name="ago", is_safe=False)
def ago(value: dt.datetime | None) -> str:
    """``|timesince``, the same text (tests compare them)."""
    if not isinstance(value, dt.datetime):
        return str(timesince_filter(value))
    now = dt.datetime.now(value.tzinfo if is_aware(value) else None)
    delta = now - value
    if 0 < delta.days * 86400 + delta.seconds < _MONTHLESS:
        return _ago(int(delta.total_seconds() // 60), get_language())
    return str(timesince_filter(value))


def _since(text: str) -> str:
    # timesince says "0 minutes" for anything under a minute (or a clock a
    # little ahead): no one writes "0 minutes ago".
    return "just now" if text.startswith("0") else f"{text} ago"


@register.filter(name="since", is_safe=False)
def since(value: dt.datetime | None) -> str:
    """ "5 minutes ago", "2 days ago"; "just now" under a minute."""
    return _since(ago(value))


@register.simple_tag(name="avatar")
def avatar(profile: Profile | None, size: str | None = None) -> SafeString:
    """A profile's avatar; the markup of ``community/_avatar.html``, which
    renders through this tag (one template include per row cost more than the
    markup itself)."""
    size = _e(size or "md")
    if profile and profile.avatar:
        return mark_safe(  # noqa: S308 - escaped
            f'<img class="avatar avatar--{size}" src="{_e(profile.avatar.url)}" alt=""'
            ' loading="lazy">'
        )
    initial = _e(profile.initial if profile else "?")
    return mark_safe(  # noqa: S308 - escaped
        f'<span class="avatar avatar--{size} avatar--initial" aria-hidden="true">'
        f"{initial}</span>"
    )


@register.simple_tag(name="char_avatar")
def char_avatar(character: Character | None, size: str | None = None) -> SafeString:
    """A character's avatar (the markup of ``community/_char_avatar.html``)."""
    size = _e(size or "md")
    if not isinstance(character, Character):  # as the template rendered a blank
        return mark_safe(  # noqa: S308 - escaped
            f'<span class="avatar avatar--{size} avatar--char hue-" aria-hidden="true">'
            "</span>"
        )
    if character.avatar:
        return mark_safe(  # noqa: S308 - escaped
            f'<img class="avatar avatar--{size} avatar--char"'
            f' src="{_e(character.avatar.url)}" alt="" loading="lazy">'
        )
    return mark_safe(  # noqa: S308 - escaped
        f'<span class="avatar avatar--{size} avatar--char hue-{character.hue}"'
        f' aria-hidden="true">{_e(character.initial)}</span>'
    )


def _author(profile: Profile) -> str:
    """A person's name as every list and page shows it: the display name, then
    the @handle muted; the handle alone when the display name is none (sign-up
    stores the handle as the display name when none is given)."""
    handle = _e(profile.handle)
    name = profile.display_name
    if not name or name == profile.handle:
        return f'<span class="author"><strong class="author__name">@{handle}</strong></span>'
    return (
        f'<span class="author"><strong class="author__name">{_e(name)}</strong>'
        f' <span class="author__handle">@{handle}</span></span>'
    )


@register.simple_tag(name="author")
def author(profile: Profile) -> SafeString:
    """``{% author profile %}``: "Quiet Fox @quietfox", or "@alice_reads" for
    someone without a display name (put it inside the link to the profile)."""
    return mark_safe(_author(profile))  # noqa: S308 - escaped in _author


# --- Embeds and post cards -----------------------------------------------------
# A board page renders 20-50 post cards; through templates each cost ~0.7 ms
# (an include, two more for the embeds, ~40 variable lookups), most of the
# page's time. These tags build the same markup from f-strings, escaping every
# value with ``_e`` (what ``{{ value }}`` does: Django's ``escape`` is
# ``html.escape``); even ``format_html`` cost ~5 us an argument, ~0.1 ms a card.
# ``_post_card.html``, ``_char_embed.html`` and ``_share_embed.html`` render
# through them, and tests/community/test_rows.py compares them byte for byte
# with the templates they replaced.


def _e(value: object) -> str:
    """``{{ value }}`` for text: escaped unless already safe."""
    if isinstance(value, SafeData):
        return str(value)
    return html.escape(str(value))


def _number(value: int | float | None) -> str:
    """A number as ``{{ value }}`` prints it (localized; an int without thousand
    separators is its plain digits in every locale)."""
    if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(value)
    return html.escape(str(localize(value)))


def _plural(count: int) -> str:
    """``|pluralize``."""
    return "" if count == 1 else "s"


_CHARACTER_GONE = (
    '\n<p class="embed embed--gone muted">This character is not available.</p>\n'
)
_SHARE_GONE = (
    '\n<p class="embed embed--gone muted">This shared chat was unpublished.</p>\n'
)
_SHARE_HIDDEN = (
    '\n<p class="embed embed--gone muted">This shared chat is not available.</p>\n'
)


def _char_embed(character: Character | None, visible: bool) -> str:
    if not visible or character is None:
        return _CHARACTER_GONE
    stats = _number(character.likes_count)
    if character.rating_count:
        stats += " · ★ " + _number(character.rating_average)
    tagline = (
        f'<span class="muted">{_e(character.tagline)}</span>'
        if character.tagline
        else ""
    )
    href = _e(cached_reverse("community:character", slug=character.slug))
    return (
        f'\n<a class="embed" href="{href}">\n  {char_avatar(character, "md")}\n'
        f'  <span class="embed__text"><strong>{_e(character.name)}</strong>'
        f"{tagline}</span>\n"
        f'  <span class="embed__stats muted">♥ {stats}</span>\n</a>\n'
    )


def _share_embed(share: SharedChat | None, visible: bool) -> str:
    if share is None:
        return ""
    if share.unpublished_at:
        return _SHARE_GONE
    if not visible:
        return _SHARE_HIDDEN
    turns = len(share.turns)
    return (
        f'\n<a class="embed embed--share" href="{_e(share.get_absolute_url())}">\n'
        '  <span class="embed__icon" aria-hidden="true"><svg viewBox="0 0 24 24">'
        '<path d="M4 5h16v11H9l-5 4z"/></svg></span>\n'
        f'  <span class="embed__text"><strong>{_e(share.title)}</strong>'
        f'<span class="muted">A shared chat · {_number(turns)} message{_plural(turns)}'
        "</span></span>\n"
        f'  <span class="embed__stats muted">♥ {_number(share.likes_count)}</span>'
        "\n</a>\n"
    )


@register.simple_tag(name="char_embed")
def char_embed(character: Character | None, visible: bool) -> SafeString:
    """A post's character: a link card, or a note when the viewer may not see it
    (the caller decides, with ``selectors.character_visible_to``)."""
    return mark_safe(_char_embed(character, visible))  # noqa: S308 - escaped above


@register.simple_tag(name="share_embed")
def share_embed(share: SharedChat | None, visible: bool) -> SafeString:
    """A post's shared chat: a link card, or a note once unpublished or when
    the viewer may not open it (the caller decides, with
    ``selectors.share_visible_to``)."""
    return mark_safe(_share_embed(share, visible))  # noqa: S308 - escaped above


@dataclass(frozen=True)
class _Render:
    """What every card of one render shares, read once: the viewer's parts of
    the vote form, the link builders, the clock and the time zone."""

    csrf_input: str  # the ``{% csrf_token %}`` input, or nothing
    next_url: str  # escaped: the page to come back to after a vote
    signed_in: bool
    post_url: Callable[[int | str], str]
    vote_url: Callable[[int | str], str]
    profile_url: Callable[[int | str], str]
    now: dt.datetime
    tz: dt.tzinfo | None  # ``template_localtime``'s zone; None: USE_TZ is off
    language: str | None

    def iso(self, value: dt.datetime) -> str:
        """``|iso`` (``|date:"c"``) of ``value`` in the current time zone."""
        if self.tz is not None and is_aware(value):
            value = value.astimezone(self.tz)
        return value.isoformat()

    def since(self, value: dt.datetime) -> str:
        """``|since`` against this render's clock."""
        return _since(self.ago(value))

    def ago(self, value: dt.datetime) -> str:
        """``|ago`` (``|timesince``) against this render's clock."""
        if is_aware(value) != is_aware(self.now):
            return ago(value)
        delta = self.now - value
        if 0 < delta.days * 86400 + delta.seconds < _MONTHLESS:
            return _ago(int(delta.total_seconds() // 60), self.language)
        return str(timesince_filter(value))


def _page_path(request: HttpRequest) -> str:
    """The page a form should come back to: the page being rendered, or, for a
    form rendered in answer to a form (htmx swaps the vote form after a vote),
    the page that form came from, not the address it was posted to."""
    if request.method == "POST":
        sent = request.POST.get("next", "")
        if sent.startswith("/") and not sent.startswith("//"):
            return sent
        htmx = getattr(request, "htmx", None)
        current = getattr(htmx, "current_url_abs_path", None) if htmx else None
        if isinstance(current, str) and current.startswith("/"):
            return current
    return request.get_full_path()


def _render(context: Context) -> _Render:
    request = context.get("request")
    user = context.get("user")
    token = context.get("csrf_token")
    return _Render(
        csrf_input=(
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{_e(token)}">'
            if token and token != "NOTPROVIDED"  # noqa: S105 - Django's marker
            else ""
        ),
        next_url=_e(_page_path(request)) if isinstance(request, HttpRequest) else "",
        signed_in=bool(user is not None and user.is_authenticated),
        post_url=reverser("community:post", "post_id"),
        vote_url=reverser("community:post_vote", "post_id"),
        profile_url=reverser("community:profile", "handle"),
        now=timezone.now(),
        tz=timezone.get_current_timezone() if settings.USE_TZ else None,
        language=get_language(),
    )


def _vote_form(row: PostRow, r: _Render) -> str:
    url = _e(r.vote_url(row.post.pk))
    if row.voted:
        up, on, pressed, label = "0", " is-on", "true", "Remove upvote"
    else:
        up, on, pressed, label = "1", "", "false", "Upvote"
    disabled = "" if r.signed_in else ' disabled title="Log in to vote"'
    return (
        f'<form class="vote" method="post" action="{url}" hx-post="{url}"'
        f' hx-target="this" hx-swap="outerHTML">\n  {r.csrf_input}\n'
        f'  <input type="hidden" name="up" value="{up}">\n'
        f'  <input type="hidden" name="next" value="{r.next_url}">\n'
        # The id lets htmx give the focus back to the new button after a swap.
        f'  <button class="vote__btn{on}" id="vote-{row.post.pk}" type="submit"'
        f' aria-pressed="{pressed}" aria-label="{label}"{disabled}>▲</button>\n'
        f'  <span class="vote__score">{_number(row.post.score)}</span>\n</form>\n'
    )


@register.simple_tag(name="vote_form", takes_context=True)
def vote_form(context: Context, row: PostRow) -> SafeString:
    """The upvote button and score of a post (htmx swaps it after a vote)."""
    return mark_safe(_vote_form(row, _render(context)))  # noqa: S308 - escaped above


def _post_body(
    post: Post, character_visible: bool, share_visible: bool
) -> tuple[str, str, str]:
    """A post's body, character embed and share embed, as a card and a feed
    item show them."""
    body = (
        # Sanitized when the post was written (``community.markdown``).
        f'<div class="prose prose--clamp">{post.body_html}</div>'
        if post.body_html
        else ""
    )
    # As the templates included them: each with the file's final newline.
    character = (
        _char_embed(post.character, character_visible) + "\n"
        if post.character_id
        else ""
    )
    share = _share_embed(post.share, share_visible) + "\n" if post.share_id else ""
    return body, character, share


def _post_card(row: PostRow, r: _Render) -> str:
    post = row.post
    handle = row.author.handle
    url = _e(r.post_url(post.pk))
    created = post.created_at
    comments = post.comments_count
    body, character, share = _post_body(post, row.character_visible, row.share_visible)
    return (
        f'<article class="card post-card" id="post-{post.pk}">\n'
        f"  {_vote_form(row, r)}\n"
        '  <div class="post-card__main">\n'
        '    <p class="post-card__meta muted">\n      \n'
        f'      <a href="{_e(r.profile_url(handle))}">{_author(row.author)}</a> · '
        f'<time datetime="{_e(r.iso(created))}">{_e(r.since(created))}</time>\n'
        "    </p>\n"
        f'    <h3 class="post-card__title"><a href="{url}">{_e(post.title)}</a></h3>\n'
        f"    {body}\n    {character}\n    {share}\n"
        f'    <p class="post-card__foot muted"><a href="{url}#comments">'
        f"{_number(comments)} comment{_plural(comments)}</a></p>\n"
        "  </div>\n</article>"
    )


@register.simple_tag(name="post_card", takes_context=True)
def post_card(context: Context, row: PostRow) -> SafeString:
    """A post in a board's list: vote form, author, age, title, body, embeds."""
    return mark_safe(_post_card(row, _render(context)))  # noqa: S308 - escaped above


@register.simple_tag(name="post_cards", takes_context=True)
def post_cards(context: Context, rows: list[PostRow]) -> SafeString:
    """``{% post_card %}`` for each row, the viewer's parts read once."""
    r = _render(context)
    # Each card followed by a newline, as ``_post_card.html`` ends with one.
    return mark_safe("".join(_post_card(row, r) + "\n" for row in rows))  # noqa: S308 - escaped above


_FEED_WHAT = {"character": "published a new character", "moment": "posted a moment"}


def _feed_item(item: FeedItem, r: _Render) -> str:
    """An item of a feed (Home, Trending, New), as ``home.html`` rendered it
    in its loop; each with the loop's whitespace around it."""
    profile = item.actor.profile
    kind = item.kind
    post, shared, moment = item.post, item.share, item.moment
    if kind == "share" and item.character is not None:
        href = _e(cached_reverse("community:character", slug=item.character.slug))
        what = f'shared a chat with <a href="{href}">{_e(item.character.name)}</a>'
    elif kind == "post" and post is not None:
        board = post.board
        what = (
            f'posted in <a href="{_e(board.get_absolute_url())}">{_e(board.name)}</a>'
        )
    else:
        what = _FEED_WHAT.get(kind, "")
    head = (
        f'<article class="card feed-item feed-item--{_e(kind)}">\n'
        '            <p class="feed-item__who muted">\n'
        f"              {avatar(profile, 'sm')}\n"
        f'              <a href="{_e(r.profile_url(profile.handle))}">'
        f"{_author(profile)}</a>\n"
        f"              {what}\n"
        f'              · <time datetime="{_e(r.iso(item.created_at))}">'
        f"{_e(r.since(item.created_at))}</time>\n"
        "            </p>\n            "
    )
    if kind == "post" and post is not None:
        url = _e(r.post_url(post.pk))
        body, embed, share = _post_body(
            post, item.character_visible, item.share_visible
        )
        comments = post.comments_count
        main = (
            f'\n              <h3 class="post-card__title"><a href="{url}">'
            f"{_e(post.title)}</a></h3>\n"
            f"              {body}\n              {embed}\n              {share}\n"
            f'              <p class="post-card__foot muted">▲ {_number(post.score)} · '
            f'<a href="{url}#comments">{_number(comments)} comment{_plural(comments)}'
            "</a></p>\n            "
        )
    elif kind == "share" and shared is not None:
        note = (
            f'<div class="prose prose--clamp">{shared.note_html}</div>'
            if shared.note_html
            else ""
        )
        turns = len(shared.turns)
        # The title once, as the heading (the share's link card under it
        # repeated it); what the card added is the line under the note. The
        # feed lists only shares the viewer may open.
        main = (
            f'\n              <h3 class="post-card__title"><a href="'
            f'{_e(shared.get_absolute_url())}">{_e(shared.title)}</a></h3>\n'
            f"              {note}\n"
            f'              <p class="post-card__foot muted">A shared chat · '
            f"{_number(turns)} message{_plural(turns)} · ♥ "
            f"{_number(shared.likes_count)}</p>\n            "
        )
    elif kind == "moment" and moment is not None:
        image = (
            f'<img class="moment__image" src="{_e(moment.image.url)}" alt=""'
            ' loading="lazy">'
            if moment.image
            else ""
        )
        main = (
            f"\n              {_char_embed(item.character, True)}\n\n"
            f'              <div class="prose">{moment.body_html}</div>\n'
            f"              {image}\n            "
        )
    else:
        main = f"\n              {_char_embed(item.character, True)}\n\n            "
    return f"\n          {head}{main}\n          </article>\n        "


@register.simple_tag(name="feed_items", takes_context=True)
def feed_items(context: Context, items: list[FeedItem]) -> SafeString:
    """The items of a feed page (``home.html``); tests compare the markup with
    the template loop it replaced. Markdown bodies were sanitized when
    written (``community.markdown``)."""
    r = _render(context)
    return mark_safe("".join(_feed_item(item, r) for item in items))  # noqa: S308 - escaped above
