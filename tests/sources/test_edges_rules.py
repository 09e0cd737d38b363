"""What `check` accepts, Anki accepts unchanged: each rule below is first shown on real Anki
(a package built without our rules), then as a located problem in a deck file."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import Anki

from interview_deck import Deck, Question
from interview_deck.apkg.identity import note_guid
from interview_deck.apkg.writer import package_bytes
from interview_deck.cli import main
from interview_deck.sources.rules import question_problems

MAX_DECK_PARTS = 11  # Anki's limit (rslib/src/decks/addupdate.rs)


def _import_unchecked(anki: Anki, tmp_path: Path, decks: list[Deck]) -> None:
    path = tmp_path / "unchecked.apkg"
    path.write_bytes(package_bytes(decks).data)
    anki.import_package(path)


def _q(qid: str, **changes: object) -> Question:
    values: dict[str, object] = {"id": qid, "question": "Q?", "purpose": "p", **changes}
    return Question(**values)  # type: ignore[arg-type]


def test_anki_drops_its_own_tags_and_keeps_odd_ones(anki: Anki, tmp_path: Path) -> None:
    tags = {"a": "marked", "b": "Leech", "c": "a*b", "d": 'a"b', "e": "a\u200bb"}
    _import_unchecked(anki, tmp_path, [Deck("Mine", questions=[
        _q(qid, tags=(tag,)) for qid, tag in tags.items()])])
    stored = {qid: anki.note_by_guid(note_guid(qid)).tags for qid in tags}
    assert stored == {"a": [], "b": [], "c": ["a*b"], "d": ['a"b'], "e": ["a\u200bb"]}
    assert len(anki.col.find_notes("tag:a*b")) == 3  # '*' matches any tag from a to b


def test_anki_refuses_decks_deeper_than_its_limit(anki: Anki, tmp_path: Path) -> None:
    from anki.errors import InvalidInput

    deepest = "::".join(f"L{n}" for n in range(MAX_DECK_PARTS))
    _import_unchecked(anki, tmp_path, [Deck(deepest, questions=[_q("a")])])
    with pytest.raises(InvalidInput, match="nesting level too deep"):
        _import_unchecked(anki, tmp_path, [Deck(deepest.replace("L", "M") + "::One-more",
                                                questions=[_q("b")])])


def test_anki_renames_these_deck_names(anki: Anki, tmp_path: Path) -> None:
    names = {"a": "Line\nBreak", "b": "default", "d": "Part:::Sub", "e": "Trailing:"}
    _import_unchecked(anki, tmp_path, [Deck("Default", questions=[_q("c")])])
    _import_unchecked(anki, tmp_path, [Deck(name, questions=[_q(qid)])
                                       for qid, name in names.items()])

    def deck_of(qid: str) -> tuple[str, int]:
        card = anki.note_by_guid(note_guid(qid)).cards()[0]
        return anki.col.decks.name(card.did), card.did

    assert deck_of("a")[0] == "LineBreak"
    assert deck_of("b")[0] != "default"  # merged into Default, or renamed
    name, did = deck_of("c")
    assert did == 1 or name != "Default"  # into the user's own Default deck, or renamed
    assert deck_of("d")[0] == "Part::Sub"
    assert deck_of("e")[0] == "Trailing"


CASES = [
    ("tags: [marked]", "tag 'marked' is one Anki keeps for itself"),
    ("tags: [LEECH]", "tag 'LEECH' is one Anki keeps for itself"),
    ("tags: [\"a\\u200bb\"]", "contains the invisible character U+200B"),
    ("tags: [\"\\u200b\"]", "an item of 'tags' is only invisible characters"),
    ("setup: \"\\u200b\\u2060\"", "'setup' is only invisible characters"),
    ("variations: [\"\\ufeff\"]", "an item of 'variations' is only invisible characters"),
]


@pytest.mark.parametrize("line, message", CASES)
def test_check_reports_what_anki_would_change(tmp_path: Path, line: str, message: str) -> None:
    deck = tmp_path / "mine.yaml"
    deck.write_text("deck: Mine\nquestions:\n  - id: a\n    question: Q?\n    purpose: p\n"
                    f"    {line}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--no-bundled", "--no-personal", str(deck)])
    assert result.exit_code == 1
    assert f"{deck}:6:" in result.output and message in result.output


@pytest.mark.parametrize("where", ["question", "override"])
def test_each_list_item_is_checked_beside_an_invisible_one(tmp_path: Path, where: str) -> None:
    # An item of invisible characters once stopped the checks of the other items.
    deck = tmp_path / "mine.yaml"
    body = ("questions:\n  - id: a\n    question: Q?\n    purpose: p\n" if where == "question"
            else "overrides:\n  - id: define-success\n")
    deck.write_text(f"deck: Mine\n{body}    tags: [\"\\u200b\", marked, \"\\u2060\", x, x]\n"
                    "    follow_ups: [\"\\u200b\", fine, \"\\ufeff\"]\n", encoding="utf-8")
    bundled = [] if where == "override" else ["--no-bundled"]
    result = CliRunner().invoke(main, ["check", *bundled, "--no-personal", str(deck)])
    line = 6 if where == "question" else 4
    assert result.exit_code == 1
    assert [row.split(": ", 1)[1] for row in result.output.splitlines()[:-1]] == [
        "an item of 'tags' is only invisible characters; write some text",
        "tag 'marked' is one Anki keeps for itself and removes from imported notes; "
        "choose another",
        "an item of 'tags' is only invisible characters; write some text",
        "tag 'x' is listed twice",
        "an item of 'follow_ups' is only invisible characters; write some text",
        "an item of 'follow_ups' is only invisible characters; write some text"]
    assert all(row.startswith(f"{deck}:{n}:") for row, n in zip(
        result.output.splitlines(), [line] * 4 + [line + 1] * 2, strict=False))


DECK_CASES = [
    ('"Line\\nBreak"', "contains a line break, tab or control character"),
    ('"Tab\\tName"', "contains a line break, tab or control character"),
    ("Default", "starts with Anki's own deck 'Default'"),
    ("default::Mine", "starts with Anki's own deck 'Default'"),
    ("Part:::Sub", "has a ':' at the start or end of a part"),
    ("::".join(f"L{n}" for n in range(MAX_DECK_PARTS + 1)), "is 12 levels deep"),
    ('"\\u200b"', "'deck' is only invisible characters"),
    ('"Zero\\u200bWidth"', "contains the invisible character U+200B"),
]


@pytest.mark.parametrize("name, message", DECK_CASES)
def test_check_reports_deck_names_anki_would_change(tmp_path: Path, name: str,
                                                    message: str) -> None:
    deck = tmp_path / "mine.yaml"
    deck.write_text(f"deck: {name}\nquestions:\n  - id: a\n    question: Q?\n    purpose: p\n",
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--no-bundled", "--no-personal", str(deck)])
    assert result.exit_code == 1
    assert f"{deck}:1:7: " in result.output and message in result.output


def test_the_deepest_deck_anki_takes_is_accepted(tmp_path: Path) -> None:
    deck = tmp_path / "mine.yaml"
    name = "::".join(f"L{n}" for n in range(MAX_DECK_PARTS))
    deck.write_text(f"deck: {name}\nquestions:\n  - id: a\n    question: Q?\n    purpose: p\n",
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--no-bundled", "--no-personal", str(deck)])
    assert result.exit_code == 0, result.output


def test_tags_that_search_reads_as_syntax_are_a_warning(tmp_path: Path) -> None:
    deck = tmp_path / "mine.yaml"
    deck.write_text("deck: Mine\nquestions:\n  - id: a\n    question: Q?\n    purpose: p\n"
                    "    tags: [a*b, 'say\"so', on_call]\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--no-bundled", "--no-personal", str(deck)])
    assert result.exit_code == 0
    warnings = [line for line in result.output.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 2
    assert "tag 'a*b'" in warnings[0] and "tag 'say\"so'" in warnings[1]


def test_check_warns_about_a_read_the_answer_back_too_long_for_a_phone(tmp_path: Path) -> None:
    deck = tmp_path / "mine.yaml"
    items = "\n".join(f"      - item {n}" for n in range(4))
    deck.write_text("deck: Mine\nquestions:\n"
                    "  - id: four-flags\n    question: Q?\n    purpose: p\n"
                    f"    red_flags:\n{items}\n"
                    "  - id: seven\n    question: R?\n    purpose: p\n"
                    "    good_signs: [a, b, c]\n    red_flags: [d, e]\n    follow_ups: [f, g]\n"
                    "  - id: six\n    question: S?\n    purpose: p\n"
                    "    good_signs: [a, b, c]\n    red_flags: [d, e, f]\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--no-bundled", "--no-personal", str(deck)])
    assert result.exit_code == 0
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert warnings == [
        f"warning: {deck}: question 'four-flags' has 0 good_signs, 4 red_flags, 0 follow_ups: "
        "its Read the answer card scrolls on a phone; keep the strongest 3 of a part and 6 in "
        "all",
        f"warning: {deck}: question 'seven' has 3 good_signs, 2 red_flags, 2 follow_ups: its "
        "Read the answer card scrolls on a phone; keep the strongest 3 of a part and 6 in all"]
    assert result.stdout == "No problems: 3 questions in 1 deck from 1 file.\n"
    # A warning, not an error: the deck builds, and build does not repeat it.
    built = CliRunner().invoke(main, ["build", "--no-bundled", "--no-personal", str(deck),
                                      "-o", str(tmp_path / "mine.apkg"), "--revisions",
                                      str(tmp_path / "ledger.json")])
    assert built.exit_code == 0 and "warning" not in built.stderr


def test_an_item_given_twice_in_a_list_part_is_reported(tmp_path: Path) -> None:
    deck = tmp_path / "mine.yaml"
    deck.write_text("deck: Mine\nquestions:\n  - id: a\n    question: Q?\n    purpose: p\n"
                    "    follow_ups:\n      - Why?\n      - why? \n    red_flags: [x, y, X]\n"
                    "    good_signs: [one, two]\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--no-bundled", "--no-personal", str(deck)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{deck}:8:9: 'why?' is listed twice in 'follow_ups' (first at line 7); remove one",
        f"{deck}:9:23: 'X' is listed twice in 'red_flags' (first at line 9); remove one",
        "2 problems found."]
    question = Question(id="a", question="Q?", purpose="p", variations=("Same", "same"))
    assert list(question_problems(question)) == [
        "'same' is listed twice in 'variations'; remove one"]
