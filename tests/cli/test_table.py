"""`list` fits a terminal's width; piped, it prints every cell in full."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
import time

import pytest
from _processes import command
from click.testing import CliRunner

from interview_deck.cli import main
from interview_deck.cli.table import render, table_rows
from interview_deck.selection import bundled_decks

ROWS = [("define-success", "Interview Questions::Questions to Ask",
         "topic::growth,ask::hiring-manager", "ask,why,read",
         "How do you define success in this role? How does one know they are ready?"),
        ("why-stay", "Interview Questions::Questions to Ask", "topic::retention",
         "ask,why", "Based on the market, why did you decide to stay here?")]


def test_piped_list_prints_every_cell_in_full(runner: CliRunner) -> None:
    result = runner.invoke(main, ["list"], catch_exceptions=False)
    rows, _ = table_rows(bundled_decks())
    assert result.stderr == ""
    for row in rows:
        line = next(line for line in result.stdout.splitlines() if line.startswith(row[0] + " "))
        assert all(cell in line for cell in row), "nothing shortened"
    assert "…" not in result.stdout


@pytest.mark.parametrize("width", [40, 60, 80, 100, 120, 160])
def test_every_line_fits_the_width(width: int) -> None:
    text, left_out = render(ROWS, width)
    assert max(len(line) for line in text.splitlines()) <= width
    heading = text.splitlines()[0].split()
    assert heading[0] == "ID" and heading[-1] == "QUESTION", "the id and the question stay"
    assert [name for name in ("DECK", "TAGS", "CARDS") if name not in heading] == sorted(
        left_out, key=("DECK", "TAGS", "CARDS").index)
    for row in ROWS:
        assert row[0] in text, "ids are never shortened: they are what you type"


def test_columns_are_left_out_before_the_question_gets_narrow() -> None:
    text, left_out = render(ROWS, 80)
    assert left_out == ("TAGS", "CARDS")
    line = text.splitlines()[1]
    assert line.startswith("define-success  …::Questions to Ask   How do you define success")
    assert line.endswith("…") and len(line) == 80


def test_a_wider_terminal_shows_every_column() -> None:
    text, left_out = render(ROWS, 120)
    assert left_out == ()
    assert text.splitlines()[0].split() == ["ID", "DECK", "TAGS", "CARDS", "QUESTION"]
    assert "…::Questions to Ask" in text.splitlines()[1], "a deck keeps its own name"


@pytest.mark.skipif(sys.platform == "win32", reason="a POSIX terminal")
def test_list_in_a_real_80_column_terminal() -> None:
    main_fd, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    process = subprocess.Popen(command("list"), stdout=terminal, stderr=subprocess.PIPE,
                               stdin=subprocess.DEVNULL, env=env)
    os.close(terminal)
    shown = b""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            chunk = os.read(main_fd, 65536)
        except OSError:  # the terminal closed: the command is done
            break
        if not chunk:
            break
        shown += chunk
    os.close(main_fd)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 0
    lines = shown.decode().splitlines()
    assert max(len(line) for line in lines) <= 80
    assert lines[0].split() == ["ID", "QUESTION"]
    assert err.decode().startswith("(DECK, TAGS, CARDS left out to fit 80 columns;")
