"""The bundled deck, built and imported into a fresh collection of the real Anki."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Anki, counts, visible_lines, visible_text

from interview_deck.build import build, bundled_decks
from interview_deck.identity import note_guid

DECK = "Interview Questions::Questions to Ask"

# Every question the article gives, in its own words (typo "techology" corrected).
ARTICLE_QUESTIONS = {
    "define-success": "How do you define success in this role? "
    "How does one know they are ready for a promotion?",
    "why-stay-given-market": "Based on the market, why did you decide to stay here?",
    "change-one-thing": "What's something you would love to change about the company?",
    "why-people-stay": "If I asked 10 people in the office why they stay, what would they say?",
    "why-people-leave": "If I asked 10 people why they want to leave, what would they say?",
    "tech-stack-decisions": "What were some of the decisions that led to the current "
    "technology stack?",
    "leadership-competing-priorities": "What are some of the things the leadership team does "
    "to help keep the teams on track when it comes to competing priorities?",
    "handle-conflict": "How do you folks handle conflict between team members?",
    "salary-opener": "Before we talk numbers, I want to find out if I like you enough to work "
    "together and if you like me enough to move forward.",
}


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Anki:
    folder = tmp_path_factory.mktemp("bundled")
    report = build([], folder / "interview-questions.apkg", ledger=folder / "ledger.json")
    anki = Anki(folder / "collection.anki2")
    log = anki.import_package(report.result.path)
    assert (log.new, log.updated, log.conflicting) == (len(ARTICLE_QUESTIONS), 0, 0)
    return anki


def test_the_deck_holds_every_article_question_once() -> None:
    (deck,) = bundled_decks()
    assert deck.name == DECK
    assert {q.id: q.question for q in deck.questions} == ARTICLE_QUESTIONS


def test_every_question_has_a_purpose_and_two_variations() -> None:
    for question in bundled_decks()[0].questions:
        assert len(question.purpose.split()) >= 6, question.id
        assert len(question.variations) >= 2, question.id
        assert len(set(question.variations)) == len(question.variations)
        assert question.question not in question.variations


def test_article_specifics_are_kept() -> None:
    questions = {q.id: q for q in bundled_decks()[0].questions}
    assert "how long they've been there" in questions["why-stay-given-market"].setup
    assert questions["tech-stack-decisions"].instead_of == ("What is your tech stack?",)
    description = bundled_decks()[0].description
    for phrase in ("they need your help", "confidence, not arrogance", "variations"):
        assert phrase in description


def test_anki_stores_one_note_per_question_and_the_cards_build_counts(imported: Anki) -> None:
    _, notes, cards = counts(bundled_decks())
    assert imported.note_count() == notes == len(ARTICLE_QUESTIONS)
    assert imported.card_count() == cards
    names = {d.name for d in imported.col.decks.all_names_and_ids()}
    assert {"Interview Questions", DECK} <= names
    assert len(imported.col.find_cards(f'"deck:{DECK}"')) == cards
    assert not imported.col.get_empty_cards().notes


def test_notes_are_identified_by_question_id(imported: Anki) -> None:
    for question_id, text in ARTICLE_QUESTIONS.items():
        note = imported.note_by_guid(note_guid(question_id))
        assert note["Question"] == text


@pytest.mark.parametrize("question_id", sorted(ARTICLE_QUESTIONS))
def test_cards_render_the_right_text(imported: Anki, question_id: str) -> None:
    question = {q.id: q for q in bundled_decks()[0].questions}[question_id]
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
    assert (f"First: {question.setup}" in ask_back) == bool(question.setup)
    assert ("Instead of" in ask_back) == bool(question.instead_of)
    for weaker in question.instead_of:
        assert weaker in ask_back

    why_front = visible_text(why.question())
    assert question.question in why_front
    assert question.purpose not in why_front
    why_back = visible_lines(why.answer())
    purpose_at = why_back.index("You want to find out")
    assert why_back[purpose_at + 1] == question.purpose


def test_no_card_shows_an_empty_heading(imported: Anki) -> None:
    headings = {"Your question", "Or ask", "Instead of", "You want to find out", "Good signs",
                "Red flags", "If the answer is vague, ask", "Instead of asking", "Ask instead"}
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
    assert set(note.tags) == {"growth", "top-five"}
