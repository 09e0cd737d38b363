"""What Study Now shows first, measured with Anki's own scheduler on a fresh collection with
Anki's default deck options: the article's questions first, all nine on day one, then ours."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Anki

from interview_deck.apkg.writer import new_positions, write_package
from interview_deck.model import Deck, Question
from interview_deck.selection import bundled_decks

TOP = "Interview Questions"
ARTICLE = "Interview Questions::1. Questions to Ask"
COMPANION = "Interview Questions::2. Dig Deeper"


def day_one(anki: Anki, deck: str = TOP) -> list[tuple[str, str, str]]:
    """(deck, card name, question id) of the new cards Study Now on ``deck`` shows first,
    in Anki's order."""
    col = anki.col
    col.decks.select(col.decks.id_for_name(deck))
    queued = col.sched.get_queued_cards(fetch_limit=100)
    cards = [col.get_card(entry.card.id) for entry in queued.cards]
    assert queued.new_count == len(cards) == 20  # Anki's default: 20 new cards a day
    return [(col.decks.name(card.did), card.template()["name"], card.note()["Id"])
            for card in cards]


def bury_new_siblings(anki: Anki) -> None:
    config = anki.col.decks.get_config(1)
    config["new"]["bury"] = True
    anki.col.decks.update_config(config)


def ids(deck_name: str) -> list[str]:
    return [q.id for deck in bundled_decks() if deck.name == deck_name for q in deck.questions]


@pytest.fixture
def bundled(tmp_path: Path, anki: Anki) -> Anki:
    result = write_package(bundled_decks(), tmp_path / "bundled.apkg",
                           revisions=tmp_path / "ledger.json")
    anki.import_package(result.path)
    return anki


def test_defaults_meet_every_article_question_first(bundled: Anki) -> None:
    article = ids(ARTICLE)
    assert len(article) == 9
    order = day_one(bundled)
    # Anki sorts a day's new cards by card type: first the Ask card of each of the nine, in
    # the deck's order, then their Why-ask cards, then two more of the same questions.
    assert order[:9] == [(ARTICLE, "Ask", qid) for qid in article]
    assert order[9:18] == [(ARTICLE, "Why ask", qid) for qid in article]
    assert {deck for deck, _, _ in order} == {ARTICLE}


def test_bury_new_siblings_makes_every_new_card_another_question(bundled: Anki) -> None:
    bury_new_siblings(bundled)
    order = day_one(bundled)
    assert order == ([(ARTICLE, "Ask", qid) for qid in ids(ARTICLE)]
                     + [(COMPANION, "Ask", qid) for qid in ids(COMPANION)[:11]])


def test_the_top_deck_has_a_description_that_says_where_to_start(bundled: Anki) -> None:
    description = bundled.col.decks.by_name(TOP)["desc"]
    for phrase in ("Start here", "1. Questions to Ask", "2. Dig Deeper", "Read the answer",
                   "Bury new siblings"):
        assert phrase in description


def drills(count: int) -> Deck:
    return Deck(f"{TOP}::My Questions", cards=("ask", "why"), questions=tuple(
        Question(id=f"drill-{n:02}", question=f"Question {n}?", purpose=f"fact {n}",
                 instead_of=("A weak one?",), good_signs=("A sign.",))
        for n in range(1, count + 1)))


def test_a_deck_with_two_card_kinds_shows_every_question_before_a_second_card(
        tmp_path: Path, anki: Anki) -> None:
    mine = drills(12)
    result = write_package([mine], tmp_path / "drills.apkg", revisions=tmp_path / "ledger.json")
    anki.import_package(result.path)
    order = day_one(anki)
    asks = [(mine.name, "Ask", q.id) for q in mine.questions]
    assert order == asks + [(mine.name, "Why ask", q.id) for q in mine.questions[:8]]


def test_a_personal_deck_comes_after_the_bundled_ones(tmp_path: Path, anki: Anki) -> None:
    mine = drills(3)
    result = write_package([*bundled_decks(), mine], tmp_path / "all.apkg",
                           revisions=tmp_path / "ledger.json")
    anki.import_package(result.path)
    order = day_one(anki)
    assert order[:9] == [(ARTICLE, "Ask", qid) for qid in ids(ARTICLE)]
    bury_new_siblings(anki)
    assert [deck for deck, _, _ in day_one(anki)] == [ARTICLE] * 9 + [COMPANION] * 11
    anki.col.decks.select(anki.col.decks.id_for_name(mine.name))
    assert [q.id for q in mine.questions] == [
        anki.col.get_card(entry.card.id).note()["Id"]
        for entry in anki.col.sched.get_queued_cards(fetch_limit=3).cards]


def test_positions_go_in_passes_over_the_notes() -> None:
    assert new_positions([[0, 1, 3], [0, 1], [2]]) == [[1, 4, 6], [2, 5], [3]]
    assert new_positions([]) == []
