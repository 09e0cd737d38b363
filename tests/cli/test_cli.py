"""The command line, through Click's runner and once as the installed command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import Anki, bundled_summary, counts

from interview_deck import __version__
from interview_deck.cli import main
from interview_deck.paths import bundled_decks_dir
from interview_deck.selection import bundled_decks

MINE = """\
deck: Interview Questions::My Questions
questions:
  - id: on-call
    question: What does on-call look like for this team?
    purpose: how often you would be woken up, and who fixes the root causes
"""


def test_build_writes_the_bundled_deck_in_the_current_folder(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["build"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(f"Wrote interview-questions.apkg: {bundled_summary()} (")
    assert "File > Import" in result.stderr
    assert (tmp_path / "interview-questions.apkg").stat().st_size > 1000
    assert result.stdout == "", "stdout is for data; a build's status goes to stderr"


def test_build_adds_your_files_and_can_leave_the_bundled_decks_out(
    runner: CliRunner, tmp_path: Path, anki: Anki
) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(MINE)
    out = tmp_path / "both.apkg"
    result = runner.invoke(main, ["build", str(mine), "-o", str(out)], catch_exceptions=False)
    decks, notes, cards = counts(bundled_decks())
    assert f"{decks + 1} decks, {notes + 1} notes, {cards + 2} cards" in result.stderr
    only = tmp_path / "only.apkg"
    result = runner.invoke(main, ["build", str(mine), "--no-bundled", "-o", str(only)],
                           catch_exceptions=False)
    assert "1 deck, 1 note, 2 cards" in result.stderr
    assert anki.import_package(only).new == 1
    assert anki.col.decks.id_for_name("Interview Questions::My Questions")


def test_build_takes_a_folder(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "my-decks"
    (folder / "nested").mkdir(parents=True)
    (folder / "nested" / "mine.yml").write_text(MINE)
    result = runner.invoke(main, ["build", str(folder), "--no-bundled",
                                  "-o", str(tmp_path / "x.apkg")], catch_exceptions=False)
    assert "1 note" in result.stderr


def test_list_shows_the_same_selection(runner: CliRunner, tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(MINE)
    result = runner.invoke(main, ["list", str(mine)], catch_exceptions=False)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    decks, notes, cards = counts(bundled_decks())
    # The top deck only has a description: list counts the decks that hold questions.
    asked = sum(1 for deck in bundled_decks() if deck.questions)
    assert asked == decks - 1
    assert lines[-1] == f"{notes + 1} questions in {asked + 1} decks, {cards + 2} cards"
    assert any(line.startswith("on-call ") and "What does on-call look like" in line
               for line in lines)
    assert any(line.startswith("define-success ") for line in lines)
    result = runner.invoke(main, ["list", "--no-bundled", str(mine)], catch_exceptions=False)
    assert result.stdout.splitlines()[-1] == "1 question in 1 deck, 2 cards"


def test_bad_input_is_reported_with_locations_and_nothing_is_written(
    runner: CliRunner, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(MINE.replace("purpose:", "purpsoe:").replace("id: on-call", "id: On Call"))
    out = tmp_path / "deck.apkg"
    out.write_bytes(b"old")
    result = runner.invoke(main, ["build", str(bad), "-o", str(out)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{bad}:3:9: id 'On Call' is not a valid id: use lowercase letters, digits and single "
        "hyphens, like 'define-success' (for example 'on-call')",
        f"{bad}:5:5: unknown key 'purpsoe' in question; did you mean 'purpose'?",
        "2 problems found; nothing written.",
    ]
    assert out.read_bytes() == b"old"


def test_check_summarises_a_clean_selection(runner: CliRunner, tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(MINE)
    result = runner.invoke(main, ["check", str(mine)], catch_exceptions=False)
    assert result.exit_code == 0
    decks, notes, _ = counts(bundled_decks())
    files = len(list(bundled_decks_dir().glob("*.yaml")))
    assert result.stdout == (f"No problems: {notes + 1} questions in {decks} decks from "
                             f"{files + 1} files.\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.yaml"]


def test_check_reports_every_problem_in_every_file_and_writes_nothing(
    runner: CliRunner, tmp_path: Path
) -> None:
    (tmp_path / "a.yaml").write_text(MINE.replace("question:", "question: 42 #"))
    (tmp_path / "b.yaml").write_text("- just\n- a list\n")
    (tmp_path / "c.yaml").write_text(
        MINE.replace("id: on-call", "id: on-call\n    tags: [on call]"))
    before = sorted(p.name for p in tmp_path.iterdir())
    result = runner.invoke(main, ["check", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{tmp_path / 'a.yaml'}:4:15: 'question' must be text, found a number (42); "
        'put it in quotes: "42"',
        f"{tmp_path / 'b.yaml'}:1:1: a deck file must be a mapping with the keys 'deck', "
        "'description' and 'questions'; found a list",
        f"{tmp_path / 'c.yaml'}:3:9: duplicate id 'on-call' "
        f"(also used at {tmp_path / 'a.yaml'}:3:9); "
        "to replace that question, list yours under 'overrides:' instead",
        f"{tmp_path / 'c.yaml'}:4:12: tag 'on call' contains a space; Anki splits tags on "
        "spaces (use 'on-call' instead)",
        "4 problems found.",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_a_missing_path_is_reported(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["list", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"{tmp_path / 'nope.yaml'}: no such file or folder"


def test_an_unknown_option_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(main, ["build", "--frobnicate"])
    assert result.exit_code == 2
    assert "No such option" in result.stderr


def test_version_names_what_a_bug_report_needs(runner: CliRunner) -> None:
    import platform
    import re
    from importlib.metadata import version

    import yaml

    pyproject = (Path(__file__).parents[2] / "pyproject.toml").read_text(encoding="utf-8")
    declared = re.search(r'^version = "(.+)"$', pyproject, flags=re.M).group(1)  # type: ignore[union-attr]
    assert __version__ == declared == "0.2.0"
    result = runner.invoke(main, ["--version"], catch_exceptions=False)
    lines = result.stdout.splitlines()
    assert lines[0] == f"interview-deck {declared}"
    assert lines[1].startswith(f"Python {platform.python_version()} (")
    libyaml = "with libyaml" if yaml.__with_libyaml__ else "pure Python"  # type: ignore[attr-defined]
    assert lines[2:] == [f"Click {version('click')}", f"genanki {version('genanki')}",
                         f"PyYAML {version('PyYAML')} ({libyaml})", f"anki {version('anki')}"]


def test_help_imports_nothing_but_the_command_line() -> None:
    code = ("import sys\nfrom interview_deck.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('yaml', 'genanki', "
            "'anki') or m in ('importlib.metadata', 'click.shell_completion', "
            "'interview_deck.cli.completion', 'interview_deck.versions')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.splitlines()[-1] == "[]"


def test_version_looks_anki_up_without_importing_it() -> None:
    code = ("import sys\nfrom interview_deck.cli import main\n"
            "try:\n    main(['--version'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('anki', 'genanki')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.splitlines()[-1] == "[]"
    assert done.stdout.splitlines()[-2].startswith("anki ")


@pytest.mark.parametrize("command", sorted(main.commands))  # type: ignore[attr-defined]
def test_every_command_has_help_with_an_example(runner: CliRunner, command: str) -> None:
    result = runner.invoke(main, [command, "--help"], catch_exceptions=False)
    assert result.exit_code == 0
    assert "Example" in result.stdout
    assert f"interview-deck {command}" in result.stdout


def installed_command() -> str:
    script = Path(sys.executable).parent / "interview-deck"
    assert script.exists(), "install the project first: pip install -e '.[test]'"
    return str(script)


def test_the_installed_command_builds_from_any_folder(tmp_path: Path, anki: Anki) -> None:
    env = {**os.environ, "COLUMNS": "200"}
    done = subprocess.run([installed_command(), "build", "-o", "deck.apkg"], cwd=tmp_path,
                          capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith(f"Wrote deck.apkg: {bundled_summary()}")
    assert anki.import_package(tmp_path / "deck.apkg").new == counts(bundled_decks())[1]


def test_python_dash_m_runs_the_command(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("deck: [unclosed\n")
    done = subprocess.run([sys.executable, "-m", "interview_deck", "list", str(bad)],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr == (f"{bad}:1:7: a list opened with '[' here is not closed; add ']' "
                           "(and commas between items)\n1 problem found.\n")


def big_deck(path: Path, count: int) -> Path:
    lines = ["deck: Big", "questions:"]
    for i in range(count):
        lines += [f"  - id: q-{i}", f"    question: Question {i}?", f"    purpose: purpose {i}"]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_quiet_prints_nothing_and_no_bar_outside_a_terminal(runner: CliRunner,
                                                             tmp_path: Path) -> None:
    deck = big_deck(tmp_path / "big.yaml", 6000)
    result = runner.invoke(main, ["build", "--no-bundled", str(deck), "-o",
                                  str(tmp_path / "a.apkg")], catch_exceptions=False)
    assert result.stdout == "" and result.stderr.startswith("Wrote ")
    assert "Writing notes" not in result.stderr, "no progress bar outside a terminal"
    result = runner.invoke(main, ["build", "--no-bundled", "--quiet", str(deck), "-o",
                                  str(tmp_path / "b.apkg")], catch_exceptions=False)
    assert result.stdout == "" and result.stderr == ""
    assert (tmp_path / "b.apkg").exists()


def test_a_big_build_shows_a_progress_bar_in_a_terminal(tmp_path: Path) -> None:
    import pty

    deck = big_deck(tmp_path / "big.yaml", 6000)
    argv = [installed_command(), "build", "--no-bundled", str(deck), "-o",
            str(tmp_path / "a.apkg")]
    output = bytearray()

    def read(fd: int) -> bytes:
        data = os.read(fd, 4096)
        output.extend(data)
        return data

    status = pty.spawn(argv, read)
    assert os.waitstatus_to_exitcode(status) == 0
    text = output.decode(errors="replace")
    assert "Writing notes" in text and "100%" in text
    output.clear()
    pty.spawn([*argv, "--quiet"], read)
    assert "Writing notes" not in output.decode(errors="replace")
