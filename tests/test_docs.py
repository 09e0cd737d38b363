"""The README is part of the product: its commands are what CI runs, its code runs here."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def code_blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def test_the_readme_gives_exactly_two_setup_commands_and_ci_runs_the_test_one() -> None:
    quick_start = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.*?)\n```", quick_start, flags=re.S)
    assert len(commands) == 2
    install_and_build, install_and_test = commands
    assert install_and_build.endswith("interview-deck build")
    assert install_and_test.endswith("pytest")
    assert install_and_test in (ROOT / ".ci" / "run").read_text()


@pytest.mark.parametrize("block", code_blocks("python"))
def test_python_examples_run(block: str, tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", block], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    expected = re.findall(r"# (.+)$", block, flags=re.M)
    if expected and "print(" in block:
        assert done.stdout.strip().splitlines()[-1] == expected[-1].strip()


@pytest.mark.parametrize("block", code_blocks("yaml"))
def test_yaml_examples_load(block: str, tmp_path: Path) -> None:
    from interview_deck import load_decks
    from interview_deck.paths import bundled_decks_dir

    path = tmp_path / "example.yaml"
    path.write_text(block, encoding="utf-8")
    decks = load_decks([bundled_decks_dir(), path])
    assert decks[-1].file == str(path) and decks[-1].questions


def test_the_check_example_is_what_check_prints(monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from interview_deck.cli import main

    shown = README.split("interview-deck check my-questions.yaml\n```", 1)[1]
    shown = re.search(r"```text\n(.*?)```", shown, flags=re.S).group(1)  # type: ignore[union-attr]
    monkeypatch.chdir(Path(__file__).parent / "data" / "readme")
    result = CliRunner().invoke(main, ["check", "my-questions.yaml"])
    assert result.exit_code == 1
    assert result.stderr == shown
