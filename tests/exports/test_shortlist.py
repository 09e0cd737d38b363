"""A short list for tomorrow's interview: `--limit N` spreads across topics, the same every time."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from interview_deck import Deck, Question
from interview_deck.cli import main
from interview_deck.exports.shortlist import shortlist, topic_of


def q(question_id: str, *tags: str) -> Question:
    return Question(id=question_id, question=f"{question_id}?", purpose="p", tags=tags)


ONE = Deck("A", questions=[q("a1", "topic::role"), q("a2", "topic::role"),
                           q("a3", "topic::money"), q("a4", "topic::team")])
TWO = Deck("B", questions=[q("b1", "topic::growth"), q("b2", "topic::role"),
                           q("b3", "plain"), q("b4")])


def chosen(decks: tuple[Deck, ...]) -> list[str]:
    return [question.id for deck in decks for question in deck.questions]


def test_the_topic_is_the_first_topic_tag_else_the_first_tag() -> None:
    assert topic_of(q("x", "ask::peer", "Topic::Money", "topic::role")) == "Topic::Money"
    assert topic_of(q("x", "plain", "other")) == "plain"
    assert topic_of(q("x")) == "other"


def test_one_question_per_topic_before_a_second_from_any() -> None:
    # Taken in turn: a1 b1 a2 b2 a3 b3 a4 b4; topics role, growth, money, plain, team, other.
    assert chosen(shortlist([ONE, TWO], 4)) == ["a1", "a3", "b1", "b3"]
    assert chosen(shortlist([ONE, TWO], 6)) == ["a1", "a3", "a4", "b1", "b3", "b4"]
    assert chosen(shortlist([ONE, TWO], 7)) == ["a1", "a2", "a3", "a4", "b1", "b3", "b4"]


def test_decks_keep_their_order_and_empty_ones_go() -> None:
    result = shortlist([ONE, TWO], 1)
    assert [deck.name for deck in result] == ["A"] and chosen(result) == ["a1"]
    assert shortlist([ONE, TWO], 1) == shortlist([ONE, TWO], 1)


def test_no_limit_or_a_big_one_keeps_everything() -> None:
    assert shortlist([ONE, TWO], None) == (ONE, TWO)
    assert chosen(shortlist([ONE, TWO], 100)) == chosen((ONE, TWO))


def test_export_limit_gives_a_spread_for_one_interviewer(runner: CliRunner) -> None:
    result = runner.invoke(main, ["export", "--tag", "ask::hiring-manager", "--limit", "6"],
                           catch_exceptions=False)
    sheet = result.stdout
    assert sheet.count("\n- **") == 6
    headings = [line for line in sheet.splitlines() if line.startswith("## ")]
    assert len(headings) == 6, headings  # a hiring manager covers more than six topics
    again = runner.invoke(main, ["export", "--tag", "ask::hiring-manager", "--limit", "6"])
    assert again.stdout == sheet


def test_preview_limit_and_bad_limits(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "cards.html"
    result = runner.invoke(main, ["preview", "--limit", "3", "-o", str(out)],
                           catch_exceptions=False)
    assert result.stderr.startswith(f"Wrote {out}: 3 notes,")
    for bad in ("0", "-1", "many"):
        result = runner.invoke(main, ["export", "--limit", bad])
        assert result.exit_code == 2 and "--limit" in result.stderr


def test_the_html_sheet_numbers_questions_down_the_page() -> None:
    from interview_deck.exports.formats import to_html_sheet

    page = to_html_sheet(shortlist([ONE, TWO], 6))
    assert [int(n) for n in re.findall(r'<ol start="(\d+)">', page)] == [1, 2, 3, 4, 5, 6]
