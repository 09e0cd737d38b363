"""Preview and exports: what Anki shows, checked against Anki itself; a CSV Anki imports."""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import Anki, counts, visible_lines

from interview_deck import Deck, Question
from interview_deck.apkg.build import build
from interview_deck.apkg.cards import FIELDS, NOTETYPE_NAME, CardTemplates
from interview_deck.apkg.identity import note_guid
from interview_deck.cli import main
from interview_deck.exports.formats import to_anki_csv, to_html_sheet, to_markdown
from interview_deck.exports.preview import preview_html
from interview_deck.selection import bundled_decks


class _Sides(HTMLParser):
    """The markup inside each data-card host of the preview page, by its key."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.sides: dict[str, str] = {}
        self.key: str | None = None
        self.depth = 0
        self.buffer: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs).get("data-card")
        if found:
            self.key, self.depth, self.buffer = found, 0, []
            return
        if self.key is not None:
            if tag == "div":
                self.depth += 1
            self.buffer.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        if self.key is None:
            return
        if tag == "div":
            if self.depth == 0:
                self.sides[self.key] = "".join(self.buffer)
                self.key = None
                return
            self.depth -= 1
        self.buffer.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if self.key is not None:
            self.buffer.append(data)

    def handle_entityref(self, name: str) -> None:
        self.handle_data(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.handle_data(f"&#{name};")


def preview_sides(page: str) -> dict[str, list[str]]:
    parser = _Sides()
    parser.feed(page)
    return {key: visible_lines(markup) for key, markup in parser.sides.items()}


@pytest.fixture(scope="module")
def bundled_in_anki(tmp_path_factory: pytest.TempPathFactory) -> Anki:
    folder = tmp_path_factory.mktemp("anki")
    report = build([], folder / "deck.apkg", ledger=folder / "ledger.json")
    anki = Anki(folder / "collection.anki2")
    anki.import_package(report.result.path)
    return anki


def test_the_preview_shows_exactly_what_anki_renders(bundled_in_anki: Anki) -> None:
    sides = preview_sides(preview_html(bundled_decks()))
    checked = 0
    for question in (q for deck in bundled_decks() for q in deck.questions):
        note = bundled_in_anki.note_by_guid(note_guid(question.id))
        for card in note.cards():
            name = card.template()["name"]
            assert sides[f"{question.id}/{name}/front"] == visible_lines(card.question())
            assert sides[f"{question.id}/{name}/back"] == visible_lines(card.answer())
            checked += 1
    _, _, cards = counts(bundled_decks())
    assert checked == cards and len(sides) == 2 * cards


def test_the_preview_matches_anki_for_empty_and_unusual_fields(anki: Anki,
                                                               tmp_path: Path) -> None:
    from interview_deck import write_package
    from interview_deck.apkg.revisions import Revisions

    questions = [
        Question(id="bare", question="Only <this>?", purpose="a & b"),
        Question(id="full", question="Line one\nline two", purpose="p", setup="s\nt",
                 variations=("v1", "v2"), instead_of=("w",), tags=("x",)),
    ]
    decks = [Deck("Mine", questions=questions)]
    write_package(decks, tmp_path / "m.apkg", revisions=Revisions())
    anki.import_package(tmp_path / "m.apkg")
    sides = preview_sides(preview_html(decks))
    for question in questions:
        for card in anki.note_by_guid(note_guid(question.id)).cards():
            name = card.template()["name"]
            assert sides[f"{question.id}/{name}/front"] == visible_lines(card.question())
            assert sides[f"{question.id}/{name}/back"] == visible_lines(card.answer())


def test_the_card_renderer_gives_anki_s_markup_exactly(anki: Anki, tmp_path: Path) -> None:
    """Not just the visible text: the very HTML Anki renders, template text in fields included."""
    from interview_deck import write_package
    from interview_deck.apkg.cards import render_cards
    from interview_deck.apkg.revisions import Revisions

    questions = [
        *bundled_decks()[0].questions,
        Question(id="tricky", question="{{Purpose}} and {{#Setup}}x{{/Setup}}?",
                 purpose="{{FrontSide}} [sound:a.mp3] </style>", setup="{{^Setup}}y{{/Setup}}",
                 variations=("{{Question}}", "<!-- -->"), instead_of=("\\(x\\)",)),
        Question(id="plain", question="Only this?", purpose="that"),
    ]
    decks = [Deck("Mine", questions=questions)]
    write_package(decks, tmp_path / "m.apkg", revisions=Revisions())
    anki.import_package(tmp_path / "m.apkg")
    css = CardTemplates.load().css
    for question in questions:
        cards = sorted(anki.note_by_guid(note_guid(question.id)).cards(), key=lambda c: c.ord)
        for card, (_, front, back) in zip(cards, render_cards(question), strict=True):
            assert card.question() == f"<style>{css}</style>{front}"
            assert card.answer() == f"<style>{css}</style>{back}"


def test_the_preview_is_self_contained() -> None:
    page = preview_html(bundled_decks())
    for marker in ("http://", "https://", "<link", " src=", "@import", "url("):
        assert marker not in page
    sides = 2 * counts(bundled_decks())[2]
    assert page.count('shadowrootmode="open"') == sides
    assert page.count(CardTemplates.load().css) == sides, "the card CSS, unchanged, in each card"


def test_preview_command_writes_the_page(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "cards.html"
    result = runner.invoke(main, ["preview", "-o", str(out)], catch_exceptions=False)
    _, notes, cards = counts(bundled_decks())
    assert result.stderr == f"Wrote {out}: {notes} notes, {cards} cards.\n"
    assert result.stdout == ""
    assert out.read_text().startswith("<!doctype html>")


def test_the_markdown_cheat_sheet_groups_by_topic_and_escapes_text() -> None:
    decks = [deck for deck in bundled_decks() if deck.name.endswith("::1. Questions to Ask")]
    sheet = to_markdown(decks)
    assert sheet.startswith("# Questions to ask\n")
    headings = [line for line in sheet.splitlines() if line.startswith("## ")]
    assert headings == ["## Growth", "## Retention", "## Culture", "## Engineering",
                        "## Leadership", "## Team", "## Money"]
    for question in decks[0].questions:  # brackets are escaped: \( and \) in Markdown
        assert re.sub(r"([()])", r"\\\1", question.purpose) in sheet
    assert "  Setup: Ask the interviewer how long they've been there.\\" in sheet
    odd = to_markdown([Deck("D", questions=[Question(id="x", question="Use *stars* <b>?",
                                                     purpose="1. [link](x)"),
                                            Question(id="y", question="y?", purpose="p",
                                                     tags=("ask::peer", "topic::hiring-process",
                                                           "topic::team"))])])
    assert [line for line in odd.splitlines() if line.startswith("## ")] == [
        "## Other", "## Hiring process"]
    assert "**Use \\*stars\\* \\<b\\>?**" in odd
    assert "*Why:* 1\\. \\[link\\]\\(x\\)" in odd


def test_the_html_cheat_sheet_escapes_and_has_print_styles() -> None:
    page = to_html_sheet([Deck("D", questions=[Question(id="x", question="<script>?",
                                                        purpose="p", tags=("a",))])])
    assert "&lt;script&gt;?" in page and "<script>" not in page
    assert "@media print" in page and "@page" in page


def test_export_command_writes_each_format(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["export"], catch_exceptions=False)
    assert result.stdout == to_markdown(bundled_decks())
    for fmt in ("html", "csv"):
        out = tmp_path / f"sheet.{fmt}"
        result = runner.invoke(main, ["export", "--format", fmt, "-o", str(out)],
                               catch_exceptions=False)
        assert result.exit_code == 0 and out.stat().st_size > 500
    result = runner.invoke(main, ["export", "--format", "pdf"])
    assert result.exit_code == 2


def test_export_takes_the_filters(runner: CliRunner) -> None:
    result = runner.invoke(main, ["export", "--tag", "topic::money"], catch_exceptions=False)
    assert "Before we talk numbers" in result.stdout
    assert "Based on the market" not in result.stdout


def add_notetype_like_ours(anki: Anki) -> None:
    """Create the note type through Anki's own API, from our template files."""
    models = anki.col.models
    notetype = models.new(NOTETYPE_NAME)
    for name in FIELDS:
        models.add_field(notetype, models.new_field(name))
    style = CardTemplates.load()
    for name, front, back in style.as_list():
        template = models.new_template(name)
        template["qfmt"], template["afmt"] = front, back
        models.add_template(notetype, template)
    notetype["css"] = style.css
    models.add(notetype)


def test_the_csv_imports_into_anki_as_the_same_notes(bundled_in_anki: Anki, anki: Anki,
                                                     tmp_path: Path) -> None:
    from anki.collection import ImportCsvRequest

    text = to_anki_csv(bundled_decks())
    header = [line for line in text.splitlines() if line.startswith("#")]
    assert header[:6] == ["#separator:tab", "#html:true", f"#notetype:{NOTETYPE_NAME}",
                          "#deck column:2", f"#tags column:{len(FIELDS) + 3}", "#guid column:1"]
    rows = list(csv.reader(io.StringIO(text.split("\n", len(header))[-1]), delimiter="\t"))
    notes = counts(bundled_decks())[1]
    assert len(rows) == notes

    path = tmp_path / "deck.csv"
    path.write_text(text, encoding="utf-8")
    add_notetype_like_ours(anki)
    metadata = anki.col.get_csv_metadata(path=str(path), delimiter=None)
    response = anki.col.import_csv(ImportCsvRequest(path=str(path), metadata=metadata))
    assert len(response.log.new) == notes

    def notes(collection: Anki) -> dict[str, tuple[list[str], list[str], set[str]]]:
        found = {}
        for nid in collection.col.find_notes(""):
            note = collection.col.get_note(nid)
            decks = {collection.col.decks.name(c.did) for c in note.cards()}
            found[note.guid] = (list(note.values()), sorted(note.tags), decks)
        return found

    assert notes(anki) == notes(bundled_in_anki)


HOSTILE = ["*stars* and _under_", "<b>bold</b> & <script>x</script>", "[link](http://x)",
           "# heading", "1. numbered", "- dash", "`code`", "a\\b \\*", "> quote",
           "| table | row |", "![img](x.png)", "~~strike~~", "<!-- c -->", "&amp; entity",
           "+ plus", "line one\nline two", "trailing backslash \\", "{braces} (parens)"]


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_renders_any_text_literally(text: str) -> None:
    """Rendered by a CommonMark parser, the sheet shows the text, with no stray formatting."""
    from markdown_it import MarkdownIt

    question = Question(id="x", question=text, purpose=text, setup=text, good_signs=(text,),
                        red_flags=(text, "only on the cards"), follow_ups=(text,), tags=("t",))
    rendered = MarkdownIt("commonmark").render(to_markdown([Deck("D", questions=[question])]))
    tags = set(re.findall(r"</?([a-z0-9]+)", rendered))
    assert tags <= {"h1", "h2", "ul", "li", "strong", "em", "br", "p"}, rendered
    lines = [line.strip() for line in visible_lines(rendered)]
    flat = " ".join(text.split())
    assert lines[2] == flat
    assert lines[3] == f"Setup: {flat}"
    assert lines[4] == f"Why: {flat}"
    # The sheet gives the first (strongest) of each; the cards give them all.
    assert lines[5:] == [f"Good signs: {flat}", f"Red flags: {flat}",
                         f"If the answer is vague, ask: {flat}"]


def test_the_preview_keeps_custom_css_intact() -> None:
    shipped = CardTemplates.load()
    css = shipped.css + "\n.card > .kind { color: red; } /* </style> */\n"
    custom = CardTemplates(shipped.cards, css)
    page = preview_html(bundled_decks(), templates=custom)
    assert page.count(".card > .kind { color: red; }") == 2 * counts(bundled_decks())[2]
    assert "</style> */" not in page and "<\\/style> */" in page


def test_preview_open_says_so_when_no_browser_opens(runner: CliRunner, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import click

    opened: list[str] = []

    def launch(url: str, *args: object, **kwargs: object) -> int:
        opened.append(url)
        return 3  # what xdg-open returns when it finds no browser

    monkeypatch.setattr(click, "launch", launch)
    out = tmp_path / "p.html"
    result = runner.invoke(main, ["preview", "--open", "-o", str(out)], catch_exceptions=False)
    assert opened == [str(out.resolve())]
    assert result.stderr.splitlines()[-1] == (
        f"warning: could not open a browser; open {out} yourself")
