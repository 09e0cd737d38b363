"""Clear errors everywhere, in one shape: no traceback, honest counts, nothing half done."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from _processes import no_traceback, run
from click.testing import CliRunner

from interview_deck import Deck, DeckError, Question, load_decks, write_package
from interview_deck.cli import main


def test_none_where_a_list_is_expected_is_a_clear_type_error(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="Question.tags must be a list of texts, not NoneType"):
        Question(id="a", question="Q?", purpose="p", tags=None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="Deck.questions must be a list, not NoneType"):
        Deck("Mine", questions=None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="'decks' must be a list of Deck, not NoneType"):
        write_package(None, tmp_path / "x.apkg")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="paths must be a path or a list of paths"):
        load_decks(None)  # type: ignore[arg-type]
    with pytest.raises(DeckError, match="expected a Deck, not NoneType"):
        write_package([None], tmp_path / "x.apkg")  # type: ignore[list-item]


def test_one_path_given_as_text_is_one_path(tmp_path: Path) -> None:
    deck = tmp_path / "one-file.yaml"
    deck.write_text("deck: Mine\nquestions:\n  - id: a\n    question: Q?\n    purpose: p\n",
                    encoding="utf-8")
    assert [d.name for d in load_decks(str(deck))] == ["Mine"]
    assert [d.name for d in load_decks(deck)] == ["Mine"]


def test_undecodable_bytes_in_add_are_a_clear_problem(tmp_path: Path) -> None:
    file = tmp_path / "mine.yaml"
    command = [sys.executable, "-m", "interview_deck", "add", "--file", str(file),
               "--question", b"What about caf\xe9?", "--purpose", "p"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 1
    assert f"{file}: 'question' contains bytes that are not UTF-8 text" in result.stderr
    no_traceback(result)
    assert not file.exists()


def test_lone_surrogates_from_python_are_a_problem(tmp_path: Path) -> None:
    question = Question(id="a", question="Bad \udc80 text?", purpose="p")
    with pytest.raises(DeckError, match="'question' contains bytes that are not UTF-8 text"):
        write_package([Deck("Mine", questions=[question])], tmp_path / "x.apkg")


def test_problem_counts_are_the_truth(tmp_path: Path) -> None:
    deck = tmp_path / "many.yaml"
    items = "".join(f"  - id: Bad Id {n}\n    question: Q?\n    purpose: p\n" for n in range(500))
    deck.write_text("deck: Mine\nquestions:\n" + items, encoding="utf-8")
    result = run("check", "--no-bundled", deck)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[-1] == "500 problems found (400 not shown)."
    assert sum(line.startswith(f"{deck}:") for line in lines) == 101  # 100 and "400 more"
    with pytest.raises(DeckError) as caught:
        load_decks([deck])
    assert caught.value.total == 500 and caught.value.not_shown == 400


def test_a_file_with_only_hide_is_valid_but_an_empty_build_says_so(tmp_path: Path) -> None:
    deck = tmp_path / "hide.yaml"
    deck.write_text("hide: [define-success]\n", encoding="utf-8")
    result = run("check", deck)
    assert result.returncode == 0, result.stderr
    output = tmp_path / "empty.apkg"
    result = run("build", "--no-bundled", deck, "-o", output, "--revisions", tmp_path / "l.json")
    assert result.returncode == 1
    assert "error: no questions to build" in result.stderr and "nothing written" in result.stderr
    assert not output.exists()
    for verb, args in (("export", ["-o", tmp_path / "sheet.md"]), ("export", []),
                       ("preview", ["-o", tmp_path / "page.html"])):
        result = run(verb, "--no-bundled", deck, *args)
        assert result.returncode == 1
        assert f"error: no questions to {verb}" in result.stderr and not result.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hide.yaml"]


def test_build_to_standard_output_is_refused(tmp_path: Path) -> None:
    # It once wrote a file named '-'.
    result = run("build", "-o", "-", cwd=tmp_path)
    assert result.returncode == 2
    assert "build writes a binary package; name a file" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_file_with_only_overrides_is_valid(tmp_path: Path) -> None:
    deck = tmp_path / "over.yaml"
    deck.write_text("overrides:\n  - id: define-success\n    purpose: what success means\n",
                    encoding="utf-8")
    assert run("check", deck).returncode == 0


def test_interactive_add_asks_again_after_an_invalid_answer(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("interview_deck.cli.add._interactive", lambda: True)
    file = tmp_path / "mine.yaml"
    answers = [
        "What does on-call look like?",  # question
        "\u200b",                        # purpose: invisible only, asked again
        "how often you are paged",       # purpose
        "",                              # setup
        "",                              # variations
        "",                              # instead of
        "",                              # good signs
        "",                              # red flags
        "",                              # follow-ups
        "on call",                       # tags: fine (two tags)
        "Not An Id",                     # id: invalid, asked again
        "on-call",                       # id
    ]
    result = CliRunner().invoke(main, ["add", "--file", str(file)],
                                input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "Error: 'purpose' is only invisible characters" in result.output
    assert "id 'Not An Id' is not a valid id" in result.output
    text = file.read_text(encoding="utf-8")
    assert "id: on-call" in text and "how often you are paged" in text


def test_interactive_add_asks_again_for_a_bad_tag(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("interview_deck.cli.add._interactive", lambda: True)
    file = tmp_path / "mine.yaml"
    answers = ["Who decides?", "how decisions are made", "", "", "", "", "", "", "marked",
               "people", ""]
    result = CliRunner().invoke(main, ["add", "--file", str(file)],
                                input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "tag 'marked' is one Anki keeps for itself" in result.output
    assert "tags: [people]" in file.read_text(encoding="utf-8") or (
        "- people" in file.read_text(encoding="utf-8"))


@pytest.mark.parametrize("epoch", ["\u00b2", "\u0663", "9" * 5000])
def test_a_strange_source_date_epoch_is_a_clear_error(tmp_path: Path, epoch: str) -> None:
    # '²' passes str.isdigit but not int(); 5000 digits pass int()'s digit limit.
    deck = tmp_path / "in.yaml"
    deck.write_text("deck: Mine\nquestions:\n  - id: alpha\n    question: Q?\n    purpose: p\n",
                    encoding="utf-8")
    output = tmp_path / "out.apkg"
    result = run("build", "--no-bundled", deck, "-o", output,
                 "--revisions", tmp_path / "ledger.json", env={"SOURCE_DATE_EPOCH": epoch})
    assert result.returncode == 1
    assert "SOURCE_DATE_EPOCH=" in result.stderr and "is not a time in seconds" in result.stderr
    assert not output.exists()
    no_traceback(result)


@pytest.mark.parametrize("variable, command", [
    ("INTERVIEW_DECK_REVISIONS", ["where"]), ("INTERVIEW_DECK_REVISIONS", ["build", "-o", "OUT"]),
    ("INTERVIEW_DECK_PERSONAL_DIR", ["where"]), ("INTERVIEW_DECK_PERSONAL_DIR", ["check"]),
    ("INTERVIEW_DECK_PERSONAL_DIR", ["build", "-o", "OUT"]), ("ANKI_BASE", ["sync", "--dry-run"])])
def test_a_home_of_nobody_in_an_environment_path_is_a_clear_error(
        tmp_path: Path, variable: str, command: list[str]) -> None:
    args = [tmp_path / "out.apkg" if a == "OUT" else a for a in command]
    result = run(*args, env={variable: "~no-such-user-here/x"})
    assert result.returncode == 1, result.stdout
    assert result.stderr.strip() == (f"error: {variable}='~no-such-user-here/x': no home folder "
                                     "found for ~no-such-user-here; give the full path")
    assert not (tmp_path / "out.apkg").exists()
    no_traceback(result)
