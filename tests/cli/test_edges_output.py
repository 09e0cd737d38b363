"""What we write to: special files, inputs, symlinks, read-only files, standard output."""

from __future__ import annotations

import os
import stat
import subprocess
import threading
import zipfile
from pathlib import Path

import pytest
from _processes import command, deck_yaml, no_traceback, run


@pytest.fixture
def deck(tmp_path: Path) -> Path:
    path = tmp_path / "in.yaml"
    path.write_text(deck_yaml(["alpha", "beta"]), encoding="utf-8")
    return path


def _read_fifo(path: Path, into: list[bytes]) -> threading.Thread:
    def reader() -> None:
        with open(path, "rb") as stream:
            into.append(stream.read())

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    return thread


def test_build_streams_into_a_fifo_and_leaves_it_a_fifo(tmp_path: Path, deck: Path) -> None:
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    thread = _read_fifo(fifo, received)
    result = run("build", "--no-bundled", deck, "-o", fifo, "--revisions", tmp_path / "l.json")
    thread.join(10)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert received and received[0].startswith(b"PK")


def test_a_fifo_nobody_reads_is_an_error_not_a_hang(tmp_path: Path, deck: Path) -> None:
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    result = run("build", "--no-bundled", deck, "-o", fifo, "--revisions", tmp_path / "l.json")
    assert result.returncode == 1
    assert "nobody is reading" in result.stderr
    no_traceback(result)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_character_device_is_written_into_never_replaced(tmp_path: Path, deck: Path) -> None:
    """A null device of our own under tmp_path (never the real /dev/null)."""
    device = tmp_path / "null"
    try:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("creating a device needs root")
    for args in (["build", "--no-bundled", deck, "-o", device,
                  "--revisions", tmp_path / "l.json"],
                 ["preview", "--no-bundled", deck, "-o", device],
                 ["export", "--no-bundled", deck, "-o", device]):
        result = run(*args)
        assert result.returncode == 0, result.stderr
        assert stat.S_ISCHR(os.lstat(device).st_mode), args


def test_add_refuses_a_fifo_or_device_as_its_file(tmp_path: Path) -> None:
    fifo = tmp_path / "mine.yaml"
    os.mkfifo(fifo)
    result = run("add", "--file", fifo, "--question", "Why?", "--purpose", "reasons")
    assert result.returncode == 1
    assert f"{fifo}: is not a regular file" in result.stderr
    no_traceback(result)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


@pytest.mark.parametrize("command", ["build", "preview", "export"])
def test_an_output_that_is_an_input_is_refused_before_writing(
        tmp_path: Path, deck: Path, command: str) -> None:
    before = deck.read_bytes()
    extra = ["--revisions", str(tmp_path / "l.json")] if command == "build" else []
    result = run(command, "--no-bundled", deck, "-o", deck, *extra)
    assert result.returncode == 1
    assert f"{deck}: the output is also an input ({deck})" in result.stderr
    assert deck.read_bytes() == before


def test_an_output_linked_to_an_input_is_refused(tmp_path: Path, deck: Path) -> None:
    link = tmp_path / "link.apkg"
    link.symlink_to(deck)
    before = deck.read_bytes()
    result = run("build", "--no-bundled", tmp_path, "-o", link,
                 "--revisions", tmp_path / "l.json")
    assert result.returncode == 1
    assert "the output is also an input" in result.stderr
    assert deck.read_bytes() == before


def test_the_output_cannot_be_the_ledger(tmp_path: Path, deck: Path) -> None:
    ledger = tmp_path / "l.json"
    assert run("build", "--no-bundled", deck, "-o", tmp_path / "a.apkg",
               "--revisions", ledger).returncode == 0
    before = ledger.read_bytes()
    result = run("build", "--no-bundled", deck, "-o", ledger, "--revisions", ledger)
    assert result.returncode == 1
    assert "the output is also the revisions ledger" in result.stderr
    assert ledger.read_bytes() == before


def test_a_symlinked_output_is_written_through_and_keeps_its_mode(
        tmp_path: Path, deck: Path) -> None:
    real = tmp_path / "real.apkg"
    real.write_bytes(b"old")
    real.chmod(0o640)
    link = tmp_path / "link.apkg"
    link.symlink_to(real)
    result = run("build", "--no-bundled", deck, "-o", link, "--revisions", tmp_path / "l.json")
    assert result.returncode == 0, result.stderr
    assert link.is_symlink()
    assert zipfile.is_zipfile(real)
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_symlinked_personal_file_and_ledger_stay_links(tmp_path: Path) -> None:
    store = tmp_path / "store"
    store.mkdir()
    real = store / "mine.yaml"
    real.write_text(deck_yaml(["alpha"]), encoding="utf-8")
    real.chmod(0o600)
    folder = tmp_path / "personal"
    folder.mkdir()
    (folder / "mine.yaml").symlink_to(real)
    result = run("add", "--personal", folder, "--file", folder / "mine.yaml",
                 "--question", "What is new?", "--purpose", "news")
    assert result.returncode == 0, result.stderr
    assert (folder / "mine.yaml").is_symlink()
    assert "what-is-new" in real.read_text(encoding="utf-8")
    assert stat.S_IMODE(real.stat().st_mode) == 0o600

    real_ledger = store / "ledger.json"
    ledger = tmp_path / "ledger.json"
    ledger.symlink_to(real_ledger)
    result = run("build", "--no-bundled", real, "-o", tmp_path / "a.apkg", "--revisions", ledger)
    assert result.returncode == 0, result.stderr
    assert ledger.is_symlink() and real_ledger.is_file()


def test_a_read_only_output_is_not_replaced(tmp_path: Path, deck: Path) -> None:
    target = tmp_path / "deck.apkg"
    target.write_bytes(b"keep me")
    target.chmod(0o444)
    result = run("build", "--no-bundled", deck, "-o", target, "--revisions", tmp_path / "l.json")
    assert result.returncode == 1
    assert f"{target}: the file is read-only" in result.stderr
    assert target.read_bytes() == b"keep me"


def test_a_read_only_personal_file_is_not_replaced(tmp_path: Path, deck: Path) -> None:
    before = deck.read_bytes()
    deck.chmod(0o444)
    result = run("add", "--file", deck, "--question", "What is new?", "--purpose", "news")
    assert result.returncode == 1
    assert "read-only" in result.stderr
    assert deck.read_bytes() == before


@pytest.mark.parametrize("command", ["preview", "export"])
def test_dash_writes_text_outputs_to_standard_output(
        tmp_path: Path, deck: Path, command: str) -> None:
    result = run(command, "--no-bundled", deck, "-o", "-", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "alpha" in result.stdout
    assert not (tmp_path / "-").exists()


def test_a_full_disk_on_standard_output_is_a_message(deck: Path) -> None:
    with open("/dev/full", "w") as full:  # noqa: PTH123 - opened for writing only: a full disk
        result = run("list", "--no-bundled", deck, stdout=full)
    assert result.returncode == 1
    assert "error: cannot write the output: No space left on device" in result.stderr
    no_traceback(result)


def test_a_closed_pipe_is_quiet(deck: Path) -> None:
    with subprocess.Popen(command("export", "--no-bundled", deck), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE) as process:
        assert process.stdout is not None
        process.stdout.close()
        _, err = process.communicate(timeout=60)
    assert b"Traceback" not in err and b"Exception ignored" not in err


def test_help_on_a_full_disk_is_a_message() -> None:
    with open("/dev/full", "w") as full:  # noqa: PTH123 - opened for writing only
        result = run("--help", stdout=full)
    assert result.returncode == 1
    assert "No space left on device" in result.stderr
    no_traceback(result)


def test_a_link_to_standard_output_is_written_into(tmp_path: Path, deck: Path) -> None:
    """Like /dev/stdout, a link to /proc/self/fd/1 leads to a pipe, which has no path of its
    own to rename over. (A link of our own: code that renames over it must never be able to
    replace the real /dev/stdout.)"""
    link = tmp_path / "stdout"
    link.symlink_to("/proc/self/fd/1")
    result = run("preview", "--no-bundled", deck, "-o", link)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("<!doctype html>")
    assert link.is_symlink()


@pytest.mark.parametrize("kind", ["empty name", "symlink loop", "under a file"])
def test_an_impossible_output_fails_before_the_ledger_changes(
        tmp_path: Path, deck: Path, kind: str) -> None:
    loop = tmp_path / "loop.apkg"
    loop.symlink_to(loop)
    output = {"empty name": "", "symlink loop": str(loop),
              "under a file": str(deck / "x.apkg")}[kind]
    ledger = tmp_path / "ledger.json"
    result = run("build", "--no-bundled", deck, "-o", output, "--revisions", ledger,
                 cwd=tmp_path)
    assert result.returncode == 1
    assert "ledger" not in result.stderr
    assert not ledger.exists()


@pytest.mark.parametrize("args", [
    ["export", "--no-bundled", "IN"], ["export", "--no-bundled", "IN", "-o", "-"],
    ["preview", "--no-bundled", "IN", "-o", "-"], ["list", "--no-bundled", "IN"],
    ["check", "--no-bundled", "IN"], ["where"], ["schema"], ["--version"]])
def test_a_closed_stdout_is_a_message_not_a_traceback(deck: Path, args: list[str]) -> None:
    # `interview-deck export >&-`: Python then has no sys.stdout at all.
    result = run(*[deck if a == "IN" else a for a in args], stdout=None,
                 preexec_fn=lambda: os.close(1))
    assert result.returncode == 1
    assert "standard output is closed" in result.stderr
    no_traceback(result)


@pytest.mark.parametrize("length", [242, 250, 255])
def test_any_legal_output_name_can_be_written(deck: Path, tmp_path: Path, length: int) -> None:
    # The temporary file beside it once took the name plus 15 characters: too long.
    output = tmp_path / ("a" * (length - 5) + ".apkg")
    result = run("build", "--no-bundled", deck, "-o", output,
                 "--revisions", tmp_path / ("r" * (length - 5) + ".json"))
    assert result.returncode == 0, result.stderr
    assert zipfile.is_zipfile(output)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    export = tmp_path / ("e" * (length - 3) + ".md")
    assert run("export", "--no-bundled", deck, "-o", export).returncode == 0
    assert export.read_text(encoding="utf-8").startswith("#")


def test_add_to_a_file_with_a_long_name(tmp_path: Path) -> None:
    file = tmp_path / ("m" * 250 + ".yaml")
    result = run("add", "--file", file, "--question", "What now?", "--purpose", "p")
    assert result.returncode == 0, result.stderr
    assert "What now?" in file.read_text(encoding="utf-8")
