"""Prompt assembly from a Character Card, a persona and the chat history.

Order (stable parts first, so the prompt's prefix stays identical across turns
and the LLM server's prefix cache keeps working):

1. one system message: the card's system prompt (or Kindred's default),
   description, personality, scenario, persona, style, constant lorebook entries
   (``before_char`` ones ahead of the description, the rest after it) and the
   example dialogues (split on ``<START>``);
2. the chat history, append-only, as user/assistant messages;
3. per-turn material in a final system message: lorebook entries triggered by
   their keys in the last ``scan_depth`` messages and the post-history
   instructions.

Token estimate: ``ceil(chars / 3 + 1.5 × wide) + 4`` per message, where
``wide`` counts the characters of Chinese, Japanese and Korean scripts (and
full-width forms), which count 1.5 tokens instead of a third. English averages
about four characters per token in the tokenizers of common open models;
three keeps us on the safe side for code, names and other Latin, Cyrillic, …
text without needing the model's tokenizer (tiktoken is the wrong tokenizer
for open models and downloads files). A Chinese or Japanese character is about
one token in Llama 3's and GPT-4o's tokenizers, more in older ones (Llama 2,
Mistral: byte pieces), fewer in Qwen's: counted as a third of a token, a
Chinese chat's prompt would overflow the model's context several times over.

Budget: the prompt never exceeds ``budget`` estimated tokens. The system block
may use at most half of it (examples, then lorebook entries, then the
description are cut first), per-turn material at most an eighth. History is cut
at fixed *cut points* — where the running total of history tokens crosses a
multiple of ``chunk`` — choosing the earliest cut point whose suffix fits. The
cut only moves when the history overflows and then drops a whole chunk, so the
prefix stays the same for many turns instead of sliding one turn at a time. The
newest message is always included (shortened from the front if it alone is too
long).

A conversation keeps its cut between turns (``HistoryCut``, ``prompt_from_cut``):
the next prompt reads the history from there, so building it costs what the
prompt can hold, not the chat's length. Cut points then count from the kept
cut; it moves on when the history overflows, and goes back to the start when
the room grew (a bigger plan, a shorter persona) or messages after it were
deleted.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from chat.llm import ChatMessage

DEFAULT_SYSTEM_PROMPT = (
    "You are {{char}}, in a fictional role-play chat with {{user}}. Stay in "
    "character, write only {{char}}'s replies, keep them vivid and concise, and "
    "never speak or act for {{user}}."
)
PLATFORM_RULES = (
    "Platform rules: no sexual content involving minors, no real-world harm "
    "instructions, and respect the user's wish to stop."
)
MESSAGE_OVERHEAD = 4
HISTORY_CHUNK_SHARE = (
    0.75  # a cut drops three quarters of the history room (bench/prompt_cache.py)
)
DEFAULT_SCAN_DEPTH = 2
MAX_REGEX = 200  # characters in a lorebook regex key (see _key_matches)

_MACROS = re.compile(r"\{\{\s*(char|user)\s*\}\}|<(BOT|USER)>", re.IGNORECASE)
# In a card's system prompt or post-history instructions, what the frontend's
# own text would have been (SillyTavern's convention, which cards rely on):
# Kindred's default system prompt; it has no default post-history text.
_ORIGINAL = re.compile(r"\{\{\s*original\s*\}\}", re.IGNORECASE)


def fill_original(text: str, original: str) -> str:
    return _ORIGINAL.sub(lambda _: original, text)


# Characters of CJK scripts and full-width forms (see the module doc).
_WIDE = re.compile(
    "[\u1100-\u11ff\u2e80-\u2fdf\u3000-\u9fff\ua960-\ua97f\uac00-\ud7ff"
    "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff]"
)
# In sixths of a token: a narrow character costs 2, a wide one 9.
_NARROW_UNITS, _WIDE_UNITS = 2, 9


def _units(text: str) -> int:
    if text.isascii():  # most text, and free to ask (CPython knows)
        return _NARROW_UNITS * len(text)
    wide = len(_WIDE.findall(text))
    return _NARROW_UNITS * (len(text) - wide) + _WIDE_UNITS * wide


def estimate_tokens(text: str) -> int:
    return -(-_units(text) // 6)  # ceil


def message_tokens(message: ChatMessage) -> int:
    return estimate_tokens(message["content"]) + MESSAGE_OVERHEAD


def prompt_tokens(messages: Sequence[ChatMessage]) -> int:
    return sum(message_tokens(m) for m in messages)


def fill_macros(text: str, *, char: str, user: str) -> str:
    def repl(m: re.Match[str]) -> str:
        word = (m.group(1) or m.group(2)).lower()
        return char if word in ("char", "bot") else user

    return _MACROS.sub(repl, text)


@dataclass(frozen=True)
class Turn:
    role: str  # "user" | "assistant" | "system"
    text: str


@dataclass
class PromptInput:
    data: dict[str, Any]  # Card V3 ``data``
    user_name: str
    persona_description: str = ""
    style: str = ""  # Kindred style (friendly, humorous, formal, educational)
    history: list[Turn] = field(default_factory=list)  # oldest first, newest last
    budget: int = 4096
    # Share of the history room one cut drops; a tiny share slides one turn at
    # a time (the baseline bench/prompt_cache.py compares against).
    chunk_share: float = HISTORY_CHUNK_SHARE


@dataclass(frozen=True)
class Prompt:
    messages: list[ChatMessage]
    tokens: int
    history_start: int  # index of the first history turn included
    lore_triggered: list[str]
    history_room: int = 0  # tokens the history may use (budget − system − tail)


def char_name(data: dict[str, Any]) -> str:
    return str(data.get("nickname") or data.get("name") or "Character")


def split_examples(mes_example: str) -> list[str]:
    blocks = re.split(r"<START>", mes_example, flags=re.IGNORECASE)
    return [b.strip() for b in blocks if b.strip()]


def _strip_decorators(content: str) -> str:
    # V3 ``@@decorators`` at the top of an entry; unknown ones are ignored.
    lines = content.splitlines()
    while lines and lines[0].lstrip().startswith("@@"):
        lines.pop(0)
    return "\n".join(lines).strip()


def _key_matches(key: str, text: str, *, case_sensitive: bool, regex: bool) -> bool:
    if not key:
        return False
    if regex:
        # Regex keys come from card authors; a length cap bounds the pattern and
        # the scanned text is at most scan_depth messages of ≤ 4,000 characters.
        if len(key) > MAX_REGEX:
            return False
        pattern = key
        flags = 0 if case_sensitive else re.IGNORECASE
        slashed = re.fullmatch(r"/(.*)/([a-z]*)", key, flags=re.DOTALL)
        if slashed:
            pattern = slashed.group(1)
            if "i" in slashed.group(2):
                flags |= re.IGNORECASE
        try:
            return re.search(pattern, text, flags) is not None
        except re.error:
            return False
    if case_sensitive:
        return key in text
    return key.lower() in text.lower()


@dataclass(frozen=True)
class _Entry:
    content: str
    order: float
    priority: float
    position: str
    tokens: int


def _entries(data: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    book = data.get("character_book")
    if not isinstance(book, dict):
        return {}, []
    raw = book.get("entries")
    entries = [e for e in raw if isinstance(e, dict)] if isinstance(raw, list) else []
    return book, [e for e in entries if e.get("enabled", True)]


def _entry(e: dict[str, Any], *, char: str, user: str) -> _Entry:
    content = fill_macros(
        _strip_decorators(str(e.get("content") or "")), char=char, user=user
    )
    ext = e.get("extensions") if isinstance(e.get("extensions"), dict) else {}
    position = str(e.get("position") or (ext or {}).get("position") or "after_char")
    return _Entry(
        content=content,
        order=float(e.get("insertion_order") or 0),
        priority=float(e.get("priority") or 0),
        position=position,
        tokens=estimate_tokens(content),
    )


def _fit_budget(entries: list[_Entry], budget: int) -> list[_Entry]:
    """Keep entries within ``budget`` tokens, discarding the lowest priority
    first (V2 spec), then return them in insertion order."""
    kept: list[_Entry] = []
    used = 0
    for e in sorted(entries, key=lambda x: (-x.priority, x.order)):
        if e.content and used + e.tokens <= budget:
            kept.append(e)
            used += e.tokens
    return sorted(kept, key=lambda x: x.order)


def lorebook(
    data: dict[str, Any], history: Sequence[Turn], *, char: str, user: str, budget: int
) -> tuple[list[_Entry], list[_Entry]]:
    """(constant entries, entries triggered by the last ``scan_depth`` messages)."""
    book, raw = _entries(data)
    if not raw:
        return [], []
    book_budget = book.get("token_budget")
    if isinstance(book_budget, int) and book_budget > 0:
        budget = min(budget, book_budget)
    depth = book.get("scan_depth")
    depth = depth if isinstance(depth, int) and depth > 0 else DEFAULT_SCAN_DEPTH
    scanned = "\n".join(t.text for t in history[-depth:])
    constant: list[_Entry] = []
    triggered: list[_Entry] = []
    for e in raw:
        entry = _entry(e, char=char, user=user)
        if e.get("constant"):
            constant.append(entry)
            continue
        case = bool(e.get("case_sensitive"))
        regex = bool(e.get("use_regex"))
        keys = [str(k) for k in e.get("keys") or [] if isinstance(k, str)]
        if not any(
            _key_matches(k, scanned, case_sensitive=case, regex=regex) for k in keys
        ):
            continue
        if e.get("selective"):
            second = [
                str(k) for k in e.get("secondary_keys") or [] if isinstance(k, str)
            ]
            if second and not any(
                _key_matches(k, scanned, case_sensitive=case, regex=regex)
                for k in second
            ):
                continue
        triggered.append(entry)
    constant = _fit_budget(constant, budget)
    used = sum(e.tokens for e in constant)
    return constant, _fit_budget(triggered, max(0, budget - used))


def _truncate(text: str, tokens: int, *, keep_end: bool = False) -> str:
    """The longest start (or end) of ``text`` estimated at most ``tokens``."""
    limit = max(0, tokens) * 6
    if _units(text) <= limit:
        return text
    units = 0
    chars = 0
    for ch in reversed(text) if keep_end else text:
        units += _WIDE_UNITS if _WIDE.match(ch) else _NARROW_UNITS
        if units > limit:
            break
        chars += 1
    return text[len(text) - chars :] if keep_end else text[:chars]


def _system_block(
    inp: PromptInput, *, char: str, budget: int, constant: list[_Entry]
) -> str:
    data = inp.data

    def fill(text: str) -> str:
        return fill_macros(text, char=char, user=inp.user_name).strip()

    system = fill(
        fill_original(str(data.get("system_prompt") or ""), DEFAULT_SYSTEM_PROMPT)
        or DEFAULT_SYSTEM_PROMPT
    )
    head = [PLATFORM_RULES, system]
    head += [e.content for e in constant if e.position == "before_char"]
    description = fill(str(data.get("description") or ""))
    rest: list[str] = []
    if data.get("personality"):
        rest.append(f"{char}'s personality: {fill(str(data['personality']))}")
    if data.get("scenario"):
        rest.append(f"Scenario: {fill(str(data['scenario']))}")
    if inp.persona_description.strip():
        persona = fill(inp.persona_description)
        rest.append(f"About {inp.user_name}: {persona}")
    if inp.style and inp.style != "none":
        rest.append(f"Speak in a {inp.style} style.")
    lore = [e.content for e in constant if e.position != "before_char"]
    examples = [fill(b) for b in split_examples(str(data.get("mes_example") or ""))]
    example_text = (
        "Example dialogues (style reference only):\n"
        + "\n".join(f"<START>\n{b}" for b in examples)
        if examples
        else ""
    )

    def join(*parts: list[str] | str) -> str:
        flat: list[str] = []
        for p in parts:
            flat.extend([p] if isinstance(p, str) else p)
        return "\n\n".join(x for x in flat if x)

    # Shed the least essential parts until the block fits its share.
    for candidate in (
        join(head, description, rest, lore, example_text),
        join(head, description, rest, lore),
        join(head, description, rest),
    ):
        if estimate_tokens(candidate) + MESSAGE_OVERHEAD <= budget:
            return candidate
    return _truncate(join(head, description, rest), budget - MESSAGE_OVERHEAD)


def _history_start(sizes: list[int], room: int, chunk: int) -> int:
    """Earliest fixed cut point whose suffix fits ``room`` (see module doc)."""
    n = len(sizes)
    total = sum(sizes)
    if total <= room:
        return 0
    suffix = total
    cum = 0
    next_cut = chunk
    fallback = n - 1
    for i, size in enumerate(sizes):
        # ``i`` is a cut point when the running total before it crossed a multiple
        # of ``chunk``; cut points depend only on older turns, so they never move
        # as the conversation grows.
        if i > 0 and cum >= next_cut:
            while next_cut <= cum:
                next_cut += chunk
            if suffix <= room:
                return min(i, n - 1)
        cum += size
        suffix -= size
        if suffix <= room and i + 1 < n and fallback == n - 1:
            fallback = i + 1
    return fallback


def build_prompt(inp: PromptInput) -> Prompt:
    char = char_name(inp.data)
    budget = max(inp.budget, 64)
    system_cap = budget // 2
    # Room kept for the per-turn tail depends only on the card and the budget
    # (never on this turn's triggered entries), so the history cut stays put:
    # the post-history instructions plus room for the lorebook's keyed
    # entries (at most a sixteenth of the budget); at most an eighth in all.
    post = fill_original(str(inp.data.get("post_history_instructions") or ""), "")
    post = post.strip()
    post = fill_macros(post, char=char, user=inp.user_name) if post else ""
    _, entries = _entries(inp.data)
    # What every keyed entry together could need (each +1 for its separator),
    # not a flat share: room a card's lorebook can never use goes to history.
    keyed = sum(
        _entry(e, char=char, user=inp.user_name).tokens + 1
        for e in entries
        if not e.get("constant")
    )
    tail_cap = min(
        budget // 8,
        (estimate_tokens(post) + 1 if post else 0)
        + min(keyed, budget // 16)
        + MESSAGE_OVERHEAD,
    )
    constant, triggered = lorebook(
        inp.data,
        inp.history,
        char=char,
        user=inp.user_name,
        budget=max(0, system_cap // 2),
    )
    system = _system_block(inp, char=char, budget=system_cap, constant=constant)
    messages: list[ChatMessage] = [{"role": "system", "content": system}]

    tail_parts = [e.content for e in triggered]
    if post:
        tail_parts.append(post)
    tail_text = "\n\n".join(p for p in tail_parts if p)
    while (
        tail_text
        and estimate_tokens(tail_text) + MESSAGE_OVERHEAD > tail_cap
        and tail_parts
    ):
        tail_parts.pop(0)  # drop triggered lore before the instructions
        tail_text = "\n\n".join(p for p in tail_parts if p)
    if tail_text and estimate_tokens(tail_text) + MESSAGE_OVERHEAD > tail_cap:
        tail_text = _truncate(tail_text, tail_cap - MESSAGE_OVERHEAD)
    tail: list[ChatMessage] = (
        [{"role": "system", "content": tail_text}] if tail_text else []
    )

    history: list[ChatMessage] = [
        {
            "role": t.role if t.role in ("user", "assistant") else "system",
            "content": t.text,
        }
        for t in inp.history
    ]
    # Room is computed with the tail's *cap*, not its size, so per-turn lore does
    # not move the cut point.
    room = budget - message_tokens(messages[0]) - tail_cap
    start = len(history)
    if history:
        sizes = [message_tokens(m) for m in history]
        chunk = max(1, int(room * inp.chunk_share))
        start = _history_start(sizes, room, chunk)
        kept = history[start:]
        if prompt_tokens(kept) > room:
            # Only the newest message is left and it alone is too long: keep its end.
            newest = kept[-1]
            kept = [
                {
                    "role": newest["role"],
                    "content": _truncate(
                        newest["content"],
                        max(1, room - MESSAGE_OVERHEAD),
                        keep_end=True,
                    ),
                }
            ]
        history = kept
    full = messages + history + tail
    return Prompt(
        messages=full,
        tokens=prompt_tokens(full),
        history_start=start,
        lore_triggered=[e.content for e in triggered],
        history_room=room,
    )


@dataclass(frozen=True)
class HistoryCut:
    """Where a conversation's prompts start its history, kept between turns:
    the position of the first turn the last prompt included (a message's
    ``seq``; 0: the start) and the history room it was chosen for."""

    first: int = 0
    room: int = 0


def prompt_from_cut(
    cut: HistoryCut,
    read: Callable[[int], tuple[list[Turn], list[int]]],
    make: Callable[[list[Turn]], PromptInput],
) -> tuple[Prompt, list[Turn], HistoryCut]:
    """Build a prompt from the history at and after ``cut`` only.

    ``read(first)``: the turns from position ``first`` on, oldest first, and
    each one's position; ``make(turns)``: the input for those turns. Returns
    the prompt, the turns it was built from and the cut to keep (equal to
    ``cut`` when it did not move). The history is read again from the start
    when the room grew since the cut was chosen: older turns may fit again.
    """
    turns, positions = read(cut.first)
    prompt = build_prompt(make(turns))
    if cut.first and prompt.history_room > cut.room:
        turns, positions = read(0)
        prompt = build_prompt(make(turns))
    if prompt.history_start >= len(positions):
        return prompt, turns, cut  # no history at all
    return (
        prompt,
        turns,
        HistoryCut(positions[prompt.history_start], prompt.history_room),
    )
