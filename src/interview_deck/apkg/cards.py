"""The note type's design, without genanki: card templates and CSS (files in ``templates/``),
the field values of a question, which cards a note gets, and Anki's template rules for a
preview. The fields and card kinds themselves are declared in ``parts``."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..model import Deck, Question
from ..parts import CARD_KEYS, CARD_KINDS, CARD_ON, FIELDS, QUESTION_PARTS, CardKind
from ..paths import template_text
from ..text import to_html, to_html_list

__all__ = ["FIELDS", "NOTETYPE_NAME", "CardTemplates", "card_ordinals", "note_cards",
           "note_fields", "render", "render_cards", "renders_with_fields"]

NOTETYPE_NAME = "Interview Question (interview-deck)"


@dataclass(frozen=True, slots=True)
class CardTemplates:
    """The card templates, one front and back per card kind, and the stylesheet: HTML and CSS
    files in ``templates/`` (``ask_front.html``, ``ask_back.html``, ..., ``card.css``)."""

    cards: tuple[tuple[CardKind, str, str], ...]
    """(card kind, front template, back template), in Anki's card order."""

    css: str

    @classmethod
    def load(cls, folder: Path | None = None) -> CardTemplates:
        """Read the templates from ``folder``, by default the ones shipped in the package."""

        def read(name: str) -> str:
            if folder is not None:
                return (Path(folder) / name).read_text(encoding="utf-8")
            return template_text(name)

        return cls(tuple((kind, read(f"{kind.template}_front.html"),
                          read(f"{kind.template}_back.html")) for kind in CARD_KINDS),
                   read("card.css"))

    def as_list(self) -> list[tuple[str, str, str]]:
        """(card name, front, back) for each card, in Anki's card order."""
        return [(kind.name, front, back) for kind, front, back in self.cards]


def note_fields(question: Question, deck: Deck | None = None) -> list[str]:
    """The field values Anki stores for ``question`` of ``deck``, in ``FIELDS`` order, as safe
    HTML. Without a deck, the note wants every card kind and names no source."""
    values = [to_html(getattr(question, part.key)) if part.kind == "text"
              else to_html_list(getattr(question, part.key))
              for part in QUESTION_PARTS if part.field]
    values.append(to_html(deck.source) if deck is not None else "")
    wanted = deck.cards if deck is not None else CARD_KEYS
    values += [CARD_ON if kind.key in wanted else "" for kind in CARD_KINDS]
    return values


_TAG = re.compile(r"\{\{\s*([#^/]?)\s*([^}]*?)\s*\}\}")
# Anki counts a field as empty when it holds only whitespace and empty line breaks.
_EMPTY = re.compile(r"(?:\s|<br\s*/?>|</?div>)*", re.I)


def render(template: str, fields: dict[str, str], front_side: str = "") -> str:
    """Fill ``template`` as Anki does for the syntax our templates use: ``{{Field}}``,
    ``{{#Field}}...{{/Field}}``, ``{{^Field}}...{{/Field}}`` and ``{{FrontSide}}``.

    One pass over the template: text that a field brings in is never read as template syntax.
    """
    out: list[str] = []
    hidden: list[bool] = []  # per open section: does it hide its body?
    names: list[str] = []
    position = 0
    for match in _TAG.finditer(template):
        if not any(hidden):
            out.append(template[position : match.start()])
        position = match.end()
        kind, name = match.groups()
        if kind in ("#", "^"):
            filled = not _EMPTY.fullmatch(fields.get(name, ""))
            hidden.append(filled != (kind == "#"))
            names.append(name)
        elif kind == "/":
            if names and names[-1] == name:
                names.pop()
                hidden.pop()
        elif not any(hidden):
            out.append(front_side if name == "FrontSide" else fields.get(name, ""))
    if not any(hidden):
        out.append(template[position:])
    return "".join(out)


def renders_with_fields(template: str, nonempty: Iterable[str]) -> bool:
    """Whether Anki makes a card from the front ``template`` for a note whose non-empty fields
    are ``nonempty``: some field it shows is non-empty. Text never counts, a ``{{#F}}`` section
    counts only when F is non-empty, a ``{{^F}}`` section only when F is empty (Anki's
    ``renders_with_fields``; the same rule lists a card under Check → Empty Cards)."""
    filled = set(nonempty)
    # For each open section: are we inside a part of the template Anki would look into?
    live: list[bool] = []
    for match in _TAG.finditer(template):
        kind, name = match.groups()
        if kind in ("#", "^"):
            live.append((name in filled) == (kind == "#"))
        elif kind == "/":
            if live:
                live.pop()
        elif all(live) and name.rsplit(":", 1)[-1] in filled:  # {{text:Field}} shows Field
            return True
    return False


def card_ordinals(fields: list[str], templates: CardTemplates) -> list[int]:
    """The card ordinals Anki creates for a note with ``fields`` (in ``FIELDS`` order)."""
    nonempty = frozenset(name for name, value in zip(FIELDS, fields, strict=True)
                         if value and not _EMPTY.fullmatch(value))
    fronts = tuple(front for _, front, _ in templates.cards)
    return list(_ordinals(fronts, nonempty))


@functools.lru_cache(maxsize=1024)
def _ordinals(fronts: tuple[str, ...], nonempty: frozenset[str]) -> tuple[int, ...]:
    # A deck's notes differ in which fields are filled, not much more: a few sets, many notes.
    return tuple(ordinal for ordinal, front in enumerate(fronts)
                 if renders_with_fields(front, nonempty))


def note_cards(question: Question, deck: Deck | None = None, *,
               templates: CardTemplates | None = None) -> list[CardKind]:
    """The kinds of card Anki makes for ``question`` in ``deck``."""
    style = templates if templates is not None else CardTemplates.load()
    return [style.cards[ordinal][0]
            for ordinal in card_ordinals(note_fields(question, deck), style)]


def render_cards(question: Question, deck: Deck | None = None, *,
                 templates: CardTemplates | None = None) -> list[tuple[str, str, str]]:
    """(card name, front HTML, back HTML) of each card ``question`` gets in ``deck``, without
    the CSS."""
    style = templates if templates is not None else CardTemplates.load()
    values = note_fields(question, deck)
    fields = dict(zip(FIELDS, values, strict=True))
    cards = []
    for ordinal in card_ordinals(values, style):
        kind, front_template, back_template = style.cards[ordinal]
        front = render(front_template, fields)
        cards.append((kind.name, front, render(back_template, fields, front)))
    return cards


def new_positions(cards_per_note: Sequence[Sequence[int]]) -> list[list[int]]:
    """The new-card position (Anki's ``due`` for a new card) of each card of each note: every
    note's first card, in the order of the notes, then every note's second card, and so on.

    Anki gathers a deck's new cards by lowest position and keeps the positions a package gives
    its new cards. Numbered per note (every card of a note at the note's position), a day's 20
    new cards were the four cards of five notes; numbered in passes, they are the first cards
    of the first twenty notes, and a deck's questions all come before any of their second cards.
    """
    positions: list[list[int]] = [[] for _ in cards_per_note]
    position = 0
    for rank in range(max((len(cards) for cards in cards_per_note), default=0)):
        for index, cards in enumerate(cards_per_note):
            if rank < len(cards):
                position += 1
                positions[index].append(position)
    return positions
