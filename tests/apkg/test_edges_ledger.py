"""The ledger never lets an update be skipped: saved before the package, damaged ones refused,
and an interrupted run leaves nothing half done."""

from __future__ import annotations

import json
import os
import signal
import time
import zipfile
from pathlib import Path

import pytest
from _processes import deck_yaml, finish, no_traceback, run, start
from conftest import Anki

from interview_deck.apkg.build import build
from interview_deck.apkg.identity import note_guid
from interview_deck.apkg.revisions import LATEST_TIME, read_file
from interview_deck.errors import InterviewDeckError, OutputError


def _deck(path: Path, question: str) -> None:
    path.write_text("deck: Mine\nquestions:\n  - id: alpha\n"
                    f"    question: {question}\n    purpose: why\n", encoding="utf-8")


def test_a_ledger_that_cannot_be_saved_fails_the_build(tmp_path: Path) -> None:
    deck, ledger, output = tmp_path / "in.yaml", tmp_path / "ledger.json", tmp_path / "out.apkg"
    _deck(deck, "First wording?")
    assert run("build", "--no-bundled", deck, "-o", output, "--revisions", ledger).returncode == 0
    output.unlink()
    ledger.chmod(0o444)
    _deck(deck, "Second wording?")
    result = run("build", "--no-bundled", deck, "-o", output, "--revisions", ledger)
    assert result.returncode == 1
    assert "could not record revisions" in result.stderr and "nothing written" in result.stderr
    assert not output.exists()


def test_a_revert_after_an_unrecorded_build_still_reaches_anki(
        tmp_path: Path, anki: Anki, monkeypatch: pytest.MonkeyPatch) -> None:
    """Measured before the fix: the middle build warned and wrote its package anyway, the
    revert reused the first time, and Anki kept the stale second text."""
    deck, ledger = tmp_path / "in.yaml", tmp_path / "ledger.json"
    replace = os.replace

    def disk_full_for_the_ledger(source: str, target: str) -> None:
        if Path(target).name == ledger.name and saving_fails:
            raise OSError(28, "No space left on device")
        replace(source, target)

    monkeypatch.setattr(os, "replace", disk_full_for_the_ledger)
    saving_fails = False
    for question, epoch, fails in (("First wording?", 1_000_000, False),
                                   ("Second wording?", 2_000_000, True),
                                   ("First wording?", 3_000_000, False)):
        _deck(deck, question)
        saving_fails = fails
        monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
        output = tmp_path / f"{epoch}.apkg"
        try:
            build([deck], output, include_bundled=False, ledger=ledger)
        except OutputError as error:
            assert fails and "nothing written" in str(error)
        if output.exists():
            anki.import_package(output)
    assert anki.note_by_guid(note_guid("alpha"))["Question"] == "First wording?"


DAMAGED = {
    "infinity": '{"version": 1, "revisions": {"note/a": {"fingerprint": "x", "mtime": Infinity}}}',
    "nan": '{"version": 1, "revisions": {"note/a": {"fingerprint": "x", "mtime": NaN}}}',
    "huge float": '{"version": 1, "revisions": {"note/a": {"fingerprint": "x", "mtime": 1e400}}}',
    "fraction": '{"version": 1, "revisions": {"note/a": {"fingerprint": "x", "mtime": 1.5}}}',
    "boolean": '{"version": 1, "revisions": {"note/a": {"fingerprint": "x", "mtime": true}}}',
    "huge int": '{"version": 1, "revisions": {"note/a": {"fingerprint": "x", "mtime": '
                + "9" * 5000 + "}}}",
    "nesting": "[" * 200_000 + "]" * 200_000,
    "list": "[]",
    "no version": '{"revisions": {}}',
    "entry not object": '{"version": 1, "revisions": {"note/a": 5}}',
}


@pytest.mark.parametrize("kind", sorted(DAMAGED))
def test_a_damaged_ledger_is_a_clear_error_and_kept(tmp_path: Path, kind: str) -> None:
    deck, ledger = tmp_path / "in.yaml", tmp_path / "ledger.json"
    _deck(deck, "First wording?")
    ledger.write_text(DAMAGED[kind], encoding="utf-8")
    result = run("build", "--no-bundled", deck, "-o", tmp_path / "o.apkg", "--revisions", ledger)
    assert result.returncode == 1
    assert f"error: {ledger}: revisions file is damaged" in result.stderr
    no_traceback(result)
    assert ledger.read_text(encoding="utf-8") == DAMAGED[kind]
    assert not (tmp_path / "o.apkg").exists()


def test_a_newer_ledger_is_never_rewritten_as_an_older_one(tmp_path: Path) -> None:
    deck, ledger = tmp_path / "in.yaml", tmp_path / "ledger.json"
    _deck(deck, "First wording?")
    newer = json.dumps({"version": 2, "revisions": {}, "future": [1, 2]})
    ledger.write_text(newer, encoding="utf-8")
    result = run("build", "--no-bundled", deck, "-o", tmp_path / "o.apkg", "--revisions", ledger)
    assert result.returncode == 1
    assert "revisions file is from a newer interview-deck (format 2" in result.stderr
    assert ledger.read_text(encoding="utf-8") == newer


def test_times_written_at_the_latest_epoch_read_back(tmp_path: Path) -> None:
    deck, ledger = tmp_path / "in.yaml", tmp_path / "ledger.json"
    latest = {"SOURCE_DATE_EPOCH": str(LATEST_TIME)}
    for question in ("First wording?", "Second wording?", "Third wording?"):
        _deck(deck, question)
        result = run("build", "--no-bundled", deck, "-o", tmp_path / "o.apkg",
                     "--revisions", ledger, env=latest)
        no_traceback(result)
        assert result.returncode == 0 or "the latest one Anki can take" in result.stderr
        assert read_file(ledger)  # whatever happened, the ledger reads back


BIG = 20_000


@pytest.fixture(scope="module")
def big_deck(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("big") / "big.yaml"
    path.write_text(deck_yaml([f"q-{n}" for n in range(BIG)]), encoding="utf-8")
    return path


@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP", "SIGINT"])
@pytest.mark.parametrize("delay", [0.4, 0.9, 1.4, 1.9])
def test_a_signal_cleans_up_and_aborted_tells_the_truth(
        tmp_path: Path, big_deck: Path, name: str, delay: float) -> None:
    temp, out = tmp_path / "tmp", tmp_path / "out"
    temp.mkdir()
    out.mkdir()
    output, ledger = out / "deck.apkg", out / "ledger.json"
    process = start("build", "--no-bundled", big_deck, "-o", output, "--revisions", ledger,
                    env={"TMPDIR": str(temp)})
    time.sleep(delay)
    process.send_signal(getattr(signal, name))
    code, _, err = finish(process)
    assert "Traceback" not in err
    assert list(temp.iterdir()) == [], "temporary files left behind"
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == []
    if code == 0 or code < 0:
        # Finished before the signal, or the signal came while Python was exiting (its own
        # handlers are gone then), after all the work was done.
        assert zipfile.is_zipfile(output) and read_file(ledger)
        return
    assert code == 1 and "Aborted!" in err
    if "Nothing was changed" in err:
        assert not output.exists() and not ledger.exists()
    else:
        assert "Already written:" in err
        for path in (ledger, output):
            assert (str(path) in err) == path.exists()
        if output.exists():
            assert zipfile.is_zipfile(output) and read_file(ledger)


@pytest.mark.parametrize("text", ["", "\n", "\ufeff" + '{"version": 1, "revisions": {}}'])
def test_an_empty_ledger_or_one_with_a_bom_is_read(tmp_path: Path, text: str) -> None:
    ledger = tmp_path / "ledger.json"
    ledger.write_text(text, encoding="utf-8")
    assert read_file(ledger) == {}


def test_a_ledger_under_a_file_is_a_plain_message(tmp_path: Path) -> None:
    deck = tmp_path / "in.yaml"
    _deck(deck, "First wording?")
    result = run("build", "--no-bundled", deck, "-o", tmp_path / "o.apkg",
                 "--revisions", deck / "ledger.json")
    assert result.returncode == 1
    assert f"{deck} is a file, not a folder" in result.stderr
    assert not (tmp_path / "o.apkg").exists()


def test_sync_records_the_ledger_before_anki_sees_a_note(tmp_path: Path,
                                                         isolated_home: Path) -> None:
    from click.testing import CliRunner

    from interview_deck.cli import main

    personal = isolated_home / ".config" / "interview-deck"
    personal.mkdir(parents=True)
    _deck(personal / "mine.yaml", "First wording?")
    collection = tmp_path / "Anki2" / "User 1" / "collection.anki2"
    collection.parent.mkdir(parents=True)
    Anki(collection).close()
    ledger = isolated_home / ".local" / "state" / "interview-deck" / "revisions.json"
    ledger.parent.mkdir(parents=True)
    ledger.write_text('{"version": 1, "revisions": {}}', encoding="utf-8")
    ledger.chmod(0o444)
    result = CliRunner().invoke(main, ["sync", "--collection", str(collection)])
    assert result.exit_code == 1
    assert "could not record revisions" in result.stderr
    assert "the collection was not changed" in result.stderr
    anki = Anki(collection)
    try:
        assert anki.note_count() == 0
    finally:
        anki.close()


def test_the_package_never_replaces_a_ledger_that_does_not_exist_yet(tmp_path: Path) -> None:
    deck, ledger = tmp_path / "in.yaml", tmp_path / "x.json"
    _deck(deck, "First wording?")
    result = run("build", "--no-bundled", deck, "--revisions", ledger, "-o", ledger)
    assert result.returncode == 1
    assert "the output is also the revisions ledger" in result.stderr
    assert not ledger.exists()
    no_traceback(result)
    # Through a symlink to where the ledger will be, too.
    link = tmp_path / "link.apkg"
    link.symlink_to(ledger)
    result = run("build", "--no-bundled", deck, "--revisions", ledger, "-o", link)
    assert result.returncode == 1 and not ledger.exists()


@pytest.mark.parametrize("command", [
    ["build", "--no-bundled", "IN"], ["export", "--no-bundled", "IN"],
    ["export", "--format", "csv", "--no-bundled", "IN"], ["preview", "--no-bundled", "IN"],
    ["add", "--question", "Q?", "--purpose", "P"]])
def test_no_command_writes_over_the_default_ledger(tmp_path: Path, isolated_home: Path,
                                                   command: list[str]) -> None:
    deck, ledger = tmp_path / "in.yaml", tmp_path / "state" / "revisions.json"
    _deck(deck, "First wording?")
    env = {"INTERVIEW_DECK_REVISIONS": str(ledger)}
    assert run("build", "--no-bundled", deck, "-o", tmp_path / "a.apkg", env=env).returncode == 0
    before = ledger.read_bytes()
    option = "--file" if command[0] == "add" else "-o"
    args = [deck if a == "IN" else a for a in command]
    result = run(*args, option, ledger, env=env)
    assert result.returncode == 1, result.stdout
    assert "the output is also the revisions ledger" in result.stderr
    assert ledger.read_bytes() == before
    no_traceback(result)


@pytest.mark.parametrize("default", [False, True])
def test_write_package_refuses_its_own_ledger_as_output(tmp_path: Path, default: bool,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from interview_deck.apkg.writer import write_package
    from interview_deck.sources.loading import load_decks

    deck, ledger = tmp_path / "in.yaml", tmp_path / "L.json"
    _deck(deck, "First wording?")
    decks = list(load_decks([deck]))
    if default:
        monkeypatch.setenv("INTERVIEW_DECK_REVISIONS", str(ledger))
    with pytest.raises(OutputError, match="the revisions ledger"):
        write_package(decks, ledger, revisions=None if default else ledger)
    assert not ledger.exists()


@pytest.mark.parametrize("text, missing", [
    ('{"version": 1}', "revisions"),
    ('{"version": 1, "revisions": {"note/a": {"mtime": 5}}}', "fingerprint"),
    ('{"version": 1, "revisions": {"note/a": {"fingerprint": "x"}}}', "mtime")])
def test_a_ledger_missing_a_key_names_it(tmp_path: Path, text: str, missing: str) -> None:
    ledger = tmp_path / "ledger.json"
    ledger.write_text(text, encoding="utf-8")
    with pytest.raises(InterviewDeckError, match=rf"damaged \(missing key '{missing}'\)"):
        read_file(ledger)


def test_an_interrupt_after_the_command_finished_still_says_what_it_wrote(
        tmp_path: Path) -> None:
    """A signal can land after the command's own code returned, inside Click: the message is
    then ours too, not Click's bare "Aborted!" (found by CI, where it came at 1.9 s)."""
    import subprocess
    import sys

    deck, output, ledger = tmp_path / "in.yaml", tmp_path / "o.apkg", tmp_path / "l.json"
    _deck(deck, "First wording?")
    code = ("import sys, click\nfrom interview_deck.cli import main\n"
            "real = click.Group.invoke\n"
            "def invoke(self, ctx):\n    real(self, ctx)\n    raise KeyboardInterrupt\n"
            "click.Group.invoke = invoke\n"
            "main(sys.argv[1:])\n")
    done = subprocess.run([sys.executable, "-c", code, "build", "--no-bundled", str(deck),
                           "-o", str(output), "--revisions", str(ledger)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1] == f"Aborted! Already written: {ledger}, {output}."
    assert zipfile.is_zipfile(output) and read_file(ledger)
