"""The heart of it: rewording and re-importing updates the same notes and keeps reviews."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import Anki, counts, visible_lines, visible_text

from interview_deck import Deck, Question, write_package
from interview_deck.apkg.build import build
from interview_deck.apkg.cards import CardTemplates
from interview_deck.apkg.identity import note_guid
from interview_deck.apkg.revisions import Revisions
from interview_deck.paths import bundled_decks_dir
from interview_deck.selection import bundled_decks
from interview_deck.sources.loading import load_decks

BUNDLED = bundled_decks_dir() / "interview-questions.yaml"
_, NOTES, CARDS = counts(load_decks([BUNDLED]))  # the article's deck, which tests copy
_, ALL_NOTES, _ = counts(bundled_decks())
OLD = "How do you folks handle conflict between team members?"
NEW = "When two people on the team disagree, how does it get settled?"


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    """A copy of the bundled deck that the test can edit, as a maintainer would."""
    folder = tmp_path / "decks"
    folder.mkdir()
    shutil.copy(BUNDLED, folder / BUNDLED.name)
    return folder


def rebuild(sources: Path, tmp_path: Path, name: str) -> Path:
    output = tmp_path / name
    build([sources], output, include_bundled=False, ledger=tmp_path / "ledger.json")
    return output


def test_rewording_updates_the_same_note_and_keeps_its_reviews(
    anki: Anki, sources: Path, tmp_path: Path
) -> None:
    first = rebuild(sources, tmp_path, "first.apkg")
    assert anki.import_package(first).new == NOTES
    note = anki.note_by_guid(note_guid("handle-conflict"))
    for card in note.cards():
        anki.review(card.id, "EASY")
    reviewed = {c.id: (c.ivl, c.due, c.reps) for c in note.cards()}
    revlog = anki.col.db.all("select * from revlog order by id")
    assert len(revlog) == len(reviewed) and all(ivl > 0 for ivl, _, _ in reviewed.values())

    deck_file = sources / BUNDLED.name
    deck_file.write_text(deck_file.read_text().replace(OLD, NEW), encoding="utf-8")
    second = rebuild(sources, tmp_path, "second.apkg")
    log = anki.import_package(second)

    assert (log.new, log.updated, log.duplicate, log.conflicting) == (0, 1, NOTES - 1, 0)
    updated = anki.note_by_guid(note_guid("handle-conflict"))
    assert updated.id == note.id
    assert updated["Question"] == NEW
    assert anki.note_count() == NOTES and anki.card_count() == CARDS
    after = {c.id: (c.ivl, c.due, c.reps) for c in updated.cards()}
    assert after == reviewed
    assert anki.col.db.all("select * from revlog order by id") == revlog
    why = next(c for c in updated.cards() if c.ord == 1)
    assert NEW in visible_text(why.question())


def test_an_unchanged_rebuild_imports_as_nothing_new(
    anki: Anki, sources: Path, tmp_path: Path
) -> None:
    anki.import_package(rebuild(sources, tmp_path, "first.apkg"))
    log = anki.import_package(rebuild(sources, tmp_path, "again.apkg"))
    assert (log.new, log.updated, log.duplicate, log.conflicting) == (0, 0, NOTES, 0)


def test_each_later_edit_updates_again(anki: Anki, sources: Path, tmp_path: Path) -> None:
    deck_file = sources / BUNDLED.name
    anki.import_package(rebuild(sources, tmp_path, "v1.apkg"))
    for version in range(2, 5):
        text = deck_file.read_text()
        deck_file.write_text(text.replace("folks", f"folks (v{version})", 1))
        log = anki.import_package(rebuild(sources, tmp_path, f"v{version}.apkg"))
        assert (log.new, log.updated) == (0, 1), version
        assert f"(v{version})" in anki.note_by_guid(note_guid("handle-conflict"))["Question"]
        text = deck_file.read_text()
        deck_file.write_text(text.replace(f"folks (v{version})", "folks", 1))


def test_the_bundled_deck_updates_a_collection_holding_an_older_release(
    anki: Anki, tmp_path: Path
) -> None:
    """A user imported an older release whose wording differed, at an older time."""
    old = Deck("Interview Questions::Questions to Ask", questions=[
        Question(id="handle-conflict", question="How do you handle conflict?",
                 purpose="an older purpose"),
    ])
    write_package([old], tmp_path / "old.apkg", revisions=Revisions(), )
    # An old release stamped long ago: its note time is in the past.
    anki.import_package(tmp_path / "old.apkg")
    anki.col.db.execute("update notes set mod = 1600000000")
    report = build([], tmp_path / "new.apkg", ledger=tmp_path / "ledger.json")
    log = anki.import_package(report.result.path)
    assert (log.new, log.updated) == (ALL_NOTES - 1, 1)
    assert anki.note_by_guid(note_guid("handle-conflict"))["Question"] == OLD


def test_a_template_change_reaches_an_existing_collection(anki: Anki, tmp_path: Path) -> None:
    decks = [Deck("Interview Questions::Mine", questions=[
        Question(id="team-size", question="How big is the team?", purpose="who you work with"),
    ])]
    ledger = Revisions()
    write_package(decks, tmp_path / "one.apkg", revisions=ledger)
    anki.import_package(tmp_path / "one.apkg")

    shipped = CardTemplates.load()
    (ask, ask_front, ask_back), *others = shipped.cards
    changed = CardTemplates(
        ((ask, ask_front.replace("What do you ask?", "Which question?"), ask_back), *others),
        css=shipped.css + "\n.card { letter-spacing: 0.01em; }\n",
    )
    write_package(decks, tmp_path / "two.apkg", revisions=ledger, templates=changed)
    log = anki.import_package(tmp_path / "two.apkg")

    assert (log.new, log.conflicting) == (0, 0)
    notetypes = anki.col.models.all_names_and_ids()
    assert len([n for n in notetypes if "interview-deck" in n.name]) == 1
    card = anki.note_by_guid(note_guid("team-size")).cards()[0]
    assert "Which question?" in visible_lines(card.question())
    assert "letter-spacing: 0.01em" in card.note_type()["css"]


def test_an_edit_made_in_anki_survives_an_unchanged_rebuild(
    anki: Anki, sources: Path, tmp_path: Path
) -> None:
    anki.import_package(rebuild(sources, tmp_path, "first.apkg"))
    note = anki.note_by_guid(note_guid("handle-conflict"))
    note["Purpose"] = "my own note about this question"
    anki.col.update_note(note)
    log = anki.import_package(rebuild(sources, tmp_path, "again.apkg"))
    assert (log.new, log.updated) == (0, 0)
    assert anki.note_by_guid(note_guid("handle-conflict"))["Purpose"] == (
        "my own note about this question")


def test_the_python_api_keeps_its_own_ledger_by_default(anki: Anki, tmp_path: Path,
                                                         isolated_home: Path) -> None:
    """write_package without options behaves like the command: stable and reproducible."""
    question = Question(id="team-size", question="How big is the team?", purpose="who")
    deck = Deck("Interview Questions::Mine", questions=[question])
    write_package([deck], tmp_path / "one.apkg")
    write_package([deck], tmp_path / "two.apkg")
    assert (tmp_path / "one.apkg").read_bytes() == (tmp_path / "two.apkg").read_bytes()
    assert (isolated_home / ".local/state/interview-deck/revisions.json").exists()
    assert anki.import_package(tmp_path / "one.apkg").new == 1
    assert anki.import_package(tmp_path / "two.apkg").duplicate == 1
    reworded = Deck(deck.name, questions=[Question(id="team-size", question="Team size?",
                                                   purpose="who")])
    write_package([reworded], tmp_path / "three.apkg")
    assert anki.import_package(tmp_path / "three.apkg").updated == 1


def test_card_text_is_shielded_from_mathjax(anki: Anki, tmp_path: Path) -> None:
    """Anki typesets \\( \\) and \\[ \\] with MathJax unless the text sits in tex2jax_ignore."""
    question = Question(id="big-o", question=r"Is \(O(n^2)\) fine here? \[x\]", purpose="p")
    write_package([Deck("Mine", questions=[question])], tmp_path / "m.apkg",
                  revisions=Revisions())
    anki.import_package(tmp_path / "m.apkg")
    for card in anki.note_by_guid(note_guid("big-o")).cards():
        for side in (card.question(), card.answer()):
            body = side.split("</style>", 1)[1].strip()
            assert body.startswith('<div class="tex2jax_ignore') and body.endswith("</div>")
