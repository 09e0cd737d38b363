"""The table ``list`` prints: every column in full when piped, fitted to a terminal's width."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model import Deck

HEADINGS = ("ID", "DECK", "TAGS", "CARDS", "QUESTION")
# Narrowest a shortened column may get; the id is never shortened (it is what you type).
_NARROWEST = {"DECK": 20, "TAGS": 16, "QUESTION": 40}
# Left out in this order when even the narrowest columns do not fit.
_LEFT_OUT_FIRST = ("CARDS", "TAGS", "DECK")
_GAP = "  "


def table_rows(decks: Sequence[Deck]) -> tuple[list[tuple[str, ...]], int]:
    """One row per question (id, deck, tags, card kinds, question on one line), and the number
    of cards."""
    from ..apkg.cards import CardTemplates, note_cards

    style = CardTemplates.load()
    rows: list[tuple[str, ...]] = []
    cards = 0
    for deck in decks:
        for question in deck.questions:
            kinds = [kind.key for kind in note_cards(question, deck, templates=style)]
            cards += len(kinds)
            rows.append((question.id, deck.name, ",".join(question.tags), ",".join(kinds),
                         " ".join(question.question.split())))
    return rows, cards


def render(rows: Sequence[tuple[str, ...]],
           width: int | None = None) -> tuple[str, tuple[str, ...]]:
    """The rows under their headings, and the headings left out. ``width`` None: every cell in
    full; else no line is wider than ``width`` (long cells end in "…", a deck name keeps its
    last part), leaving out whole columns (CARDS, then TAGS, then DECK) when they cannot fit."""
    table = [HEADINGS, *rows]
    natural = {name: max(len(row[i]) for row in table) for i, name in enumerate(HEADINGS)}
    if width is None:
        return _lines(table, natural, HEADINGS), ()
    shown = list(HEADINGS)
    narrowest = {name: min(natural[name], _NARROWEST.get(name, natural[name]))
                 for name in HEADINGS}
    for name in _LEFT_OUT_FIRST:
        if _total(narrowest, shown) <= width:
            break
        shown.remove(name)
    widths = {name: narrowest[name] for name in shown}
    # Narrower still than the id and the narrowest question: the question gives way.
    widths["QUESTION"] = max(widths["QUESTION"] + min(width - _total(widths, shown), 0), 10)
    spare = width - _total(widths, shown)
    for name in ("QUESTION", "DECK", "TAGS"):  # room goes to the question first
        if name in widths and spare > 0:
            grow = min(spare, natural[name] - widths[name])
            widths[name] += grow
            spare -= grow
    left_out = tuple(name for name in HEADINGS if name not in shown)
    return _lines(table, widths, tuple(shown)), left_out


def _total(widths: dict[str, int], shown: Sequence[str]) -> int:
    return sum(widths[name] for name in shown) + len(_GAP) * (len(shown) - 1)


def _lines(table: Sequence[tuple[str, ...]], widths: dict[str, int],
           shown: Sequence[str]) -> str:
    lines = []
    for row in table:
        cells = [_fit(row[HEADINGS.index(name)], widths[name], keep_end=name == "DECK")
                 for name in shown]
        lines.append(_GAP.join(cell.ljust(widths[name]) for cell, name in
                               zip(cells, shown, strict=True)).rstrip())
    return "\n".join(lines)


def _fit(text: str, width: int, keep_end: bool) -> str:
    if len(text) <= width:
        return text
    if keep_end and "::" in text:  # a deck keeps its own name: "…::Questions to Ask"
        last = "…::" + text.rsplit("::", 1)[1]
        if len(last) <= width:
            return last
    return "…" + text[len(text) - width + 1:] if keep_end else text[: width - 1] + "…"
