"""A question's parts and the card kinds, declared once.

The loader, the rules, the JSON Schema, the note type's fields, ``add``, ``list``, the preview
and the exports all read these tables, so a new part is one new row here (and a template that
shows it), not an edit in every module.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True, slots=True)
class Part:
    """One part of a question: a YAML key, an attribute of ``Question`` and an Anki field."""

    key: str
    """The YAML key and the attribute of ``model.Question`` (``instead_of``)."""

    field: str
    """The Anki field that stores it (``InsteadOf``); empty for parts that are not fields."""

    kind: Literal["text", "list"]
    """A single text, or a list of texts."""

    required: bool
    """Whether every question must have it."""

    label: str
    """How cards, sheets and prompts name it (``Instead of``)."""

    help: str
    """One line for a person writing a deck: the schema's and ``add --help``'s description."""

    option: str
    """The ``add`` option that gives it (repeated for a list: ``--instead-of``)."""

    prompt: str
    """What ``add`` asks for it in a terminal."""


QUESTION_PARTS: tuple[Part, ...] = (
    Part("question", "Question", "text", True, "Question", "What you ask.",
         "--question", "Question (what you ask)"),
    Part("purpose", "Purpose", "text", True, "You want to find out",
         "Why you ask it: what the answer reveals. Reads after 'You want to find out ...'.",
         "--purpose", "Purpose (you want to find out ...)"),
    Part("setup", "Setup", "text", False, "First", "What to do or ask first. Optional.",
         "--setup", "Setup, what to do first (optional)"),
    Part("variations", "Variations", "list", False, "Or ask",
         "Other wordings of the question. Optional.",
         "--variation", "Another wording (optional, empty to finish)"),
    Part("instead_of", "InsteadOf", "list", False, "Instead of",
         "Weaker questions this one replaces. Optional.",
         "--instead-of", "A weaker question this replaces (optional, empty to finish)"),
    Part("good_signs", "GoodSigns", "list", False, "Good signs",
         "What a good answer sounds like. Optional.",
         "--good-sign", "A good sign in the answer (optional, empty to finish)"),
    Part("red_flags", "RedFlags", "list", False, "Red flags",
         "What in an answer should worry you. Optional.",
         "--red-flag", "A red flag in the answer (optional, empty to finish)"),
    Part("follow_ups", "FollowUps", "list", False, "If the answer is vague, ask",
         "What to ask next when the answer is vague or evasive. Optional.",
         "--follow-up", "A follow-up for a vague answer (optional, empty to finish)"),
    Part("id", "Id", "text", True, "Id",
         "The note's identity in Anki, forever: lowercase letters, digits and single hyphens. "
         "Reword anything else, never the id.",
         "--id", "Id"),
    Part("tags", "", "list", False, "Tags", "Anki tags, without spaces. Optional.",
         "--tag", "Tags, separated by spaces (optional)"),
)
"""In the order of the note type's fields (``tags`` are Anki tags, not a field)."""

PARTS = {part.key: part for part in QUESTION_PARTS}
QUESTION_KEYS = ("id", *(part.key for part in QUESTION_PARTS if part.key != "id"))
"""The keys in the order a deck file writes them: the id first, then the rest."""
REQUIRED_KEYS = tuple(key for key in QUESTION_KEYS if PARTS[key].required)
TEXT_KEYS = tuple(key for key in QUESTION_KEYS if PARTS[key].kind == "text")
LIST_KEYS = tuple(key for key in QUESTION_KEYS if PARTS[key].kind == "list")
SIGNAL_KEYS = ("good_signs", "red_flags", "follow_ups")
"""The parts that teach how to read an answer (the "Read the answer" card)."""
READ_MAX_ITEMS = 6
READ_MAX_PER_PART = 3
"""What a "Read the answer" back holds and still fits a phone screen without scrolling: at most
six items in all, three in one part (the bundled decks keep to it; ``check`` warns past it)."""


@dataclass(frozen=True, slots=True)
class CardKind:
    """A kind of card every note can have; a deck's ``cards:`` chooses among them."""

    key: str
    """What a deck file writes under ``cards:`` (``reframe``)."""

    name: str
    """The card template's name in Anki (``Reframe``)."""

    field: str
    """The field that switches the card on for a note (holds ``y``) or off (empty)."""

    template: str
    """The stem of its template files: ``<template>_front.html`` and ``<template>_back.html``."""

    needs: tuple[str, ...]
    """Parts of which at least one must be non-empty for the card to exist."""

    help: str
    """What the card drills, for the schema and the README."""


CARD_KINDS: tuple[CardKind, ...] = (
    CardKind("ask", "Ask", "CardAsk", "ask", ("purpose",),
             "front: what you want to find out; back: the question to ask"),
    CardKind("why", "Why ask", "CardWhy", "why", ("question",),
             "front: the question; back: what its answer tells you"),
    CardKind("reframe", "Reframe", "CardReframe", "reframe", ("instead_of",),
             "front: a weak question; back: the better question and why it is better"),
    CardKind("read", "Read the answer", "CardRead", "read", SIGNAL_KEYS,
             "front: the question; back: good signs, red flags and follow-ups"),
)
"""In the order of the note type's card templates."""

CARD_KEYS = tuple(kind.key for kind in CARD_KINDS)
CARD_ON = "y"
"""What a card-switch field holds when the deck wants that card."""

DECK_KEYS = ("deck", "description", "source", "cards", "questions", "overrides", "hide")
"""The keys of a deck file, in the order the README and the schema give them."""

DECK_FIELDS = ("Source",)
"""Fields that come from the deck rather than the question: ``Source`` is the deck's source."""

FIELDS: tuple[str, ...] = (
    *(part.field for part in QUESTION_PARTS if part.field),
    *DECK_FIELDS,
    *(kind.field for kind in CARD_KINDS),
)
"""The note type's fields, in order. Anki matches a note type by these names and the template
names (its "schema"): changing either strands every note already in a collection, so they are
frozen by a test (tests/data/notetype-schema.json)."""

TEMPLATE_NAMES = tuple(kind.name for kind in CARD_KINDS)
