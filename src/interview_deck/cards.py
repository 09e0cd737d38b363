"""The note type's design, without genanki: field names, card templates and CSS (files in
``templates/``), the field values of a question, and Anki's template rules for a preview."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .model import Question
from .text import to_html, to_html_list

NOTETYPE_NAME = "Interview Question (interview-deck)"
# Anki matches an existing note type by these names (its "schema"): renaming or reordering any
# of them makes Anki treat the note type as a different one and refuse to update notes.
FIELDS = ("Question", "Purpose", "Setup", "Variations", "InsteadOf")


@dataclass(frozen=True, slots=True)
class CardTemplates:
    """The card templates and stylesheet: HTML and CSS files in ``templates/``."""

    ask_front: str
    ask_back: str
    why_front: str
    why_back: str
    css: str

    @classmethod
    def load(cls, folder: Path | None = None) -> CardTemplates:
        """Read the templates from ``folder``, by default the ones shipped in the package."""

        def read(name: str) -> str:
            if folder is not None:
                return (Path(folder) / name).read_text(encoding="utf-8")
            return resources.files(__package__).joinpath("templates", name).read_text("utf-8")

        return cls(
            ask_front=read("ask_front.html"),
            ask_back=read("ask_back.html"),
            why_front=read("why_front.html"),
            why_back=read("why_back.html"),
            css=read("card.css"),
        )

    def as_list(self) -> list[tuple[str, str, str]]:
        """(card name, front, back) for each card, in Anki's card order."""
        return [("Ask", self.ask_front, self.ask_back), ("Why", self.why_front, self.why_back)]


def note_fields(question: Question) -> list[str]:
    """The field values Anki stores for ``question``, in ``FIELDS`` order, as safe HTML."""
    return [
        to_html(question.question),
        to_html(question.purpose),
        to_html(question.setup),
        to_html_list(question.variations),
        to_html_list(question.instead_of),
    ]


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


def render_cards(question: Question, templates: CardTemplates | None = None
                 ) -> list[tuple[str, str, str]]:
    """(card name, front HTML, back HTML) of each card of ``question``, without the CSS."""
    style = templates if templates is not None else CardTemplates.load()
    fields = dict(zip(FIELDS, note_fields(question), strict=True))
    cards = []
    for name, front_template, back_template in style.as_list():
        front = render(front_template, fields)
        cards.append((name, front, render(back_template, fields, front)))
    return cards
