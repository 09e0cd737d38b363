"""Run the real command in its own process, as a user's shell would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

# Never wait forever: a hang is a failure, not a slow test.
TIMEOUT = 60


def command(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "interview_deck", *(str(a) for a in args)]


def run(*args: str | Path, env: dict[str, str] | None = None,
        **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """Run ``interview-deck ARGS`` to the end; stdout and stderr captured as text."""
    kwargs.setdefault("stdout", subprocess.PIPE)
    return subprocess.run(command(*args), stderr=subprocess.PIPE, text=True,
                          timeout=TIMEOUT, env={**os.environ, **(env or {})},
                          stdin=subprocess.DEVNULL, check=False, **kwargs)


def start(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """Start ``interview-deck ARGS`` and return at once."""
    return subprocess.Popen(command(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, text=True,
                            env={**os.environ, **(env or {})})


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    assert "Exception ignored" not in result.stderr, result.stderr


def deck_yaml(ids: list[str], deck: str = "Mine", word: str = "") -> str:
    """A deck file with one question per id."""
    lines = [f"deck: {deck}", "questions:"]
    for qid in ids:
        lines += [f"  - id: {qid}", f"    question: What about {qid}{word}?",
                  f"    purpose: how they handle {qid}"]
    return "\n".join(lines) + "\n"


def finish(process: subprocess.Popen[str], timeout: float = 120) -> tuple[int, str, str]:
    """Wait for ``process``: (exit code, stdout, stderr); its pipes are closed."""
    out, err = process.communicate(timeout=timeout)
    return process.returncode, out, err
