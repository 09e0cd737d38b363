"""The bundled decks, built and imported into a fresh collection of the real Anki (the content
itself is checked in test_content.py)."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from conftest import Anki, counts, visible_lines, visible_text

from interview_deck.apkg.build import build
from interview_deck.apkg.identity import note_guid
from interview_deck.model import Deck
from interview_deck.selection import bundled_decks

DECK = "Interview Questions::1. Questions to Ask"

COMPANION = "Interview Questions::2. Dig Deeper"


def deck_named(name: str) -> Deck:
    return next(deck for deck in bundled_decks() if deck.name == name)


QUESTIONS = {q.id: q for deck in bundled_decks() for q in deck.questions}


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Anki:
    folder = tmp_path_factory.mktemp("bundled")
    report = build([], folder / "interview-questions.apkg", ledger=folder / "ledger.json")
    anki = Anki(folder / "collection.anki2")
    log = anki.import_package(report.result.path)
    assert (log.new, log.updated, log.conflicting) == (len(QUESTIONS), 0, 0)
    return anki


def test_article_specifics_are_kept() -> None:
    questions = {q.id: q for q in deck_named(DECK).questions}
    assert "how long they've been there" in questions["why-stay-given-market"].setup
    assert questions["tech-stack-decisions"].instead_of == ("What is your tech stack?",)
    description = deck_named(DECK).description
    for phrase in ("they need your help", "confidence, not arrogance", "variations"):
        assert phrase in description


def test_anki_stores_one_note_per_question_and_the_cards_build_counts(imported: Anki) -> None:
    _, notes, cards = counts(bundled_decks())
    assert imported.note_count() == notes == len(QUESTIONS)
    assert imported.card_count() == cards
    names = {d.name for d in imported.col.decks.all_names_and_ids()}
    assert {"Interview Questions", DECK, COMPANION} <= names
    for name in (DECK, COMPANION):
        assert len(imported.col.find_cards(f'"deck:{name}"')) == counts([deck_named(name)])[2]
    assert not imported.col.get_empty_cards().notes


def test_notes_are_identified_by_question_id(imported: Anki) -> None:
    for question_id, question in QUESTIONS.items():
        note = imported.note_by_guid(note_guid(question_id))
        assert note["Question"] == html.escape(question.question, quote=False)
        assert note["Id"] == question_id


@pytest.mark.parametrize("question_id", sorted(QUESTIONS))
def test_cards_render_the_right_text(imported: Anki, question_id: str) -> None:
    question = QUESTIONS[question_id]
    note = imported.note_by_guid(note_guid(question_id))
    cards = {card.template()["name"]: card for card in note.cards()}
    ask, why = cards["Ask"], cards["Why ask"]

    ask_front = visible_lines(ask.question())
    assert ask_front == ["Ask", "You want to find out", question.purpose, "What do you ask?"]
    ask_back = visible_lines(ask.answer())
    assert question.question in ask_back
    assert ask_back[ask_back.index("Your question") + 1] == question.question
    for variation in question.variations:
        assert variation in ask_back
    assert (f"Setup: {question.setup}" in ask_back) == bool(question.setup)
    assert ("Instead of" in ask_back) == bool(question.instead_of)
    for weaker in question.instead_of:
        assert weaker in ask_back

    why_front = visible_text(why.question())
    assert question.question in why_front
    assert question.purpose not in why_front
    why_back = visible_lines(why.answer())
    purpose_at = why_back.index("You want to find out")
    assert why_back[purpose_at + 1] == question.purpose

    read_back = visible_lines(cards["Read the answer"].answer())
    for heading, items in (("Good signs", question.good_signs), ("Red flags", question.red_flags),
                           ("If the answer is vague, ask", question.follow_ups)):
        assert read_back[read_back.index(heading) + 1:][:len(items)] == list(items)
    source = [line for line in read_back if line.startswith("Source: ")]
    assert len(source) == 1 and ("2020-06-28" in source[0])
    assert ("Reframe" in cards) == bool(question.instead_of)


def test_no_card_shows_an_empty_heading(imported: Anki) -> None:
    headings = {"Your question", "Or ask", "Instead of", "You want to find out", "Good signs",
                "Red flags", "If the answer is vague, ask", "A weak question", "Ask instead",
                "You ask", "You asked", "Why it is better"}
    for card_id in imported.col.find_cards(""):
        card = imported.col.get_card(card_id)
        for side in (card.question(), card.answer()):
            lines = visible_lines(side)
            for index, line in enumerate(lines):
                if line in headings:
                    assert index + 1 < len(lines) and lines[index + 1] not in headings, lines


def test_cards_carry_night_mode_and_phone_styles(imported: Anki) -> None:
    card = imported.col.get_card(imported.col.find_cards("")[0])
    css = card.note_type()["css"]
    assert ".nightMode" in css
    assert "@media (max-width" in css
    assert "<style>" in card.question()


def test_tags_reach_anki(imported: Anki, tmp_path: Path) -> None:
    note = imported.note_by_guid(note_guid("define-success"))
    assert set(note.tags) == {"stage::interview", "topic::growth", "ask::hiring-manager",
                              "ask::skip-level", "top-five"}
