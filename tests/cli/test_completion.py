"""Tab completion, called the way the shells call it: the installed command in a new process,
with Click's completion variables set, as bash, zsh and fish do."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from interview_deck import bundled_decks

COMMAND = str(Path(sys.executable).parent / "interview-deck")
GOOD = """\
deck: Mine::Team
questions:
  - id: mine-on-call
    question: What does on-call look like?
    purpose: how often you would be paged
    tags: [operations::paging, team]
"""
BROKEN = "deck: Broken\nquestions:\n  - id: mine-broken\n    question: [unclosed\n"


def complete(words: str, cwd: Path, shell: str = "bash", **env: str) -> list[str]:
    """What the shell's completion function gets for the command line ``words``, the cursor
    after its last word (an empty word when ``words`` ends with a space)."""
    parts = words.split()
    cword = len(parts) if words.endswith(" ") else len(parts) - 1
    variables = {"COMP_WORDS": words, "COMP_CWORD": str(cword)}
    if shell == "fish":  # fish gives the line up to the cursor, and the word being typed
        variables = {"COMP_WORDS": words, "COMP_CWORD": "" if words.endswith(" ") else parts[-1]}
    done = subprocess.run([COMMAND], cwd=cwd, capture_output=True, text=True, timeout=60,
                          env={**os.environ, **variables, **env,
                               "_INTERVIEW_DECK_COMPLETE": f"{shell}_complete"})
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # nothing, and never a traceback, reaches the shell
    if shell == "zsh":  # type, value, description: three lines per item
        lines = done.stdout.splitlines()
        return [lines[i + 1] for i in range(0, len(lines), 3) if lines[i] == "plain"]
    return [line.split(",", 1)[1] for line in done.stdout.splitlines()
            if line.startswith("plain,")]


def bundled_tags() -> list[str]:
    """Every tag of the bundled decks and each parent of one (topic::growth gives topic)."""
    tags = {t for d in bundled_decks() for q in d.questions for t in q.tags}
    parents = {"::".join(t.split("::")[:i]) for t in tags for i in range(1, t.count("::") + 1)}
    return sorted(tags | parents, key=str.casefold)


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_tag_completes_the_bundled_tags(tmp_path: Path, shell: str) -> None:
    assert len(bundled_tags()) >= 5
    assert complete("interview-deck build --tag ", tmp_path, shell) == bundled_tags()


def test_tag_completes_what_was_started(tmp_path: Path) -> None:
    started = bundled_tags()[0][:2]
    expected = [tag for tag in bundled_tags() if tag.startswith(started)]
    assert complete(f"interview-deck list --tag {started}", tmp_path) == expected
    assert complete("interview-deck list --tag no-such-", tmp_path) == []


def test_tags_and_decks_follow_the_selection_typed_so_far(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(GOOD)
    assert complete("interview-deck build --no-bundled mine.yaml --tag ", tmp_path) == [
        "operations", "operations::paging", "team"]
    assert complete("interview-deck export mine.yaml --no-bundled --deck ", tmp_path) == [
        "Mine", "Mine::Team"]
    bundled_names = sorted({d.name for d in bundled_decks()})
    assert complete("interview-deck preview mine.yaml --deck ", tmp_path) == sorted(
        {"Mine", "Mine::Team", "Interview Questions", *bundled_names}, key=str.casefold)
    # --tag within the --deck already given
    assert complete("interview-deck build mine.yaml --deck Mine --tag ", tmp_path) == [
        "operations", "operations::paging", "team"]
    # --skip-tag completes tags too, and the decks left after it
    assert complete("interview-deck export --no-bundled mine.yaml --skip-tag op", tmp_path) == [
        "operations", "operations::paging"]
    assert complete("interview-deck build mine.yaml --skip-tag team --deck ", tmp_path) == (
        sorted({"Interview Questions", *bundled_names}, key=str.casefold))


def test_add_completes_the_tags_and_decks_there_are(tmp_path: Path) -> None:
    personal = tmp_path / "personal"
    personal.mkdir()
    (personal / "my-questions.yaml").write_text(GOOD)
    assert complete(f"interview-deck add --personal {personal} --tag op", tmp_path) == [
        "operations", "operations::paging"]
    assert complete(f"interview-deck add --personal {personal} --deck M", tmp_path) == [
        "Mine", "Mine::Team"]


def test_a_tilde_is_read_as_home(tmp_path: Path, isolated_home: Path) -> None:
    (isolated_home / "decks").mkdir()
    (isolated_home / "decks" / "mine.yaml").write_text(GOOD)
    assert complete("interview-deck build --no-bundled ~/decks --deck ", tmp_path) == [
        "Mine", "Mine::Team"]
    assert complete("interview-deck list --personal ~/decks --no-bundled --tag t",
                    tmp_path) == ["team"]
    assert complete("interview-deck add --file ~/decks/", tmp_path) == ["~/decks/mine.yaml"]


def test_a_tilde_of_an_unknown_user_completes_without_a_traceback(tmp_path: Path) -> None:
    result = complete("interview-deck list --personal ~no-such-user-here/d --tag topic::gr",
                      tmp_path)
    assert result == ["topic::growth"]


def test_a_personal_folder_that_is_a_broken_link_completes_the_rest(tmp_path: Path) -> None:
    link = tmp_path / "personal"
    link.symlink_to(tmp_path / "nowhere")
    assert complete("interview-deck list --tag topic::gr", tmp_path,
                    INTERVIEW_DECK_PERSONAL_DIR=str(link)) == ["topic::growth"]


def test_the_personal_folder_counts_unless_left_out(tmp_path: Path) -> None:
    personal = tmp_path / "personal"
    personal.mkdir()
    (personal / "my-questions.yaml").write_text(GOOD)
    tags = complete(f"interview-deck build --personal {personal} --tag ", tmp_path)
    assert tags == sorted({*bundled_tags(), "operations", "operations::paging", "team"})
    assert complete("interview-deck build --tag ", tmp_path,
                    INTERVIEW_DECK_PERSONAL_DIR=str(personal)) == tags
    assert complete("interview-deck build --no-personal --tag ", tmp_path,
                    INTERVIEW_DECK_PERSONAL_DIR=str(personal)) == bundled_tags()


def test_a_tab_remembers_the_tags_until_a_file_changes(tmp_path: Path,
                                                       isolated_home: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(GOOD)
    line = "interview-deck build --no-bundled mine.yaml --tag "
    assert complete(line, tmp_path) == ["operations", "operations::paging", "team"]
    cache = isolated_home / ".cache" / "interview-deck" / "completion.json"
    assert cache.is_file()
    # same size and time: the remembered answer, without reading the file again
    stat = mine.stat()
    mine.write_text(GOOD.replace("team]", "crew]"))
    os.utime(mine, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert complete(line, tmp_path) == ["operations", "operations::paging", "team"]
    # an edit changes the time: read again
    os.utime(mine, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert complete(line, tmp_path) == ["crew", "operations", "operations::paging"]
    # a new file in a folder given counts too
    assert complete("interview-deck build --no-bundled . --deck ", tmp_path) == [
        "Mine", "Mine::Team"]
    (tmp_path / "more.yaml").write_text(GOOD.replace("Mine::Team", "Other").replace(
        "mine-on-call", "more-on-call"))
    assert complete("interview-deck build --no-bundled . --deck ", tmp_path) == [
        "Mine", "Mine::Team", "Other"]


def test_a_damaged_or_unwritable_cache_changes_nothing(tmp_path: Path,
                                                       isolated_home: Path) -> None:
    (tmp_path / "mine.yaml").write_text(GOOD)
    line = "interview-deck build --no-bundled mine.yaml --tag "
    expected = ["operations", "operations::paging", "team"]
    cache = isolated_home / ".cache" / "interview-deck" / "completion.json"
    cache.parent.mkdir(parents=True)
    for damaged in (b"{not json", b'{"key": 3}', b"[]", b"\xff"):
        cache.write_bytes(damaged)
        assert complete(line, tmp_path) == expected
    assert json.loads(cache.read_bytes())  # written anew
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    assert complete(line, tmp_path, XDG_CACHE_HOME=str(blocked)) == expected


def test_broken_deck_files_never_print_a_traceback(tmp_path: Path) -> None:
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "good.yaml").write_text(GOOD)
    (decks / "broken.yaml").write_text(BROKEN)
    (decks / "binary.yml").write_bytes(b"\x00\xff\xfe" * 100)
    # what the readable files know is still offered
    assert complete("interview-deck build --no-bundled decks --tag ", tmp_path) == [
        "operations", "operations::paging", "team"]
    assert complete("interview-deck build --no-bundled decks --deck ", tmp_path) == [
        "Mine", "Mine::Team"]
    assert complete("interview-deck build --no-bundled missing.yaml --tag ", tmp_path) == []
    assert complete("interview-deck build --personal missing --deck ", tmp_path) != []


def test_add_file_completes_deck_files(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(GOOD)
    (tmp_path / "notes.txt").write_text("not a deck")
    (tmp_path / "decks" / "team").mkdir(parents=True)
    (tmp_path / "decks" / "team" / "platform.yml").write_text(GOOD)
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "secret.yaml").write_text(GOOD)
    assert complete("interview-deck add --file ", tmp_path) == [
        "decks/team/platform.yml", "mine.yaml"]
    assert complete("interview-deck add --file decks/", tmp_path) == ["decks/team/platform.yml"]
    assert complete(f"interview-deck add --file {tmp_path}/m", tmp_path) == [
        f"{tmp_path}/mine.yaml"]
    assert complete("interview-deck add --file nowhere/", tmp_path) == []


def test_commands_and_options_still_complete(tmp_path: Path) -> None:
    assert complete("interview-deck ex", tmp_path) == ["export"]
    assert "--no-bundled" in complete("interview-deck check --", tmp_path)


def test_the_readme_gives_the_line_for_each_shell() -> None:
    import re

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    shells = re.findall(r"^(\w+) \(.*(?:eval \"\$\(|  )_INTERVIEW_DECK_COMPLETE=(\w+)_source "
                        r"interview-deck", readme, flags=re.M)
    assert shells == [("bash", "bash"), ("zsh", "zsh"), ("fish", "fish")]


@pytest.mark.parametrize(("shell", "line"), [
    ("bash", "complete -o nosort -F _interview_deck_completion interview-deck"),
    ("zsh", "compdef _interview_deck_completion interview-deck"),
    ("fish", "complete --no-files --command interview-deck"),
])
def test_each_shell_gets_its_script(tmp_path: Path, shell: str, line: str) -> None:
    done = subprocess.run([COMMAND], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "_INTERVIEW_DECK_COMPLETE": f"{shell}_source"})
    assert done.returncode == 0, done.stderr
    assert line in done.stdout


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_bash_completes_tags_through_the_readme_line(tmp_path: Path) -> None:
    script = (f'PATH="{Path(COMMAND).parent}:$PATH"\n'
              'eval "$(_INTERVIEW_DECK_COMPLETE=bash_source interview-deck)"\n'
              'COMP_WORDS=(interview-deck build --tag ""); COMP_CWORD=3\n'
              '_interview_deck_completion interview-deck\n'
              'printf "%s\\n" "${COMPREPLY[@]}"\n')
    done = subprocess.run(["bash", "--norc", "--noprofile", "-c", script], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == bundled_tags()
