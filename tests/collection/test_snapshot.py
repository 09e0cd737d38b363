"""`sync --dry-run` while Anki has the collection open: a consistent copy is read, the
collection itself is only ever opened read-only, never locked, never changed."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import Anki

from interview_deck.cli import main
from interview_deck.collection.locate import open_elsewhere

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX locks tell 'open'")

# Another process holding the collection open as desktop Anki does (the same Rust backend, in
# SQLite's exclusive locking mode), idle or adding a note every few milliseconds.
HOLDER = """\
import select, sys, time
from anki.collection import Collection
col = Collection(sys.argv[1])
busy = sys.argv[2] == 'busy'
print('open', flush=True)
added = 0
while not select.select([sys.stdin], [], [], 0 if busy else None)[0]:
    note = col.new_note(col.models.by_name('Basic'))
    note['Front'] = f'written while sync reads {added}'
    col.add_note(note, 1)
    added += 1
    time.sleep(0.002)
print(added, flush=True)
col.close()
"""


@pytest.fixture
def profile(tmp_path: Path, isolated_home: Path) -> Path:
    folder = tmp_path / "Anki2" / "User 1"
    folder.mkdir(parents=True)
    path = folder / "collection.anki2"
    anki = Anki(path)
    anki.close()
    return path


def hold(path: Path, busy: bool) -> subprocess.Popen[str]:
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path),
                               "busy" if busy else "idle"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline() == "open\n"
    return holder


def release(holder: subprocess.Popen[str]) -> int:
    """Tell the holder to stop; how many notes it added."""
    out, _ = holder.communicate("stop\n", timeout=60)
    assert holder.returncode == 0
    return int(out.split()[-1])


@pytest.fixture
def watched(profile: Path) -> Iterator[list[tuple[str, Any]]]:
    """Every open of a file in the profile's folder, and every SQLite connection to one,
    by this process while the test runs (Python's audit hooks see both)."""
    seen: list[tuple[str, Any]] = []
    folder = str(profile.parent)
    active = [True]

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if not active[0] or event not in ("open", "sqlite3.connect"):
            return
        target = args[0]
        if isinstance(target, (str, bytes, os.PathLike)) and os.fsdecode(target).startswith(
                folder):
            seen.append((event, args))

    sys.addaudithook(hook)
    yield seen
    active[0] = False


def read_only(event: str, args: tuple[Any, ...]) -> bool:
    if event != "open":
        return False  # a SQLite connection could write (or lock); none may reach the original
    _, mode, flags = args
    if mode is not None:
        return set(str(mode)) <= set("rb")
    return flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND) == 0


def digest(path: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(path.parent.glob(path.name + "*"))}


def test_a_dry_run_reads_a_collection_anki_has_open(profile: Path, runner: CliRunner,
                                                    watched: list[tuple[str, Any]]) -> None:
    holder = hold(profile, busy=False)
    try:
        assert open_elsewhere(profile)
        before = digest(profile)
        opened_before = len(watched)
        result = runner.invoke(main, ["sync", "--collection", str(profile), "--dry-run"],
                               catch_exceptions=False)
        assert result.exit_code == 0, result.stderr
        assert digest(profile) == before
        reads = watched[opened_before:]
        assert reads, "the collection was read"
        assert all(read_only(event, args) for event, args in reads), reads
        assert result.stderr.startswith("note: Anki has this collection open; the plan is "
                                        "read from a copy taken just now")
        plan = result.stdout
        refused = runner.invoke(main, ["sync", "--collection", str(profile)])
        assert refused.exit_code == 1
        assert refused.stderr.endswith(
            "with Anki open, 'interview-deck build --open' imports instead (it adds and "
            "updates notes; pruning and moving cards need Anki closed), and 'sync --dry-run' "
            "shows the plan\n")
    finally:
        release(holder)
    assert not open_elsewhere(profile)
    closed = runner.invoke(main, ["sync", "--collection", str(profile), "--dry-run"],
                           catch_exceptions=False)
    assert closed.stdout == plan, "the same plan as from the closed collection"
    assert "new," in plan and closed.stderr == ""


def test_a_dry_run_while_anki_writes_never_tears_or_harms_it(profile: Path,
                                                            runner: CliRunner) -> None:
    holder = hold(profile, busy=True)
    outcomes = []
    try:
        for _ in range(4):
            result = runner.invoke(main, ["sync", "--collection", str(profile), "--dry-run"])
            outcomes.append((result.exit_code, result.stdout, result.stderr))
    finally:
        added = release(holder)
    for code, out, err in outcomes:
        assert "Traceback" not in err
        if code == 0:
            assert "Dry run: nothing changed." in out
        else:
            assert err.splitlines()[-1] == (
                f"error: {profile} is open in Anki, which kept changing it while it was read; "
                "try again in a moment, or close Anki")
    anki = Anki(profile)
    try:
        assert anki.col.db.scalar("PRAGMA integrity_check") == "ok"
        assert anki.col.note_count() == added, "every note Anki wrote meanwhile is there"
    finally:
        anki.close()
