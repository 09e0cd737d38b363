"""Folders and files read the way an editor user expects: no hang, no loop, no leftovers."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from _processes import deck_yaml, no_traceback, run

from interview_deck.sources.loading import find_sources, load_decks


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "decks"
    path.mkdir()
    (path / "mine.yaml").write_text(deck_yaml(["alpha"]), encoding="utf-8")
    return path


def _make_fifo(path: Path) -> str:
    os.mkfifo(path)
    return "not a regular file (a FIFO or device?); a deck file must be an ordinary file"


def _make_loop(path: Path) -> str:
    path.symlink_to(path)
    return "cannot read: Too many levels of symbolic links"


@pytest.mark.parametrize("make", [_make_fifo, _make_loop], ids=["fifo", "symlink loop"])
@pytest.mark.parametrize("where", ["folder", "personal"])
def test_a_fifo_or_loop_named_yaml_is_one_problem_not_a_hang(
        folder: Path, where: str, make: Callable[[Path], str]) -> None:
    odd = folder / "odd.yaml"
    message = make(odd)
    args = ["check", "--no-bundled", folder] if where == "folder" else [
        "check", "--no-bundled", "--personal", folder]
    result = run(*args)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"{odd}: {message}", "1 problem found."]
    no_traceback(result)


@pytest.mark.parametrize("make", [_make_fifo, _make_loop], ids=["fifo", "symlink loop"])
def test_a_fifo_or_loop_given_by_name_is_a_problem(tmp_path: Path,
                                                   make: Callable[[Path], str]) -> None:
    odd = tmp_path / "odd.yaml"
    message = make(odd)
    result = run("check", "--no-bundled", odd)
    assert result.returncode == 1
    # Named on the command line, a FIFO is refused before anything could open it.
    expected = message if odd.is_symlink() else "not a regular file or folder"
    assert result.stderr.splitlines()[0] == f"{odd}: {expected}"


def test_hidden_files_and_editor_leftovers_are_not_decks(folder: Path) -> None:
    (folder / ".#mine.yaml").symlink_to("root@host.1234:1700000000")  # Emacs lock link
    for name in (".mine.yaml.swp", "mine.yaml~", ".hidden.yaml", "#mine.yaml#"):
        (folder / name).write_text("not: [a deck", encoding="utf-8")
    hidden = folder / ".git"
    hidden.mkdir()
    (hidden / "old.yaml").write_text("broken: [", encoding="utf-8")
    files, problems = find_sources([folder])
    assert [f.name for f in files] == ["mine.yaml"] and not problems
    assert run("check", "--no-bundled", folder).returncode == 0


def test_symlinked_subfolders_are_followed_once(tmp_path: Path, folder: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "theirs.yaml").write_text(deck_yaml(["beta"], deck="Theirs"), encoding="utf-8")
    (folder / "linked").symlink_to(elsewhere)
    (elsewhere / "back").symlink_to(folder)  # a loop through two links
    (folder / "again").symlink_to(folder)
    decks = load_decks([folder])
    assert sorted(d.name for d in decks) == ["Mine", "Theirs"]


def test_where_tells_the_truth_about_the_personal_folder(tmp_path: Path) -> None:
    file = tmp_path / "a-file"
    file.write_text("", encoding="utf-8")
    result = run("where", "--personal", file)
    assert result.returncode == 0, result.stderr
    assert f"personal decks: {file} (not a folder but a file;" in result.stdout

    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    result = run("where", "--personal", loop)
    assert f"personal decks: {loop} (cannot read it: Too many levels of symbolic links)" in (
        result.stdout)

    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "a.yaml").write_text(deck_yaml(["alpha"]), encoding="utf-8")
    (folder / ".a.yaml.swp").write_text("x", encoding="utf-8")
    result = run("where", "--personal", folder)
    assert f"personal decks: {folder} (1 deck file)" in result.stdout

    result = run("where", "--personal", tmp_path / "missing")
    assert "not created yet" in result.stdout


@pytest.mark.parametrize("make, message", [
    (_make_fifo, "not a regular file (give a collection.anki2)"),
    (_make_loop, "cannot read: Too many levels of symbolic links")], ids=["fifo", "loop"])
def test_sync_says_what_is_wrong_with_the_collection_path(
        tmp_path: Path, make: Callable[[Path], str], message: str) -> None:
    odd = tmp_path / "collection.anki2"
    make(odd)
    result = run("sync", "--collection", odd)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == f"error: {odd}: {message}"


def _personal_is_a_file(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "some.yaml"
    path.write_text(deck_yaml(["alpha"]), encoding="utf-8")
    return path, "not a folder; the personal folder must be a folder"


def _personal_is_a_loop(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "loop"
    path.symlink_to(path)
    return path, "cannot read: Too many levels of symbolic links"


def _personal_is_dangling(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "link"
    path.symlink_to(tmp_path / "gone")
    return path, f"broken symbolic link: its target {tmp_path / 'gone'} does not exist"


@pytest.mark.parametrize("make", [_personal_is_a_file, _personal_is_a_loop,
                                  _personal_is_dangling], ids=["file", "loop", "dangling"])
@pytest.mark.parametrize("how", ["env", "option"])
@pytest.mark.parametrize("command", ["check", "list", "build", "export"])
def test_a_personal_folder_that_is_not_a_folder_is_one_problem(
        tmp_path: Path, make: Callable[[Path], tuple[Path, str]], how: str,
        command: str) -> None:
    # Skipped silently, its questions would look deleted (and sync --prune would delete them).
    path, message = make(tmp_path)
    out = tmp_path / "out.apkg"
    args: list[str | Path] = [command, *(["-o", out] if command in ("build", "export") else [])]
    env = {"INTERVIEW_DECK_PERSONAL_DIR": str(path)}
    if how == "option":
        args += ["--personal", path]
        env = {}
    result = run(*args, env=env)
    if how == "option" and make is _personal_is_a_file:  # click refuses it as a usage error
        assert result.returncode == 2 and "is a file" in result.stderr
        return
    assert result.returncode == 1, result.stdout
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"{path}: {message}"), result.stderr
    assert lines[1] in ("1 problem found.", "1 problem found; nothing written.")
    assert len(lines) == 2
    assert not out.exists()
    no_traceback(result)


def test_a_missing_personal_folder_is_still_fine(tmp_path: Path) -> None:
    result = run("check", env={"INTERVIEW_DECK_PERSONAL_DIR": str(tmp_path / "later")})
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("where", ["folder", "personal"])
@pytest.mark.parametrize("target", ["gone", "gone.yaml", "loop"])
def test_a_broken_link_inside_a_searched_folder_is_one_problem(
        folder: Path, tmp_path: Path, where: str, target: str) -> None:
    link = folder / "shared"
    link.symlink_to(link if target == "loop" else tmp_path / target)
    args = ["check", "--no-bundled", folder] if where == "folder" else [
        "check", "--no-bundled", "--personal", folder]
    result = run(*args)
    assert result.returncode == 1
    message = ("cannot read: Too many levels of symbolic links" if target == "loop" else
               f"broken symbolic link: its target {tmp_path / target} does not exist; "
               "fix or remove the link")
    assert result.stderr.splitlines() == [f"{link}: {message}", "1 problem found."]
    no_traceback(result)


def test_where_names_a_dangling_personal_folder(tmp_path: Path, folder: Path) -> None:
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "gone")
    result = run("where", "--personal", link)
    assert f"personal decks: {link} (a broken symbolic link to {tmp_path / 'gone'}" in (
        result.stdout)
    (folder / "shared").symlink_to(tmp_path / "gone")
    result = run("where", "--personal", folder)
    assert (f"personal decks: {folder} (1 deck file; 1 problem there ('interview-deck check' "
            "lists them))") in result.stdout


def test_a_very_deep_folder_tree_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    root = tmp_path / "deep"
    root.mkdir()
    deepest = root
    for _ in range(1200):  # os.walk(followlinks=True) recursed: RecursionError
        deepest = deepest / "d"
        deepest.mkdir()
    (root / "mine.yaml").write_text(deck_yaml(["alpha"]), encoding="utf-8")
    try:
        files, problems = find_sources([root])
        assert [f.name for f in files] == ["mine.yaml"]
        assert [p.message for p in problems] == [
            "folders nested too deep (more than 200 levels); not read"]
    finally:
        while deepest != root:  # removed here: a recursive clean-up could fail the same way
            deepest.rmdir()
            deepest = deepest.parent
