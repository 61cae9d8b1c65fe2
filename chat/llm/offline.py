"""The offline engine: deterministic, in-character replies with no network.

It answers from the card itself: among the example dialogues it finds the
``{{user}}`` line most like the user's message and replies with the character's
line that followed it; with no examples it falls back to lines drawn from the
greeting, personality and description. Macros are already filled by the caller.
A regeneration (another ``variant``) picks the next-best line, so swipes differ.
Replies stream word by word.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass

from chat.llm import ChatMessage, Delta, Finish, OfflineContext

_WORD = re.compile(r"[\w']+", re.UNICODE)
# Words that say little about the topic of a message.
_STOP = frozenset(
    """
a an the i you me my your is are was were be to of and or in on at it that this
what how do does did for with so but not no yes we us our they them he she his her can could
would will just like love think tell about know want have has there here really very much some
any where why when who which whats hello hey hi please good morning evening day
""".split()  # noqa: SIM905  # a word list reads better as text
)


_GREETING = re.compile(
    r"^\s*(hi|hello|hey|good (morning|evening|day))\b", re.IGNORECASE
)


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text) if w.lower() not in _STOP}


@dataclass(frozen=True)
class _Candidate:
    prompt: str  # what the user said before (may be empty)
    reply: str


def _example_pairs(ctx: OfflineContext) -> list[_Candidate]:
    pairs: list[_Candidate] = []
    user_prefix = f"{ctx.user_name}:".lower()
    char_prefix = f"{ctx.char_name}:".lower()
    for block in ctx.examples:
        last_user = ""
        current: list[str] | None = None
        for raw in block.splitlines():
            line = raw.strip()
            low = line.lower()
            if low.startswith(char_prefix):
                if current is not None:
                    pairs.append(_Candidate(last_user, " ".join(current)))
                current = [line[len(char_prefix) :].strip()]
            elif low.startswith(user_prefix):
                if current is not None:
                    pairs.append(_Candidate(last_user, " ".join(current)))
                    current = None
                last_user = line[len(user_prefix) :].strip()
            elif current is not None and line:
                current.append(line)
        if current is not None:
            pairs.append(_Candidate(last_user, " ".join(current)))
    return [p for p in pairs if p.reply]


def _sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?…])\s+", text.strip())
    return [p.strip() for p in parts if len(p.strip()) > 3]


def _first_person(sentence: str, name: str) -> str:
    """'Mira is a pirate who…' → 'I am a pirate who…' (a heuristic for cards
    written in the third person, as most are)."""
    for pattern, repl in (
        (rf"\b{re.escape(name)} is\b", "I am"),
        (rf"\b{re.escape(name)} was\b", "I was"),
        (rf"\b{re.escape(name)} has\b", "I have"),
        (rf"\b{re.escape(name)}'s\b", "my"),
        (rf"\b{re.escape(name)}\b", "I"),
        (r"\b(She|He|They) (is|are)\b", "I am"),
        (r"\b(she|he|they) (is|are)\b", "I am"),
        (r"\b(She|He|They) (has|have)\b", "I have"),
        (r"\b(she|he|they) (has|have)\b", "I have"),
        (r"\b(Her|His|Their)\b", "My"),
    ):
        sentence = re.sub(pattern, repl, sentence)
    return sentence[:1].upper() + sentence[1:]


def _card_lines(ctx: OfflineContext) -> list[str]:
    """Lines in the character's voice built from the card when it has no
    example dialogues."""
    lines = [_first_person(s, ctx.char_name) for s in _sentences(ctx.description)[:8]]
    traits = " ".join(_sentences(ctx.personality)[:2]).rstrip(".!")
    if traits:
        lines.append(
            f"*{ctx.char_name} smiles.* People say I'm {traits[:1].lower()}{traits[1:]}."
        )
    lines += [f"*{ctx.char_name} nods.* {s}" for s in _sentences(ctx.greeting)[1:3]]
    return lines


def compose_reply(ctx: OfflineContext) -> str:
    """The reply text (deterministic for the same context)."""
    said = _words(ctx.user_text)
    examples = _example_pairs(ctx)
    candidates = examples or [_Candidate("", s) for s in _card_lines(ctx)]
    seed = int.from_bytes(
        hashlib.sha256(f"{ctx.char_name}\n{ctx.user_text}".encode()).digest()[:4],
        "big",
    )

    def score(item: tuple[int, _Candidate]) -> tuple[int, int]:
        i, cand = item
        overlap = len(said & _words(cand.prompt)) * 2 + len(said & _words(cand.reply))
        # Ties broken by a hash of the message, so different messages vary.
        return (-overlap, (i * 2654435761 + seed) % 1000003)

    ranked = [c for _, c in sorted(enumerate(candidates), key=score)]
    topic = next(
        (
            w
            for w in _WORD.findall(ctx.user_text)
            if w.lower() not in _STOP and len(w) > 3
        ),
        "",
    )
    matched = bool(ranked) and score((0, ranked[0]))[0] < 0
    if not matched and examples:
        # No example line is about what the user said: an arbitrary one (a
        # goodbye, a food story) answers nothing. Lines from the card's own
        # description and personality at least speak of the character.
        fallback = [_Candidate("", line) for line in _card_lines(ctx)]
        if fallback:
            ranked = [c for _, c in sorted(enumerate(fallback), key=score)]
    if not ranked:
        line = f"*{ctx.char_name} tilts their head, thinking it over.*"
    else:
        line = ranked[ctx.variant % len(ranked)].reply
    opener = ""
    # Nothing in the card matched: acknowledge the topic so the reply still answers.
    if topic and not matched and topic.lower() not in line.lower():
        openers = (
            f"{topic.capitalize()}? ",
            f"Hmm, {topic}… ",
            f"Ah, {topic}. ",
        )
        opener = openers[(seed + ctx.variant) % len(openers)]
    if not topic and _GREETING.search(ctx.user_text):
        opener = f"Hello, {ctx.user_name}! "
    return (opener + line).strip()


class OfflineProvider:
    name = "offline"
    model = "kindred-offline"

    def __init__(self, *, word_delay: float = 0.0) -> None:
        self.word_delay = word_delay

    def stream(
        self, messages: list[ChatMessage], *, offline: OfflineContext
    ) -> Iterator[Delta | Finish]:
        text = compose_reply(offline)
        words = re.findall(r"\S+\s*", text)
        for i, word in enumerate(words):
            if self.word_delay and i:
                time.sleep(self.word_delay)
            yield Delta(word)
        prompt_chars = sum(len(m["content"]) for m in messages)
        yield Finish(
            "stop", prompt_tokens=prompt_chars // 3, completion_tokens=len(words)
        )
