"""The rules a deck must follow, shared by the YAML loader and by decks built in Python."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence

from ..errors import Problem
from ..model import Deck, Question
from ..parts import (
    CARD_KEYS,
    CARD_KINDS,
    LIST_KEYS,
    PARTS,
    QUESTION_KEYS,
    TEXT_KEYS,
)
from .slugs import MAX_ID_LENGTH, slugify

_SPACE = re.compile(r"\s")
ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def id_problem(value: str) -> str | None:
    """Why ``value`` is not a valid question id, or None when it is."""
    if len(value) > MAX_ID_LENGTH:
        return (f"id is {len(value)} characters long; shorten it to {MAX_ID_LENGTH} "
                "characters or fewer")
    if not ID_PATTERN.fullmatch(value):
        suggestion = slugify(value)
        hint = f" (for example '{suggestion}')" if suggestion else ""
        return (
            f"id '{value}' is not a valid id: use lowercase letters, digits and single "
            f"hyphens, like 'define-success'{hint}"
        )
    return None


_SUSPECT_TAG = re.compile(r"\s|^::|::$|::::|[\x00-\x1f\x7f-\x9f\ud800-\udfff]|^$"
                          r"|^(?i:marked|leech)$|[\u00ad\u115f\u1160\u180e\u200b-\u200f"
                          r"\u202a-\u202e\u2060-\u206f\u2800\u3164\ufeff\uffa0]")
# Anki keeps these tags for itself and removes them from every imported note.
ANKI_TAGS = ("marked", "leech")
# Anki's largest deck depth: it refuses a whole package with a deeper deck
# (rslib/src/decks/addupdate.rs, "deck nesting level too deep").
MAX_DECK_PARTS = 11


def tag_problem(tag: str) -> str | None:
    """Why ``tag`` is not a usable Anki tag, or None."""
    if not _SUSPECT_TAG.search(tag):
        return None
    if not tag.strip():
        return "tag is empty"
    if (m := _unusable_text("tag", tag)) is not None:
        return m
    if tag.casefold() in ANKI_TAGS:
        return (f"tag '{tag}' is one Anki keeps for itself and removes from imported notes; "
                "choose another")
    if _SPACE.search(tag):
        return (
            f"tag '{tag}' contains a space; Anki splits tags on spaces "
            f"(use '{'-'.join(tag.split())}' instead)"
        )
    if any(not part for part in tag.split("::")):
        return f"tag '{tag}' has an empty part around '::'; Anki would name it 'blank'"
    if _CONTROL.search(tag):
        return f"tag '{tag}' contains a control character; remove it"
    return None


# Characters that show as nothing at all: format characters (zero-width space and joiners,
# soft hyphen, direction marks, byte order mark) and the blank-looking fillers.
_INVISIBLE_SET = (r"\u00ad\u115f\u1160\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\u2800\u3164"
                  r"\ufeff\uffa0")
_INVISIBLE = re.compile(f"[{_INVISIBLE_SET}]")
# Zero-width non-joiner and joiner between two visible characters are part of how the text is
# written (Persian "می‌خواهم", emoji such as 👩‍💻): Anki stores them, and nothing looks alike.
_JOINER = re.compile(f"(?<=[^\\s{_INVISIBLE_SET}])[\u200c\u200d](?=[^\\s{_INVISIBLE_SET}])")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _subject(label: str, item: bool) -> str:
    return f"an item of '{label}'" if item else f"'{label}'"


def _unusable_text(label: str, value: str, item: bool = False) -> str | None:
    """Text Anki cannot store (undecodable bytes) or would show as nothing; or None.
    ``item``: the text is one item of the list ``label``."""
    who = _subject(label, item)
    if _SURROGATE.search(value):
        return (f"{who} contains bytes that are not UTF-8 text (they arrive as "
                "U+DCxx); type it again, or save the input as UTF-8")
    if _INVISIBLE.search(value):
        if not _INVISIBLE.sub("", value).strip():
            return f"{who} is only invisible characters; write some text"
        found = _INVISIBLE.search(_JOINER.sub("", value))
        if label in ("tag", "deck") and found is not None:
            return (f"{label} '{value}' contains the invisible character "
                    f"U+{ord(found.group()):04X}; remove it (two names that look the same "
                    "would be different in Anki)")
    return None


def tag_key(tag: str) -> str:
    """How Anki compares tags: case-insensitively, whatever the Unicode normal form."""
    return unicodedata.normalize("NFC", tag).casefold()


def deck_key(name: str) -> str:
    """How Anki compares deck names: by their parts, case-insensitively."""
    return "::".join(unicodedata.normalize("NFC", part).casefold() for part in name.split("::"))


def deck_name_problem(name: str) -> str | None:
    """Why ``name`` is not a usable Anki deck name, or None."""
    if not name.strip():
        return "deck name is empty"
    parts = name.split("::")
    if any(not part.strip() for part in parts):
        return f"deck name '{name}' has an empty part between '::' separators"
    if any(part != part.strip() for part in parts):
        return (f"deck name '{name}' has spaces around '::'; Anki would keep them "
                f"(write '{'::'.join(p.strip() for p in parts)}')")
    if _DECK_CONTROL.search(name):
        return (f"deck name {name!r} contains a line break, tab or control character, which "
                "Anki removes; write the name on one line")
    if (m := _unusable_text("deck", name)) is not None:
        return m
    if any(part[0] == ":" or part[-1] == ":" for part in parts):
        return (f"deck name '{name}' has a ':' at the start or end of a part, which Anki "
                "removes; separate subdecks with exactly '::'")
    if len(parts) > MAX_DECK_PARTS:
        return (f"deck name '{name}' is {len(parts)} levels deep; Anki refuses the whole "
                f"package for decks deeper than {MAX_DECK_PARTS} levels")
    if parts[0].casefold() == "default":
        return (f"deck name '{name}' starts with Anki's own deck 'Default' (Anki would merge "
                "or rename it); choose another name")
    return None


_ODD_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u00ad\u115f\u1160"
                       r"\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\u2800\u3164\ufeff\uffa0]")
_DECK_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def blank_problem(label: str, value: str, item: bool = False) -> str | None:
    """Complaint about an empty or whitespace-only text, or a control character in it; or None.
    ``item``: the text is one item of the list ``label``."""
    if not value.strip():
        if item:
            return f"an item of '{label}' is empty; write some text or remove the item"
        return f"'{label}' is empty; write some text or remove the key"
    if not _ODD_TEXT.search(value):  # the common case, in one search
        return None
    if (m := _unusable_text(label, value, item)) is not None:
        return m
    control = _CONTROL.search(value)
    if control:
        return (f"{_subject(label, item)} contains the control character "
                f"U+{ord(control.group()):04X}, which Anki cannot store; remove it")
    return None


def check_decks(decks: Sequence[Deck]) -> list[Problem]:
    """Every rule broken by decks built in Python (the loader checks YAML with locations)."""
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for deck_index, deck in enumerate(decks):
        if not isinstance(deck, Deck):
            problems.append(Problem(f"deck {deck_index + 1}", 0, 0,
                                    f"expected a Deck, not {type(deck).__name__}"))
            continue
        where_deck = deck.file or f"deck {deck_index + 1}"
        if not isinstance(deck.name, str):
            problems.append(Problem(where_deck, 0, 0, "deck name must be text"))
        elif (message := deck_name_problem(deck.name)) is not None:
            problems.append(Problem(where_deck, 0, 0, message))
        for label in ("description", "source"):
            if not isinstance(getattr(deck, label), str):
                problems.append(Problem(where_deck, 0, 0, f"deck {label} must be text"))
        problems.extend(Problem(where_deck, 0, 0, m) for m in cards_problems(deck.cards))
        for index, question in enumerate(deck.questions):
            where = f"{where_deck}, question {index + 1}"
            if not isinstance(question, Question):
                problems.append(Problem(where, 0, 0, "expected a Question"))
                continue
            problems.extend(Problem(where, 0, 0, m) for m in question_problems(question))
            if not cards_problems(deck.cards) and (
                    m := cardless_problem(question, deck.cards)) is not None:
                problems.append(Problem(where, 0, 0, m))
            if isinstance(question.id, str):
                if question.id in seen:
                    problems.append(
                        Problem(where, 0, 0,
                                f"duplicate id '{question.id}' (also {seen[question.id]})")
                    )
                else:
                    seen[question.id] = where
    return problems


EMPTY_CARDS = ("'cards' is empty; choose at least one of " + ", ".join(CARD_KEYS)
               + ", or leave it out to get all four")


def card_kind_problem(kind: object) -> str | None:
    """Why ``kind`` is not a card kind a deck can choose, or None when it is."""
    if not isinstance(kind, str):
        return f"a card kind must be text, not {type(kind).__name__}"
    if kind in CARD_KEYS:
        return None
    close = difflib.get_close_matches(kind.strip().lower(), CARD_KEYS, n=1, cutoff=0.5)
    hint = f"did you mean '{close[0]}'?" if close else f"choose from {', '.join(CARD_KEYS)}"
    return f"unknown card kind '{kind}'; {hint}"


def cards_problems(cards: object) -> list[str]:
    """Why ``cards`` is not a choice of card kinds, if it is not."""
    if isinstance(cards, str) or not isinstance(cards, Iterable):
        return [f"'cards' must be a list of card kinds, not {type(cards).__name__}"]
    kinds = list(cards)
    if not kinds:
        return [EMPTY_CARDS]
    problems = [m for kind in kinds if (m := card_kind_problem(kind)) is not None]
    repeated = duplicates(kind for kind in kinds if isinstance(kind, str))
    return problems + [f"card kind '{kind}' is listed twice" for kind in repeated]


def cardless_problem(question: Question, cards: Sequence[str]) -> str | None:
    """Why ``question`` gets no card from a deck that wants the card kinds ``cards``, or None.

    A card kind exists for a question when at least one of the parts it needs is filled (the
    templates decide the same way, which tests check against Anki's own card generation)."""
    chosen = [kind for kind in CARD_KINDS if kind.key in cards]
    if any(getattr(question, need) for kind in chosen for need in kind.needs):
        return None
    needs = sorted({need for kind in chosen for need in kind.needs}, key=QUESTION_KEYS.index)
    wanted = ", ".join(kind.key for kind in chosen)
    parts = " or ".join(f"'{need}'" for need in needs)
    return (f"question '{question.id}' gets no card: its deck's cards: [{wanted}] need "
            f"{parts}; add one, or choose more card kinds in 'cards'")


def question_problems(question: Question) -> Iterable[str]:
    """Messages for every rule ``question`` breaks."""
    for label in TEXT_KEYS:
        value = getattr(question, label)
        if not isinstance(value, str):
            yield f"'{label}' must be text, not {type(value).__name__}"
        elif (PARTS[label].required or value.strip()) and (m := blank_problem(label, value)):
            yield m
    if isinstance(question.id, str) and question.id.strip():
        if (m := id_problem(question.id)) is not None:
            yield m
    for label in LIST_KEYS:
        values = getattr(question, label)
        if isinstance(values, str):
            yield f"'{label}' must be a list of texts, not a single text"
            continue
        for value in values:
            if not isinstance(value, str):
                yield f"'{label}' items must be text, not {type(value).__name__}"
            elif label == "tags":
                if (m := tag_problem(value)) is not None:
                    yield m
            elif (m := blank_problem(label, value, item=True)) is not None:
                yield m
    if all(isinstance(t, str) for t in question.tags):
        for tag in duplicates(question.tags):
            yield f"tag '{tag}' is listed twice"
    for label in LIST_KEYS:
        values = getattr(question, label)
        if label == "tags" or isinstance(values, str) or not all(
                isinstance(v, str) for v in values):
            continue
        seen: set[str] = set()
        for value in values:
            if text_key(value) in seen:
                yield f"'{value}' is listed twice in '{label}'; remove one"
            seen.add(text_key(value))


def text_key(text: str) -> str:
    """When two items of a list say the same: case, Unicode form and spacing aside."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def duplicates(values: Iterable[str]) -> list[str]:
    """Values that occur more than once, each reported once, in order (compared as Anki does)."""
    seen: set[str] = set()
    repeated: list[str] = []
    for value in values:
        key = tag_key(value)
        if key in seen and value not in repeated:
            repeated.append(value)
        seen.add(key)
    return repeated


def duplicate_id_problems(decks: Sequence[Deck]) -> list[Problem]:
    """An id used twice across ``decks`` (one GUID, two notes in Anki): checked even when the
    other rules are skipped (``write_package(check=False)``)."""
    seen: dict[str, str] = {}
    problems = []
    for deck_index, deck in enumerate(decks):
        for index, question in enumerate(deck.questions):
            where = f"{deck.file or f'deck {deck_index + 1}'}, question {index + 1}"
            if (first := seen.setdefault(question.id, where)) != where:
                problems.append(Problem(where, 0, 0,
                                        f"duplicate id '{question.id}' (also {first})"))
    return problems
