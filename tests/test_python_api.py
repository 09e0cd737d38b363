"""The Python API's mistakes raise the library's own errors, naming the parameter; the bundled
decks load with your overrides applied."""

from __future__ import annotations

from pathlib import Path

import pytest

from interview_deck import (
    ArgumentError,
    Deck,
    DeckError,
    InterviewDeckError,
    Question,
    Revisions,
    bundled_decks,
    load_decks,
    write_package,
)

DECK = Deck("Mine", questions=[Question(id="a", question="Q?", purpose="p")])


@pytest.mark.parametrize(("given", "message"), [
    ({"path": None}, "write_package: 'path' must be the file to write (a str or Path), not "
                     "NoneType"),
    ({"path": ""}, "write_package: 'path' must be the file to write (a str or Path), not ''"),
    ({"revisions": 42}, "write_package: 'revisions' must be a Revisions or a ledger file's "
                        "path, not int"),
    ({"templates": "cards.html"}, "write_package: 'templates' must be a CardTemplates, not str"),
    ({"progress": 5}, "write_package: 'progress' must be a function, not int"),
])
def test_write_package_names_the_wrong_parameter(tmp_path: Path, given: dict[str, object],
                                                 message: str) -> None:
    arguments: dict[str, object] = {"path": tmp_path / "x.apkg",
                                    "revisions": tmp_path / "ledger.json", **given}
    with pytest.raises(ArgumentError) as caught:
        write_package([DECK], **arguments)  # type: ignore[arg-type]
    assert str(caught.value) == message
    assert isinstance(caught.value, InterviewDeckError) and isinstance(caught.value, TypeError)
    assert list(tmp_path.iterdir()) == [], "nothing written, not even the ledger"


@pytest.mark.parametrize(("value", "message"), [
    ({"a": 1}, "Question.variations must be a list of texts, not dict"),
    ({"a", "b"}, "Question.variations must be a list of texts, not set"),
    ("one wording", "Question.variations must be a list of texts, not str"),
    ((w for w in ["a"]), "Question.variations must be a list of texts, not generator"),
    (["fine", 2], "Question.variations must be a list of texts; item 2 is int, not text"),
    ([None], "Question.variations must be a list of texts; item 1 is NoneType, not text"),
])
def test_list_parts_take_only_lists_of_text(value: object, message: str) -> None:
    with pytest.raises(ArgumentError) as caught:
        Question(id="a", question="Q?", purpose="p", variations=value)  # type: ignore[arg-type]
    assert str(caught.value) == message


def test_lists_and_tuples_of_text_are_kept_as_tuples() -> None:
    question = Question(id="a", question="Q?", purpose="p", variations=["x", "y"],
                        tags=("t",))
    assert question.variations == ("x", "y") and question.tags == ("t",)


def test_duplicate_ids_never_reach_a_package_even_unchecked(tmp_path: Path) -> None:
    one = Deck("One", questions=[Question(id="same", question="Q1?", purpose="p")])
    two = Deck("Two", questions=[Question(id="same", question="Q2?", purpose="p")])
    with pytest.raises(DeckError) as caught:
        write_package([one, two], tmp_path / "x.apkg", revisions=Revisions(), check=False)
    assert [str(p) for p in caught.value.problems] == [
        "deck 2, question 1: duplicate id 'same' (also deck 1, question 1)"]
    assert not (tmp_path / "x.apkg").exists()


OVERRIDES = """\
overrides:
  - id: handle-conflict
    question: When two people on the team disagree, what happens next?
hide: [salary-opener]
"""


def test_bundled_decks_with_your_overrides_applied(tmp_path: Path, isolated_home: Path) -> None:
    mine = tmp_path / "o.yaml"
    mine.write_text(OVERRIDES, encoding="utf-8")
    shipped = {q.id: q for d in bundled_decks() for q in d.questions}
    changed = {q.id: q for d in bundled_decks(mine) for q in d.questions}
    assert changed["handle-conflict"].question == ("When two people on the team disagree, "
                                                   "what happens next?")
    assert changed["handle-conflict"].purpose == shipped["handle-conflict"].purpose
    assert "salary-opener" in shipped and "salary-opener" not in changed
    assert {q.id for d in bundled_decks(str(mine)) for q in d.questions} == set(changed)
    # The personal folder, as the command line reads it.
    folder = isolated_home / ".config" / "interview-deck"
    folder.mkdir(parents=True)
    (folder / "mine.yaml").write_text(OVERRIDES, encoding="utf-8")
    assert {q.id for d in bundled_decks() for q in d.questions} == set(shipped)
    assert {q.id for d in bundled_decks(personal=True) for q in d.questions} == set(changed)


def test_bundled_decks_takes_paths_one_by_one(tmp_path: Path) -> None:
    with pytest.raises(ArgumentError, match=r"give several as bundled_decks\('a.yaml', "):
        bundled_decks([tmp_path / "o.yaml"])  # type: ignore[arg-type]


def test_load_decks_says_how_to_override_a_bundled_question(tmp_path: Path) -> None:
    mine = tmp_path / "o.yaml"
    mine.write_text(OVERRIDES, encoding="utf-8")
    with pytest.raises(DeckError) as caught:
        load_decks([mine])
    assert [str(p) for p in caught.value.problems] == [
        f"{mine}:2:9: cannot override 'handle-conflict': it is a bundled question, and "
        "load_decks reads only the files it is given; load the bundled decks with this file "
        f"applied: bundled_decks('{mine}')",
        f"{mine}:4:8: cannot hide 'salary-opener': it is a bundled question, and load_decks "
        "reads only the files it is given; load the bundled decks with this file applied: "
        f"bundled_decks('{mine}')"]


def test_an_id_found_nowhere_still_gets_the_list_hint(tmp_path: Path) -> None:
    mine = tmp_path / "o.yaml"
    mine.write_text("hide: [no-such-question-anywhere]\n", encoding="utf-8")
    with pytest.raises(DeckError, match="no question has that id; run 'interview-deck list'"):
        load_decks([mine])
