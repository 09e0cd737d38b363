"""The same file parses the same way: one libyaml parse, whatever the text contains."""

from __future__ import annotations

from pathlib import Path

import pytest

from interview_deck import DeckError, load_decks
from interview_deck.sources.parsing import ALIAS_MESSAGE

BODY = """deck: Mine
questions:
  - id: alpha
    question: Does the team work on {word}?
    purpose: what they build on
    variations: [Why?Really, And then?]
"""


@pytest.mark.parametrize("word", ["Linux", "*nix", "R &D", "a *b and &c"])
def test_text_that_looks_like_an_anchor_changes_nothing(tmp_path: Path, word: str) -> None:
    """Before: '*nix' or 'R &D' anywhere switched to the pure-Python parser, which reports this
    valid closed list as unclosed."""
    path = tmp_path / "deck.yaml"
    path.write_text(BODY.format(word=word), encoding="utf-8")
    (deck,) = load_decks([path])
    assert deck.questions[0].question == f"Does the team work on {word}?"
    assert deck.questions[0].variations == ("Why?Really", "And then?")


def _problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "deck.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DeckError) as caught:
        load_decks([path])
    return [f"{p.line}:{p.column}: {p.message}" for p in caught.value.problems]


def test_an_anchor_without_an_alias_is_reported(tmp_path: Path) -> None:
    problems = _problems(tmp_path, "deck: Mine\nquestions:\n  - id: alpha\n"
                                   "    question: &q What now?\n    purpose: why\n")
    assert problems == [f"4:15: {ALIAS_MESSAGE}"]


def test_an_alias_is_reported_where_it_is_used_and_anchors_with_aliases_once(
        tmp_path: Path) -> None:
    problems = _problems(tmp_path, "deck: Mine\nquestions:\n  - id: alpha\n"
                                   "    question: &q What now?\n    purpose: *q\n"
                                   "    setup: *q\n")
    assert problems == [f"5:14: {ALIAS_MESSAGE}", f"6:12: {ALIAS_MESSAGE}"]


def test_other_problems_in_the_file_are_still_reported(tmp_path: Path) -> None:
    problems = _problems(tmp_path, "deck: Mine\nquestions:\n  - id: Bad Id\n"
                                   "    question: &q What now?\n    purpose: why\n")
    assert [p.split(": ", 1)[0] for p in problems] == ["3:9", "4:15"]
