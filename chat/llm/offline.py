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

_WORD = re.compile(r"[\w'’]+", re.UNICODE)


def _word_set(text: str) -> frozenset[str]:
    """A set of words written as text (reads better than a list literal)."""
    return frozenset(text.split())


# Words that say little about the topic of a message.
_STOP = _word_set(
    """
a an the i you me my your is are was were be to of and or in on at it that this
what how do does did for with so but not no yes we us our they them he she his her can could
would will just like love think tell about know want have has there here really very much some
any where why when who which whats hello hey hi please good morning evening day
im ive id ill youre youve youd its dont doesnt didnt cant wont isnt arent wasnt
thats theres lets yourself myself today tonight
live lives living talk feel look make need get say said going doing thing things
"""
)


_GREETING = re.compile(
    r"^\s*(hi|hello|hey|good (morning|evening|day))\b", re.IGNORECASE
)


def _all_words(text: str) -> set[str]:
    """Every word, lower-cased, apostrophes dropped ("What's" → "whats")."""
    return {re.sub(r"['’]", "", w.lower()) for w in _WORD.findall(text)}


def _words(text: str) -> set[str]:
    """The words that say what a message is about."""
    return _all_words(text) - _STOP


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
    """Sentences, with each *action* kept whole ("*The lid opens. A drone
    rises.*" is one), so no line starts or ends inside one."""
    parts: list[str] = []
    for m in re.finditer(r"\*[^*]+\*|[^*]+", text):
        piece = m.group().strip()
        if piece.startswith("*"):
            parts.append(piece)
        else:
            # Not before a lower-case word: "Show me your soul... on a plate!"
            parts += re.split(r"(?<=[.!?…])\s+(?![a-z])", piece)
    return [p.strip() for p in parts if len(p.strip()) > 3]


# The character's own pronouns, by subject form (``_pronoun``).
_FORMS = {
    "she": {"subject": "she", "object": "her", "possessive": "her", "self": "herself"},
    "he": {"subject": "he", "object": "him", "possessive": "his", "self": "himself"},
    "it": {"subject": "it", "object": "it", "possessive": "its", "self": "itself"},
    "they": {
        "subject": "they", "object": "them", "possessive": "their",
        "self": "themself",
    },
}  # fmt: skip
_IRREGULAR = {
    "is": "am", "was": "was", "has": "have", "does": "do", "isn't": "am not",
    "doesn't": "don't", "hasn't": "haven't", "wasn't": "wasn't", "goes": "go",
    "are": "am", "aren't": "am not", "were": "was", "weren't": "wasn't",
}  # fmt: skip
# Words that open a clause: a name right after one is its subject.
_CLAUSE = _word_set(
    "and but or so yet then when while because that as where who if once until "
    "unless though although since after before"
)
# After these, a word ending in "s" is more likely a noun than a verb
# ("and planets to meteor showers", "dogs and cats").
_NOUNISH = _word_set("to of from than as and or but nor")
# Words that open a relative clause, whose verbs are not the character's.
_RELATIVE = _word_set("who which whom whose")
_ADVERBS = _word_set(
    "never always often still also rarely sometimes usually just even only "
    "seldom ever now"
)
_NAME = "\x00"  # the character's name while a sentence is rewritten
_TOKEN = re.compile(r"\x00|[\w'’-]+|\s+|[^\w\s]", re.UNICODE)


_CONTINUE = frozenset({",", "and", "but", "or", "then", "yet"})


def _adverb(word: str) -> bool:
    low = word.lower()
    return low in _ADVERBS or (low.endswith("ly") and len(low) > 4)


def _pronoun(text: str) -> str | None:
    """The pronoun a third-person card uses for its character: the most
    frequent of the she/he/it/they forms ("it" and "they" counted by their
    sentence-opening subject and by "its"/"itself", "their"/"themself" only:
    they are common for other things and people)."""
    words = [w.lower() for w in _WORD.findall(text)]
    opening = re.findall(r"(?:^|[.!?]\s+)(It|They)\b", text)
    counts = {
        "she": sum(words.count(w) for w in ("she", "her", "herself")),
        "he": sum(words.count(w) for w in ("he", "him", "his", "himself")),
        "it": opening.count("It") + sum(words.count(w) for w in ("its", "itself")),
        "they": opening.count("They")
        + sum(words.count(w) for w in ("their", "themself")),
    }
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] else None


def _base(verb: str) -> str:
    """'speaks' → 'speak', 'worries' → 'worry', 'watches' → 'watch'; words
    that are not third-person singular verbs come back as they are."""
    low = verb.lower()
    if low in _IRREGULAR:
        return _IRREGULAR[low]
    if not low.isalpha() or len(low) < 3 or not low.endswith("s"):
        return verb
    if low.endswith(("ss", "us", "is")):
        return verb
    if low.endswith("ies") and len(low) > 4:
        return verb[:-3] + "y"
    if low.endswith(("sses", "shes", "ches", "xes", "zes", "oes")):
        return verb[:-2]
    return verb[:-1]


def _previous_item(n: int, words: list[str]) -> int:
    """In a list ("a, b and c", "a, b, and c"), the position of the item
    before the one at ``n``; -1 when ``n`` does not continue a list."""
    before = words[n - 1] if n else ""
    if before in ("and", "or") and n > 1 and words[n - 2] == ",":
        return n - 3
    return n - 2 if before in (",", "and", "or") else -1


def _first_person(sentence: str, name: str, pronoun: str | None = None) -> str:
    """'Mira is a pirate who…' → 'I am a pirate who…'; 'She speaks in clipped
    sentences, turns red at compliments and softens when she talks about
    home.' → 'I speak in clipped sentences, turn red at compliments and
    soften when I talk about home.' A heuristic for cards written in the
    third person, as most are: the name and the character's ``pronoun``
    become I/me/my, the verb after them loses its -s, and so do verbs
    continuing that clause (", turns red", "and softens only")."""
    forms = _FORMS.get(pronoun or "", {})
    # The name, with a reading in brackets after it ("Rei (天霧レイ)").
    text = re.sub(rf"\b{re.escape(name)}(?:\s*\([^)]*\))?'s\b", "my", sentence)
    text = re.sub(rf"\b{re.escape(name)}(?:\s*\([^)]*\))?", _NAME, text)
    tokens = _TOKEN.findall(text)
    words = [i for i, t in enumerate(tokens) if not t.isspace()]
    out = list(tokens)
    active = False  # this clause's subject became "I"
    verbs: set[int] = set()  # positions in ``words`` of verbs turned to "I" form
    lowered = [tokens[i].lower() for i in words]

    def lowered_at(k: int) -> str:
        return lowered[k] if k < len(lowered) else ""

    for n, i in enumerate(words):
        piece = tokens[i]
        low = piece.lower()
        before = tokens[words[n - 1]].lower() if n else ""
        after = tokens[words[n + 1]] if n + 1 < len(words) else ""
        opens = not n or before in _CLAUSE or before in {",", ";", ":"}
        if piece in {";", ":", "—", "(", ")"} or low in _RELATIVE:
            active = False  # "a pirate who sails …": not "I"'s verbs
        # The word that would be this one's verb, past one adverb
        # ("quietly keeps", "never stays").
        m = n + 1
        if m < len(words) and _adverb(tokens[words[m]]):
            m += 1
        verb = tokens[words[m]] if m < len(words) else ""
        if piece == _NAME or (
            forms and low == forms["subject"] and (low in ("she", "he") or opens)
        ):
            if piece == _NAME and not (
                opens or verb.lower() in _IRREGULAR or _base(verb) != verb
            ):
                out[i] = "me"  # "sell Mossbottom a bucket"
                continue
            out[i] = "I"
            active = True
            if verb[:1].islower():
                out[words[m]] = _base(verb)
                verbs.add(m)
            continue
        if forms and low == forms["self"]:
            out[i] = "myself"
        elif (
            forms
            and low == forms["possessive"]
            and (
                low != "her"
                or (
                    after[:1].isalpha()
                    and after.lower() not in _NOUNISH
                    # "wants her settled;" (no noun after the -ed word)
                    and not (after.endswith("ed") and not lowered_at(n + 2).isalpha())
                )
            )
        ):
            out[i] = "My" if piece[:1].isupper() else "my"
        elif forms and low == forms["object"] and low not in ("it", "them"):
            out[i] = "me"
        elif (
            active
            and (
                before in _CONTINUE
                or (
                    n > 1
                    and _adverb(before)
                    and tokens[words[n - 2]].lower() in _CONTINUE
                )
            )
            and piece[:1].islower()
            and not _adverb(piece)
            and (
                (
                    (after[:1].isalpha() or after[:1] in "'‘\"")
                    and after.lower() not in _NOUNISH
                )
                # A list of verbs: "gasps, weeps(,) and swoons" (the item
                # before was one of them), not "loves cats, dogs and birds".
                or _previous_item(n, lowered) in verbs
            )
        ):
            # A verb continuing the clause: ", turns red", "and softens only",
            # "and never takes".
            out[i] = _base(piece)
            verbs.add(n)
    result = "".join(out).replace(_NAME, "I")
    return result[:1].upper() + result[1:]


def _card_lines(ctx: OfflineContext) -> list[str]:
    """Lines in the character's voice built from the card when it has no
    example dialogues."""
    pronoun = _pronoun(ctx.description)
    lines = [
        _first_person(s, ctx.char_name, pronoun)
        for s in _sentences(ctx.description)[:8]
    ]
    # The traits up to the first clause break: "terse, sharp and loyal", not
    # "…; hides a soft heart" in the same breath.
    traits = re.split(r"[;:—]", " ".join(_sentences(ctx.personality)[:1]))[0]
    traits = traits.strip().rstrip(".!")
    if traits:
        # "…worried about letting her club down" → "my club".
        traits = _first_person(traits, ctx.char_name, pronoun)
        lines.append(
            f"*{ctx.char_name} smiles.* People say I'm {traits[:1].lower()}{traits[1:]}."
        )
    # What the character says in its greeting, past its first words, without
    # the greeting's actions (they set its scene) or another "hello".
    spoken = [
        s
        for s in _sentences(ctx.greeting)[1:]
        if not s.startswith("*") and not _GREETING.search(s)
    ]
    lines += [f"*{ctx.char_name} nods.* {s}" for s in spoken[:2]]
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

    every = _all_words(ctx.user_text)

    def score(item: tuple[int, _Candidate]) -> tuple[int, int, int]:
        i, cand = item
        overlap = len(said & _words(cand.prompt)) * 2 + len(said & _words(cand.reply))
        asked = _all_words(cand.prompt)
        alike = len(every & asked)
        # The example's whole question inside the message ("Where are we
        # going, captain?") is that question asked again: it outweighs an
        # extra word found in another example's reply.
        if len(asked) > 1 and alike == len(asked):
            overlap += 2 * alike
        # A message of small words only ("Who are you?") still finds the
        # example asked the same way ("What are you?"): most of its words.
        close = alike if not said and asked and 2 * alike > len(asked) else 0
        # Ties broken by a hash of the message, so different messages vary.
        return (-overlap, -close, (i * 2654435761 + seed) % 1000003)

    ranked = [c for _, c in sorted(enumerate(candidates), key=score)]
    topic = next(
        (
            w
            for w in _WORD.findall(ctx.user_text)
            if not _all_words(w) & _STOP and len(w) > 3
        ),
        "",
    )
    matched = bool(ranked) and min(score((0, ranked[0]))[:2]) < 0
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
