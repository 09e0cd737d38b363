"""`build --open` hands the package to Anki; names Anki reads as a collection restore are refused.

The stand-in `anki` on PATH is a shell script that records what it was given, as a real Anki's
second instance would receive it; tests/test_desktop.py and the steps in CONTRIBUTING.md cover
the app.
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import sys
from pathlib import Path

import pytest
from _processes import run
from click.testing import CliRunner
from conftest import Anki, counts

from interview_deck import OutputError, bundled_decks, write_package
from interview_deck.apkg import handoff
from interview_deck.cli.app import main

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX stand-in programs")
# The stand-ins run with a PATH of their own, so they name the tools they use in full.
SLEEP, CP, CAT = (shutil.which(tool) or tool for tool in ("sleep", "cp", "cat"))


def stand_in(folder: Path, name: str, body: str) -> Path:
    """An executable ``name`` in ``folder`` running the shell ``body``."""
    folder.mkdir(exist_ok=True)
    program = folder / name
    program.write_text(f"#!/bin/sh\n{body}\n")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    return program


@pytest.fixture
def bin_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A PATH holding only the stand-ins a test puts there (never the real anki or xdg-open)."""
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", str(folder))
    return folder


def test_build_open_hands_the_package_to_anki(runner: CliRunner, bin_dir: Path,
                                              tmp_path: Path, anki: Anki,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    record = tmp_path / "given.txt"
    stand_in(bin_dir, "anki", f'printf "%s\\n" "$@" > "{record}"')
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["build", "--open", "-o", "deck.apkg"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr.endswith("Handed it to Anki: its import dialog shows what it adds and "
                                  "updates.\n")
    given = record.read_text().splitlines()
    assert given == [str(tmp_path / "deck.apkg")], "one argument: the package's absolute path"
    assert anki.import_package(Path(given[0])).new == counts(bundled_decks())[1]


def test_an_anki_that_keeps_running_has_started_with_the_package(
        runner: CliRunner, bin_dir: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    pid_file = tmp_path / "pid"
    stand_in(bin_dir, "anki", f'echo $$ > "{pid_file}"; exec {SLEEP} 60')
    monkeypatch.setattr(handoff, "WAIT_SECONDS", 0.5)
    out = tmp_path / "deck.apkg"
    try:
        result = runner.invoke(main, ["build", "--open", "-o", str(out)],
                               catch_exceptions=False)
        assert result.exit_code == 0, result.stderr
        assert "Anki is starting with it" in result.stderr
    finally:
        if pid_file.exists():
            os.kill(int(pid_file.read_text()), signal.SIGTERM)


def test_an_anki_that_fails_is_a_clear_error_and_the_package_stays(
        runner: CliRunner, bin_dir: Path, tmp_path: Path) -> None:
    stand_in(bin_dir, "anki", 'echo "qt.qpa.xcb: could not connect to display" >&2; exit 3')
    out = tmp_path / "deck.apkg"
    result = runner.invoke(main, ["build", "--open", "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        f"error: {out}: anki could not open it (exit status 3: qt.qpa.xcb: could not connect "
        "to display); import it yourself in Anki with File > Import")
    assert out.stat().st_size > 1000, "the package is written all the same"


def test_an_anki_that_crashes_names_the_signal_and_the_telling_line(
        runner: CliRunner, bin_dir: Path, tmp_path: Path) -> None:
    stand_in(bin_dir, "anki", "echo 'qt.qpa.xcb: could not connect to display' >&2; "
                              "echo 'Available platform plugins are: xcb.' >&2; kill -ABRT $$")
    out = tmp_path / "deck.apkg"
    result = runner.invoke(main, ["build", "--open", "-q", "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {out}: anki could not open it (stopped by signal 6: qt.qpa.xcb: could not "
        "connect to display); import it yourself in Anki with File > Import\n")


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS asks 'open -a Anki'")
def test_no_anki_found_says_so(runner: CliRunner, bin_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "deck.apkg"
    result = runner.invoke(main, ["build", "--open", "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        f"error: {out}: no Anki found to open it (no 'anki' on PATH, and the desktop "
        "(xdg-open) does not give .apkg files to Anki); import it yourself in Anki with "
        "File > Import")
    assert out.is_file()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux desktop's opener")
def test_xdg_open_is_used_only_when_the_desktop_gives_packages_to_anki(
        bin_dir: Path, tmp_path: Path) -> None:
    record = tmp_path / "opened.txt"
    stand_in(bin_dir, "xdg-open", f'printf "%s\\n" "$@" > "{record}"')
    default = tmp_path / "default.txt"
    stand_in(bin_dir, "xdg-mime", f'if [ "$2" = filetype ]; then echo application/zip; '
                                  f'else {CAT} "{default}"; fi')
    package = tmp_path / "deck.apkg"
    write_package(bundled_decks(), package, revisions=tmp_path / "ledger.json")
    default.write_text("org.gnome.FileRoller.desktop\n")  # an archive manager: not Anki
    with pytest.raises(handoff.AnkiNotFound):
        handoff.open_in_anki(package)
    assert not record.exists()
    default.write_text("anki.desktop\n")
    assert handoff.open_in_anki(package).started is False
    assert record.read_text().splitlines() == [str(package)]


@pytest.mark.parametrize("name", ["deck.zip", "deck"])
def test_open_needs_a_name_anki_imports(runner: CliRunner, bin_dir: Path, tmp_path: Path,
                                        name: str) -> None:
    stand_in(bin_dir, "anki", "exit 0")
    out = tmp_path / name
    result = runner.invoke(main, ["build", "--open", "-o", str(out)])
    assert result.exit_code == 2
    assert "Anki opens packages only by the name ending '.apkg'" in result.stderr
    assert not out.exists(), "refused before anything is written"


def test_open_refuses_a_fifo_at_once(runner: CliRunner, bin_dir: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "deck.apkg"
    os.mkfifo(fifo)
    result = runner.invoke(main, ["build", "--open", "-o", str(fifo)])
    assert result.exit_code == 2
    assert "is not a regular file, so Anki cannot read it as a package" in result.stderr


@pytest.mark.parametrize("name", ["collection.apkg", "Collection.APKG", "backup-2026-12-03.apkg",
                                  "BACKUP-1.apkg"])
def test_names_anki_reads_as_a_collection_restore_are_refused(
        runner: CliRunner, tmp_path: Path, name: str) -> None:
    out = tmp_path / name
    result = runner.invoke(main, ["build", "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {name}: Anki's import reads a package named 'collection.apkg' or "
        "'backup-*.apkg' as a backup that replaces your whole collection; choose another "
        "name, such as interview-questions.apkg; nothing written\n")
    assert not out.exists()
    with pytest.raises(OutputError, match="replaces your whole collection"):
        write_package(bundled_decks(), out, revisions=tmp_path / "ledger.json")
    assert not out.exists() and not (tmp_path / "ledger.json").exists()


@pytest.mark.parametrize("name", ["my-collection.apkg", "backup.apkg", "collection.apkg.apkg"])
def test_names_that_only_look_alike_are_fine(tmp_path: Path, name: str) -> None:
    # The rule is Anki's own (aqt/import_export/importing.py): exactly these, in lower case.
    write_package(bundled_decks(), tmp_path / name, revisions=tmp_path / "ledger.json")
    assert (tmp_path / name).is_file()


def test_two_builds_open_at_once_both_reach_anki(tmp_path: Path) -> None:
    folder = tmp_path / "bin"
    record = tmp_path / "given"
    record.mkdir()
    stand_in(folder, "anki", f'{CP} "$1" "{record}/${{1##*/}}"')
    env = {"PATH": str(folder)}
    from _processes import start

    started = [start("build", "--open", "-o", tmp_path / f"{n}.apkg", env=env) for n in "ab"]
    for process in started:
        _, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
    assert sorted(p.name for p in record.iterdir()) == ["a.apkg", "b.apkg"]
    assert (record / "a.apkg").read_bytes() == (tmp_path / "a.apkg").read_bytes()


def test_the_real_command_with_no_anki_exits_without_a_traceback(tmp_path: Path) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    done = run("build", "--open", "-o", tmp_path / "deck.apkg", env={"PATH": str(empty)})
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "no Anki found" in done.stderr
