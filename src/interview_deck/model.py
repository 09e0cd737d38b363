"""The question and deck types: frozen, typed values that every other part passes around."""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import ArgumentError
from .parts import CARD_KEYS, LIST_KEYS


@dataclass(frozen=True, slots=True)
class Question:
    """One question to ask an interviewer, and everything that helps you ask it well."""

    id: str
    """Stable slug such as ``define-success``: the note's identity in Anki, forever.
    Reword the question as often as you like; change the id and Anki sees a new note."""

    question: str
    """What you ask, in your preferred wording."""

    purpose: str
    """Why you ask it: what the answer reveals. Reads after "You want to find out ..."."""

    setup: str = ""
    """What to do or ask first, for example "Ask how long they have been there". Optional."""

    variations: tuple[str, ...] = ()
    """Other wordings of the same question, to keep it natural. Optional."""

    instead_of: tuple[str, ...] = ()
    """Weaker questions this one replaces, such as "What is your tech stack?". Optional."""

    good_signs: tuple[str, ...] = ()
    """What a good answer sounds like. Optional."""

    red_flags: tuple[str, ...] = ()
    """What in an answer should worry you. Optional."""

    follow_ups: tuple[str, ...] = ()
    """What to ask next when the answer is vague or evasive. Optional."""

    tags: tuple[str, ...] = ()
    """Anki tags for the note (no spaces), e.g. ``growth`` or ``culture``. Optional."""

    overridden_in: str = field(default="", compare=False)
    """The file whose override changed this question; empty when none changed it."""

    def __post_init__(self) -> None:
        # Lists passed from Python become tuples, so a Question can never change after creation.
        # Only a list or tuple of texts: a dict, set or single text would silently become
        # something else (its keys, an unordered list, one item per letter).
        for name in LIST_KEYS:
            value = getattr(self, name)
            if not isinstance(value, (list, tuple)):
                raise ArgumentError(f"Question.{name} must be a list of texts, not "
                                    f"{type(value).__name__}")
            for index, item in enumerate(value):
                if not isinstance(item, str):
                    raise ArgumentError(f"Question.{name} must be a list of texts; item "
                                        f"{index + 1} is {type(item).__name__}, not text")
            if not isinstance(value, tuple):
                object.__setattr__(self, name, tuple(value))


@dataclass(frozen=True, slots=True)
class Deck:
    """A named collection of questions, imported into Anki as one deck."""

    name: str
    """The deck's name in Anki; ``::`` separates subdecks (``Interview Questions::Mine``)."""

    questions: tuple[Question, ...]
    """The questions, in the order they are shown."""

    description: str = ""
    """Shown on the deck's overview screen in Anki."""

    source: str = ""
    """Where the questions come from (an article, a book, a team): shown small on the back of
    every card of the deck, so a card seen on its own still says where it is from. Optional."""

    cards: tuple[str, ...] = CARD_KEYS
    """The card kinds this deck's notes get, of ``ask``, ``why``, ``reframe`` and ``read``.
    Choosing differently never changes the note type, so decks with different choices share it."""

    file: str = field(default="", compare=False)
    """The file the deck was read from, for messages; empty for decks built in Python."""

    def __post_init__(self) -> None:
        for name in ("questions", "cards"):
            value = getattr(self, name)
            if not isinstance(value, tuple) and not isinstance(value, str):
                object.__setattr__(self, name, _as_tuple(value, f"Deck.{name}"))


def _as_tuple(value: object, what: str) -> tuple[object, ...]:
    try:
        return tuple(value)  # type: ignore[arg-type]
    except TypeError:
        raise ArgumentError(f"{what} must be a list, not {type(value).__name__}") from None
