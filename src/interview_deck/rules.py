"""The rules a deck must follow, shared by the YAML loader and by decks built in Python."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence

from .errors import Problem
from .model import Deck, Question
from .parts import CARD_KEYS, CARD_KINDS, LIST_KEYS, PARTS, QUESTION_KEYS, TEXT_KEYS

_SPACE = re.compile(r"\s")
ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_ID_LENGTH = 100


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


def slugify(text: str, max_words: int = 6) -> str:
    """A readable id made from the first words of ``text`` (accents dropped: é → e)."""
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", text.lower())
                    if not unicodedata.combining(ch))
    plain = re.sub(r"(?<=[a-z0-9])['’](?=[a-z])", "", plain)  # team's → teams
    words = re.findall(r"[a-z0-9]+", plain)
    return "-".join(words[:max_words])[:MAX_ID_LENGTH].strip("-")


_SUSPECT_TAG = re.compile(r"\s|^::|::$|::::|[\x00-\x1f\x7f-\x9f]|^$")


def tag_problem(tag: str) -> str | None:
    """Why ``tag`` is not a usable Anki tag, or None."""
    if not _SUSPECT_TAG.search(tag):
        return None
    if not tag.strip():
        return "tag is empty"
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
    if _CONTROL.search(name):
        return f"deck name '{name}' contains a control character; remove it"
    return None


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def blank_problem(label: str, value: str) -> str | None:
    """Complaint about an empty or whitespace-only text, or a control character in it; or None."""
    if not value.strip():
        return f"'{label}' is empty; write some text or remove the key"
    control = _CONTROL.search(value)
    if control:
        return (f"'{label}' contains the control character U+{ord(control.group()):04X}, "
                "which Anki cannot store; remove it")
    return None


def check_decks(decks: Sequence[Deck]) -> list[Problem]:
    """Every rule broken by decks built in Python (the loader checks YAML with locations)."""
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for deck_index, deck in enumerate(decks):
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
            elif (m := blank_problem(label, value)) is not None:
                yield m
    if all(isinstance(t, str) for t in question.tags):
        for tag in duplicates(question.tags):
            yield f"tag '{tag}' is listed twice"


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
