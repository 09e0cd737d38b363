"""The final note type: every card kind, cards you choose, and what Anki makes of them.

Everything here is checked in a real collection of the official `anki` package.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import Anki, visible_lines
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interview_deck import Deck, DeckError, Question, write_package
from interview_deck.apkg.cards import CardTemplates, card_ordinals, note_fields, render_cards
from interview_deck.apkg.identity import note_guid
from interview_deck.apkg.revisions import Revisions
from interview_deck.apkg.writer import NOTETYPE_ID
from interview_deck.parts import CARD_KINDS, FIELDS, SIGNAL_KEYS, TEMPLATE_NAMES

SCHEMA_FILE = Path(__file__).parents[1] / "data" / "notetype-schema.json"

FULL = Question(
    id="on-call",
    question="What does on-call look like here?",
    purpose="how often you would be woken at night, and who fixes the cause",
    setup="Ask who is on call this week.",
    variations=("How often are people paged?",),
    instead_of=("Is there on-call?",),
    good_signs=("They know last month's page count.",),
    red_flags=("Nobody can say how often it happens.",),
    follow_ups=("What happened after the last page at 3 a.m.?",),
    tags=("operations",),
)
PLAIN = Question(id="plain", question="Who decides what we build?",
                 purpose="how priorities are set and by whom")
ONLY_FOLLOW_UP = Question(id="only-follow-up", question="How are reviews done?",
                          purpose="whether code review is a habit or a gate",
                          follow_ups=("Can you walk me through the last one?",))
ONLY_REFRAME = Question(id="only-reframe", question="What did the last release teach you?",
                        purpose="whether the team learns from its releases",
                        instead_of=("Do you do CI/CD?",))
QUESTIONS = (FULL, PLAIN, ONLY_FOLLOW_UP, ONLY_REFRAME)
EXPECTED_KINDS = {
    "on-call": ["Ask", "Why ask", "Reframe", "Read the answer"],
    "plain": ["Ask", "Why ask"],
    "only-follow-up": ["Ask", "Why ask", "Read the answer"],
    "only-reframe": ["Ask", "Why ask", "Reframe"],
}


def package(tmp_path: Path, decks: list[Deck], name: str, ledger: Revisions) -> Path:
    path = tmp_path / name
    write_package(decks, path, revisions=ledger)
    return path


def card_names(anki: Anki, question_id: str) -> list[str]:
    note = anki.note_by_guid(note_guid(question_id))
    return [card.template()["name"] for card in sorted(note.cards(), key=lambda c: c.ord)]


@pytest.fixture
def imported(anki: Anki, tmp_path: Path) -> Anki:
    deck = Deck("Interview Questions::Cards", QUESTIONS, source="The card tests")
    result = write_package([deck], tmp_path / "cards.apkg", revisions=Revisions())
    log = anki.import_package(result.path)
    assert (log.new, log.conflicting) == (len(QUESTIONS), 0)
    assert anki.card_count() == result.cards == sum(map(len, EXPECTED_KINDS.values()))
    return anki


def test_a_card_exists_only_where_its_front_has_content(imported: Anki) -> None:
    for question in QUESTIONS:
        assert card_names(imported, question.id) == EXPECTED_KINDS[question.id], question.id
    report = imported.col.get_empty_cards()
    assert not report.notes, "Anki's Check > Empty Cards lists cards of ours"


def test_the_note_type_anki_stores_is_the_frozen_schema(imported: Anki) -> None:
    notetype = imported.col.models.get(NOTETYPE_ID)
    stored = {"fields": [f["name"] for f in notetype["flds"]],
              "templates": [t["name"] for t in notetype["tmpls"]]}
    assert stored == json.loads(SCHEMA_FILE.read_text())


def test_the_schema_is_frozen() -> None:
    """The note type's fields and card templates, by name and order, never change.

    Anki matches a note type by this schema. A package whose note type has one more field or
    template, imported with default options, updates none of the notes already in a collection:
    every one is reported as conflicting and a stray copy of the note type appears. With "Merge
    note types" the notes gain the field but keep their old text. So a change here strands every
    user's notes. Change the templates' content or the CSS instead (they update in place); a new
    part of a question needs a new note type and a migration plan, not an edit of this file.
    """
    recorded = json.loads(SCHEMA_FILE.read_text())
    assert {"fields": list(FIELDS), "templates": list(TEMPLATE_NAMES)} == recorded, (
        test_the_schema_is_frozen.__doc__)


def test_each_card_kind_shows_its_sections_and_nothing_else(imported: Anki) -> None:
    note = imported.note_by_guid(note_guid("on-call"))
    ask, why, reframe, read = sorted(note.cards(), key=lambda c: c.ord)

    assert visible_lines(ask.question()) == [
        "Ask", "You want to find out", FULL.purpose, "What do you ask?"]
    assert visible_lines(ask.answer()) == [
        "Ask", "You want to find out", FULL.purpose, "Your question", FULL.question,
        f"Setup: {FULL.setup}", "Or ask", *FULL.variations, "Instead of", *FULL.instead_of,
        "Source: The card tests"]

    # The question first, then what to do before asking it: a long setup never pushes the
    # question off a phone's screen.
    assert visible_lines(why.question()) == [
        "Why ask", "You ask", FULL.question, f"Setup: {FULL.setup}",
        "Why do you ask it?"]
    assert visible_lines(why.answer()) == [
        "Why ask", "You ask", FULL.question, f"Setup: {FULL.setup}", "You want to find out",
        FULL.purpose, "Source: The card tests"]

    assert visible_lines(reframe.question()) == [
        "Reframe", "A weak question", *FULL.instead_of, "What do you ask instead?"]
    assert visible_lines(reframe.answer()) == [
        "Reframe", "A weak question", *FULL.instead_of, "Ask instead", f"Setup: {FULL.setup}",
        FULL.question, "Why it is better", f"You find out {FULL.purpose}",
        "Source: The card tests"]

    # The front says what to recall: one item for each kind of signal the note has.
    assert visible_lines(read.question()) == [
        "Read the answer", "You asked", FULL.question, "What do you listen for?",
        "a good sign", "a red flag", "what to ask if it is vague"]
    assert visible_lines(read.answer()) == [
        "Read the answer", "You asked", FULL.question, "Good signs", *FULL.good_signs, "Red flags",
        *FULL.red_flags, "If the answer is vague, ask", *FULL.follow_ups,
        "Source: The card tests"]


def test_a_read_card_shows_only_the_signals_it_has(imported: Anki) -> None:
    note = imported.note_by_guid(note_guid("only-follow-up"))
    read = next(c for c in note.cards() if c.template()["name"] == "Read the answer")
    assert visible_lines(read.question()).count(ONLY_FOLLOW_UP.question) == 1
    assert visible_lines(read.question())[-2:] == [
        "What do you listen for?", "what to ask if it is vague"]
    back = visible_lines(read.answer())
    assert "Good signs" not in back and "Red flags" not in back
    assert back[back.index("If the answer is vague, ask") + 1] == ONLY_FOLLOW_UP.follow_ups[0]
    assert not any(line.startswith("Source") for line in visible_lines(
        render_cards(ONLY_FOLLOW_UP)[0][2]))


def test_editing_a_red_flag_updates_the_same_note_and_keeps_reviews(
        anki: Anki, tmp_path: Path) -> None:
    ledger = Revisions()
    deck = Deck("Interview Questions::Cards", (FULL,))
    anki.import_package(package(tmp_path, [deck], "v1.apkg", ledger))
    note = anki.note_by_guid(note_guid(FULL.id))
    for card in note.cards():
        anki.review(card.id, "GOOD")
    before = {c.id: (c.ivl, c.due, c.reps, c.lapses) for c in note.cards()}
    revlog = anki.col.db.all("select * from revlog order by id")

    edited = replace(FULL, red_flags=("They laugh and say 'you'll see'.",))
    # The same ledger, a later build: the changed note gets a later time, so Anki updates it.
    log = anki.import_package(package(tmp_path, [Deck(deck.name, (edited,))], "v2.apkg", ledger))
    assert (log.new, log.updated, log.conflicting) == (0, 1, 0)
    after = anki.note_by_guid(note_guid(FULL.id))
    assert after.id == note.id
    assert visible_lines(after["RedFlags"]) == ["They laugh and say 'you'll see'."]
    assert {c.id: (c.ivl, c.due, c.reps, c.lapses) for c in after.cards()} == before
    assert anki.col.db.all("select * from revlog order by id") == revlog


def test_decks_choosing_different_cards_share_one_note_type(anki: Anki, tmp_path: Path) -> None:
    ledger = Revisions()
    ask_only = Deck("Interview Questions::Ask only", (FULL,), cards=("ask",))
    drills = Deck("Interview Questions::Drills", (ONLY_REFRAME, ONLY_FOLLOW_UP),
                  cards=("reframe", "read"))
    result = write_package([ask_only, drills], tmp_path / "both.apkg", revisions=ledger)
    log = anki.import_package(result.path)
    assert (log.new, log.conflicting) == (3, 0)
    assert anki.card_count() == result.cards == 3
    assert card_names(anki, "on-call") == ["Ask"]
    assert card_names(anki, "only-reframe") == ["Reframe"]
    assert card_names(anki, "only-follow-up") == ["Read the answer"]
    ours = [m for m in anki.col.models.all() if m["name"].startswith("Interview Question")]
    assert [m["id"] for m in ours] == [NOTETYPE_ID]
    assert not anki.col.get_empty_cards().notes


def test_changing_the_choice_later_adds_cards_without_conflicts(
        anki: Anki, tmp_path: Path) -> None:
    ledger = Revisions()
    deck = Deck("Interview Questions::Cards", (FULL,), cards=("ask",))
    anki.import_package(package(tmp_path, [deck], "v1.apkg", ledger))
    assert card_names(anki, FULL.id) == ["Ask"]
    (ask,) = anki.note_by_guid(note_guid(FULL.id)).cards()
    anki.review(ask.id, "GOOD")
    reviewed = (ask.id, anki.col.get_card(ask.id).ivl)

    wider = Deck(deck.name, (FULL,), cards=("ask", "why", "read"))
    log = anki.import_package(package(tmp_path, [wider], "v2.apkg", ledger))
    assert (log.new, log.updated, log.conflicting) == (0, 1, 0)
    assert card_names(anki, FULL.id) == ["Ask", "Why ask", "Read the answer"]
    assert (ask.id, anki.col.get_card(ask.id).ivl) == reviewed
    assert len(anki.col.models.all_names_and_ids()) == len(
        {m.name for m in anki.col.models.all_names_and_ids()})

    # Dropping a kind leaves its cards (Anki never deletes on import); Empty Cards finds them.
    narrower = Deck(deck.name, (FULL,), cards=("ask",))
    log = anki.import_package(package(tmp_path, [narrower], "v3.apkg", ledger))
    assert (log.updated, log.conflicting) == (1, 0)
    assert card_names(anki, FULL.id) == ["Ask", "Why ask", "Read the answer"]
    (empty,) = anki.col.get_empty_cards().notes
    assert len(empty.card_ids) == 2 and ask.id not in empty.card_ids


_PARTS_THAT_DECIDE = ("InsteadOf", *("GoodSigns", "RedFlags", "FollowUps"),
                      *(kind.field for kind in CARD_KINDS))


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(filled=st.sets(st.sampled_from(_PARTS_THAT_DECIDE)))
def test_our_cards_are_the_cards_anki_generates(anki: Anki, filled: set[str]) -> None:
    """For any mix of filled fields, Anki's own card generation makes exactly our cards."""
    notetype = _ensure_notetype(anki)
    note = anki.col.new_note(notetype)
    fields = note_fields(PLAIN)
    for index, name in enumerate(FIELDS):
        if name in _PARTS_THAT_DECIDE:
            fields[index] = "y" if name in filled else ""
    for index, value in enumerate(fields):
        note.fields[index] = value
    ours = card_ordinals(fields, CardTemplates.load())
    if not ours:
        return  # the rules refuse a question that gets no card (see the test below)
    anki.col.add_note(note, anki.col.decks.id("Default"))
    assert sorted(card.ord for card in note.cards()) == ours


def _ensure_notetype(anki: Anki):  # type: ignore[no-untyped-def]
    existing = anki.col.models.get(NOTETYPE_ID)
    if existing is not None:
        return existing
    tmp = Path(anki.col.path).parent / "seed.apkg"
    write_package([Deck("Seed", (PLAIN,))], tmp, revisions=Revisions())
    anki.import_package(tmp)
    return anki.col.models.get(NOTETYPE_ID)


def test_signal_parts_are_what_the_read_card_needs() -> None:
    (read,) = [kind for kind in CARD_KINDS if kind.key == "read"]
    assert read.needs == SIGNAL_KEYS
    for combination in itertools.product([False, True], repeat=3):
        values = {key: ("x",) if on else () for key, on in zip(SIGNAL_KEYS, combination,
                                                               strict=True)}
        question = Question(id="q", question="Q?", purpose="p", **values)
        names = [name for name, _, _ in render_cards(question)]
        assert ("Read the answer" in names) == any(combination)


def test_why_the_schema_is_frozen_one_more_field_strands_every_note(
        anki: Anki, tmp_path: Path) -> None:
    """The measurement behind the frozen schema, kept as a test: if Anki ever learns to update
    notes across a schema change, this fails and the README's warning can be relaxed."""
    import sqlite3
    import zipfile

    ledger = Revisions()
    deck = Deck("Interview Questions::Cards", (FULL, PLAIN))
    anki.import_package(package(tmp_path, [deck], "v1.apkg", ledger))
    edited = replace(FULL, question="What does on-call look like, week to week?")
    newer = package(tmp_path, [Deck(deck.name, (edited, PLAIN))], "v2.apkg", ledger)

    database = tmp_path / "unpacked.anki2"
    with zipfile.ZipFile(newer) as archive:
        database.write_bytes(archive.read("collection.anki2"))
    connection = sqlite3.connect(database)
    models = json.loads(connection.execute("select models from col").fetchone()[0])
    notetype = models[str(NOTETYPE_ID)]
    notetype["flds"].append({**notetype["flds"][-1], "name": "Extra",
                             "ord": len(notetype["flds"])})
    connection.execute("update col set models = ?", (json.dumps(models),))
    connection.execute("update notes set flds = flds || char(31), mod = mod + 1")
    connection.commit()
    connection.close()
    changed = tmp_path / "v2-extra-field.apkg"
    with zipfile.ZipFile(changed, "w") as archive:
        archive.writestr("collection.anki2", database.read_bytes())
        archive.writestr("media", "{}")

    log = anki.import_package(changed)
    assert (log.new, log.updated, log.conflicting) == (0, 0, 2)
    assert "week to week" not in anki.note_by_guid(note_guid(FULL.id))["Question"]
    ours = [m for m in anki.col.models.all_names_and_ids() if "interview-deck" in m.name]
    assert len(ours) == 2, "Anki adds a stray copy of the note type"


def test_a_question_the_choice_gives_no_card_is_refused(anki: Anki, tmp_path: Path) -> None:
    """Anki would give such a note an empty first card, which Empty Cards lists: refuse it."""
    deck = Deck("Interview Questions::Reframes", (ONLY_REFRAME, PLAIN), cards=("reframe",))
    with pytest.raises(DeckError) as raised:
        write_package([deck], tmp_path / "r.apkg", revisions=Revisions())
    assert [p.message for p in raised.value.problems] == [
        "question 'plain' gets no card: its deck's cards: [reframe] need 'instead_of'; add one, "
        "or choose more card kinds in 'cards'"]
    assert not (tmp_path / "r.apkg").exists()
    unchecked = write_package([deck], tmp_path / "u.apkg", revisions=Revisions(), check=False)
    assert (unchecked.notes, unchecked.cards) == (1, 1)
    assert unchecked.warnings == ("1 question(s) left out: their deck's 'cards:' choice gives "
                                  "them no card (plain)",)
    log = anki.import_package(unchecked.path)
    assert (log.new, anki.card_count()) == (1, 1)
    assert not anki.col.get_empty_cards().notes


def test_the_declared_needs_are_what_the_templates_decide() -> None:
    """``CardKind.needs`` (used by the rules) and the templates (used by Anki) agree."""
    optional = ("instead_of", *SIGNAL_KEYS)
    for filled in itertools.product([False, True], repeat=len(optional)):
        values = {key: ("x",) if on else () for key, on in zip(optional, filled, strict=True)}
        question = Question(id="q", question="Q?", purpose="p", **values)
        for kind in CARD_KINDS:
            made = [name for name, _, _ in render_cards(
                question, deck=Deck("D", (question,), cards=(kind.key,)))]
            declared = any(getattr(question, need) for need in kind.needs)
            assert (made == [kind.name]) == declared and len(made) <= 1, (kind.key, values)


def test_an_override_that_leaves_a_question_no_card_is_located(tmp_path: Path) -> None:
    from interview_deck.sources.loading import load_decks

    (tmp_path / "drills.yaml").write_text(
        "deck: Drills\ncards: [reframe]\nquestions:\n  - id: weak\n    question: Q?\n"
        "    purpose: p\n    instead_of: [W?]\n", encoding="utf-8")
    (tmp_path / "mine.yaml").write_text(
        "overrides:\n  - id: weak\n    instead_of: []\n", encoding="utf-8")
    with pytest.raises(DeckError) as raised:
        load_decks([tmp_path])
    (problem,) = raised.value.problems
    assert (Path(problem.path).name, problem.line, problem.column) == ("drills.yaml", 4, 9)
    assert problem.message.startswith("question 'weak' gets no card")


def test_the_shipped_templates_use_only_syntax_our_renderer_knows() -> None:
    """Sections and plain fields: the preview's renderer and the card rules match Anki there."""
    import re

    known = {*FIELDS, "FrontSide"}
    for kind, front, back in CardTemplates.load().cards:
        for side in (front, back):
            for marker, name in re.findall(r"\{\{\s*([#^/]?)\s*([^}]*?)\s*\}\}", side):
                assert name in known, (kind.name, marker, name)


@pytest.mark.parametrize(("value", "message"), [
    ("", "2:7: 'cards' is empty; choose at least one of ask, why, reframe, read, or leave it "
         "out to get all four"),
    (" []", "2:8: 'cards' is empty; choose at least one of ask, why, reframe, read, or leave "
            "it out to get all four"),
    (" ask", "2:8: 'cards' must be a list, found the text 'ask'; write the card kinds in "
             "brackets: [ask, why, reframe, read]"),
])
def test_a_cards_value_that_is_no_list_of_kinds_says_how_to_write_one(
        tmp_path: Path, value: str, message: str) -> None:
    from interview_deck.sources.loading import load_decks

    path = tmp_path / "d.yaml"
    path.write_text(f"deck: T::X\ncards:{value}\nquestions:\n  - id: a\n    question: A?\n"
                    "    purpose: a\n", encoding="utf-8")
    with pytest.raises(DeckError) as raised:
        load_decks([path])
    assert [f"{p.line}:{p.column}: {p.message}" for p in raised.value.problems] == [message]
