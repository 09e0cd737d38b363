"""Searchable and safe text: quotes stored as typed, CSV cells no spreadsheet runs."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from conftest import Anki, unescape
from test_preview_export import add_notetype_like_ours

from interview_deck import Deck, InterviewDeckError, Question, write_package
from interview_deck.apkg.identity import note_guid
from interview_deck.exports.formats import to_anki_csv

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTED = Question(id="quoted", question="What was the interviewer's \"done\" last time?",
                  purpose="whether 'done' means shipped", tags=("culture",))


def test_quotes_are_stored_as_typed_so_anki_finds_them(tmp_path: Path, anki: Anki) -> None:
    package = tmp_path / "q.apkg"
    write_package([Deck("Mine", questions=[QUOTED])], package, revisions=tmp_path / "l.json")
    anki.import_package(package)
    note = anki.note_by_guid(note_guid("quoted"))
    assert note["Question"] == QUOTED.question
    assert note["Purpose"] == QUOTED.purpose
    assert anki.col.find_notes("interviewer's") == [note.id]
    assert anki.col.find_notes("purpose:*'done'*") == [note.id]


def test_only_ampersand_and_angle_brackets_are_escaped(tmp_path: Path, anki: Anki) -> None:
    text = "Is <b>this</b> & \"that\" 'fine'?"
    question = Question(id="html", question=text, purpose="escaping")
    package = tmp_path / "h.apkg"
    write_package([Deck("Mine", questions=[question])], package, revisions=tmp_path / "l.json")
    anki.import_package(package)
    stored = anki.note_by_guid(note_guid("html"))["Question"]
    assert stored == "Is &lt;b&gt;this&lt;/b&gt; &amp; \"that\" 'fine'?"
    assert unescape(stored) == text


FORMULAS = Question(id="formulas", question="=HYPERLINK(\"http://x\",\"click\")",
                    purpose="+1 for them", setup="-2 minutes of small talk",
                    variations=("@SUM(A1:A9)",), tags=("-odd", "ok"))


def _cells(text: str) -> list[list[str]]:
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    return list(csv.reader(io.StringIO(body), delimiter="\t"))


def test_csv_cells_never_start_a_formula() -> None:
    rows = _cells(to_anki_csv([Deck("Mine", questions=[FORMULAS])]))
    assert len(rows) == 1
    guid, deck, question, purpose, setup, *_, tags = rows[0]
    assert not [cell for cell in rows[0][1:] if cell.startswith(FORMULA_STARTS)]
    assert unescape(question) == FORMULAS.question
    assert unescape(purpose) == FORMULAS.purpose
    assert unescape(setup) == FORMULAS.setup
    assert tags.split() == ["ok", "-odd"]


def test_the_neutralised_csv_shows_the_same_text_in_anki(tmp_path: Path, anki: Anki) -> None:
    from anki.collection import ImportCsvRequest

    path = tmp_path / "deck.csv"
    path.write_text(to_anki_csv([Deck("Mine", questions=[FORMULAS])]), encoding="utf-8")
    add_notetype_like_ours(anki)
    metadata = anki.col.get_csv_metadata(path=str(path), delimiter=None)
    anki.col.import_csv(ImportCsvRequest(path=str(path), metadata=metadata))
    note = anki.note_by_guid(note_guid("formulas"))
    assert unescape(note["Question"]) == FORMULAS.question
    assert unescape(note["Setup"]) == FORMULAS.setup
    assert sorted(note.tags) == ["-odd", "ok"]


@pytest.mark.parametrize("deck, tags", [("=Mine", ("ok",)), ("Mine", ("=a", "+b"))])
def test_csv_refuses_what_it_cannot_neutralise(deck: str, tags: tuple[str, ...]) -> None:
    question = Question(id="q", question="Q?", purpose="p", tags=tags)
    with pytest.raises(InterviewDeckError, match="spreadsheets run as a formula"):
        to_anki_csv([Deck(deck, questions=[question])])
