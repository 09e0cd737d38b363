"""Take the questions with you: a cheat sheet (Markdown or printable HTML) and Anki's CSV."""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Sequence

from ..apkg.cards import FIELDS, NOTETYPE_NAME, note_fields
from ..apkg.identity import note_guid
from ..errors import InterviewDeckError
from ..model import Deck, Question
from ..parts import PARTS, SIGNAL_KEYS
from ..paths import template_text
from .shortlist import TOPIC_PREFIX, topic_of

FORMATS = ("markdown", "html", "csv")


def by_tag(decks: Sequence[Deck]) -> dict[str, list[Question]]:
    """Questions grouped by topic (their first ``topic::`` tag, else their first tag), in deck
    order."""
    groups: dict[str, list[Question]] = {}
    for deck in decks:
        for question in deck.questions:
            groups.setdefault(topic_of(question), []).append(question)
    return groups


def _title(tag: str) -> str:
    if tag.casefold().startswith(TOPIC_PREFIX):
        tag = tag[len(TOPIC_PREFIX):]
    return tag.replace("-", " ").replace("::", " / ").capitalize()


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def _md(text: str) -> str:
    """Markdown-escaped text on one line per paragraph."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split("\n")).strip())
    return re.sub(r"^(\d+)\.", r"\1\\.", escaped).replace("&", "&amp;")


def to_markdown(decks: Sequence[Deck], title: str = "Questions to ask") -> str:
    """A compact cheat sheet: per tag, each question with its setup and its purpose."""
    lines = [f"# {_md(title)}", ""]
    for tag, questions in by_tag(decks).items():
        lines += [f"## {_md(_title(tag))}", ""]
        for question in questions:
            # A trailing backslash is Markdown's line break inside a list item.
            lines.append(f"- **{_md(question.question)}**\\")
            if question.setup:
                lines.append(f"  Setup: {_md(question.setup)}\\")
            signals = _signals(question)
            lines.append(f"  *Why:* {_md(question.purpose)}" + ("\\" if signals else ""))
            for number, (_, label, items) in enumerate(signals, 1):
                end = "\\" if number < len(signals) else ""
                lines.append(f"  *{label}:* {_md('; '.join(items))}{end}")
        lines.append("")
    return "\n".join(lines)


def to_html_sheet(decks: Sequence[Deck], title: str = "Questions to ask") -> str:
    """The cheat sheet as one printable HTML page (A4 or Letter), no external assets."""
    css = template_text("sheet.css")
    parts = [
        "<!doctype html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(title)}</title>", f"<style>{css}</style>", "</head>", "<body>",
        f"<h1>{html.escape(title)}</h1>",
    ]
    number = 1  # one numbering down the sheet: "question 4" means one question
    for tag, questions in by_tag(decks).items():
        parts.append(f'<section class="group"><h2>{html.escape(_title(tag))}</h2>'
                     f'<ol start="{number}">')
        number += len(questions)
        for question in questions:
            parts.append(f'<li id="q-{html.escape(question.id)}">')
            parts.append(f'<p class="question">{_html(question.question)}</p>')
            if question.setup:
                parts.append(f'<p class="setup"><b>Setup:</b> {_html(question.setup)}</p>')
            parts.append(f'<p class="purpose"><b>Why:</b> {_html(question.purpose)}</p>')
            for key, label, items in _signals(question):
                parts.append(f'<p class="signals {key.replace("_", "-")}"><b>'
                             f'{html.escape(label)}:</b> '
                             f'{"; ".join(_html(item) for item in items)}</p>')
            parts.append("</li>")
        parts.append("</ol></section>")
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def _signals(question: Question) -> list[tuple[str, str, tuple[str, ...]]]:
    """How to read the answer: (key, label, first item) for each signal part the question has.
    A deck lists the strongest first; the cards show them all, the sheet stays a glance (six
    questions for one interviewer fit one printed page)."""
    return [(key, PARTS[key].label, getattr(question, key)[:1]) for key in SIGNAL_KEYS
            if getattr(question, key)]


def _html(text: str) -> str:
    return "<br>".join(html.escape(line) for line in text.strip().split("\n"))


def to_anki_csv(decks: Sequence[Deck]) -> str:
    """Anki's text-import format: tab-separated, HTML fields, with the header lines that tell
    Anki the note type, deck, tags and GUID columns, so it matches the ``.apkg`` notes."""
    columns = ["guid", "deck", *FIELDS, "tags"]
    header = [
        "#separator:tab",
        "#html:true",
        f"#notetype:{NOTETYPE_NAME}",
        "#deck column:2",
        f"#tags column:{len(columns)}",
        "#guid column:1",
        "#columns:" + "\t".join(columns),
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    for deck in decks:
        if deck.name.startswith(FORMULA_STARTS):
            raise InterviewDeckError(
                f"deck '{deck.name}' starts with '{deck.name[0]}', which spreadsheets run as a "
                "formula; rename the deck, or use the .apkg ('interview-deck build')")
        for question in deck.questions:
            writer.writerow([note_guid(question.id), deck.name,
                             *(_inert(field) for field in note_fields(question, deck)),
                             _tags_cell(question)])
    return "\n".join(header) + "\n" + buffer.getvalue()


# A spreadsheet runs a cell starting with one of these as a formula (CSV injection, OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _inert(field: str) -> str:
    """``field`` (HTML) with a formula-starting character written as a character reference:
    Anki shows the same text, a spreadsheet sees no formula."""
    if field.startswith(FORMULA_STARTS):
        return f"&#{ord(field[0])};{field[1:]}"
    return field


def _tags_cell(question: Question) -> str:
    """The tags, starting with one that no spreadsheet takes for a formula (Anki ignores the
    order of tags)."""
    safe = [tag for tag in question.tags if not tag.startswith(FORMULA_STARTS)]
    if question.tags and not safe:
        raise InterviewDeckError(
            f"'{question.id}': every tag starts with a character spreadsheets run as a formula "
            f"({', '.join(question.tags)}); add a tag that does not, or use the .apkg")
    return " ".join([*safe, *(tag for tag in question.tags if tag not in safe)])


def export(decks: Sequence[Deck], fmt: str) -> str:
    """The decks in ``fmt`` (one of ``FORMATS``)."""
    if fmt == "markdown":
        return to_markdown(decks)
    if fmt == "html":
        return to_html_sheet(decks)
    if fmt == "csv":
        return to_anki_csv(decks)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
