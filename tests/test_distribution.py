"""How people get and run interview-deck: the pre-commit hook, packages for an index, and
installs as a tool with pipx and uv. Each test works on a fresh clone of this checkout (its
uncommitted changes included) and drives the real tools."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from interview_deck import bundled_decks
from interview_deck.cli import main

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
GIT = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.invalid",
       "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"]

GOOD = """\
deck: Interview Questions::My Questions
questions:
  - id: mine-on-call
    question: What does on-call look like for this team?
    purpose: how often you would be paged
    tags: [operations]
"""
BAD = """\
deck: Interview Questions::My Questions
questions:
  - id: Mine Deploys
    question: How often do you deploy?
    purpse: how fast changes reach users
"""


def run(argv: list[str | Path], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in argv], cwd=cwd, capture_output=True, text=True,
                          timeout=600, env={**os.environ, **env})


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This checkout as a fresh clone would hold it once committed: every file git tracks or
    would track, as it is now on disk, committed in a new repository."""
    if not (ROOT / ".git").exists():
        pytest.skip("needs a git checkout of the project")
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                             "--exclude-standard"], cwd=ROOT, capture_output=True, check=True)
    target = tmp_path_factory.mktemp("clone")
    for name in filter(None, listed.stdout.split(b"\0")):
        source = ROOT / os.fsdecode(name)
        if source.is_file():  # a deleted file is still listed until the deletion is staged
            (target / os.fsdecode(name)).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / os.fsdecode(name))
    for argv in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "snapshot"]):
        subprocess.run([*GIT, *argv], cwd=target, check=True, capture_output=True)
    return target


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """pre-commit's cache of hook environments, shared by this module's tests only."""
    return tmp_path_factory.mktemp("pre-commit-home")


def try_hook(clone: Path, decks: Path, home: Path, *options: str) -> subprocess.CompletedProcess[
        str]:
    return run([BIN / "pre-commit", "try-repo", clone, "interview-deck-check", *options],
               decks, PRE_COMMIT_HOME=str(home), PRE_COMMIT_COLOR="never")


def deck_repository(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir()
    # what a real repository of decks also holds: these are not deck files
    files = {".pre-commit-config.yaml": "repos: []\n",
             ".github/workflows/check.yml": "on: [push]\n", **files}
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    subprocess.run([*GIT, "init", "-q"], cwd=folder, check=True)
    subprocess.run([*GIT, "add", "-A"], cwd=folder, check=True)
    return folder


def test_the_hook_fails_on_a_bad_deck_with_located_messages_and_passes_on_good_ones(
        clone: Path, pre_commit_home: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    decks = deck_repository(tmp_path / "decks", {"good.yaml": GOOD, "more/bad.yaml": BAD})
    failed = try_hook(clone, decks, pre_commit_home, "--all-files")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "interview-deck check" in failed.stdout and "Failed" in failed.stdout
    # the same lines as `interview-deck check`, located in the bad file
    monkeypatch.chdir(decks)
    expected = CliRunner().invoke(main, ["check", "--no-personal", "."]).stderr
    assert re.findall(r"^more/bad\.yaml:\d+:\d+: .+$", expected, flags=re.M) == [
        "more/bad.yaml:3:9: id 'Mine Deploys' is not a valid id: use lowercase letters, digits "
        "and single hyphens, like 'define-success' (for example 'mine-deploys')",
        "more/bad.yaml:5:5: unknown key 'purpse' in question; did you mean 'purpose'?"]
    assert expected in failed.stdout
    assert "Traceback" not in failed.stdout + failed.stderr

    (decks / "more" / "bad.yaml").unlink()
    subprocess.run([*GIT, "add", "-A"], cwd=decks, check=True)
    passed = try_hook(clone, decks, pre_commit_home, "--all-files")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert re.search(r"interview-deck check\.+Passed", passed.stdout)


def test_the_hook_resolves_a_change_against_every_deck_file_and_the_bundled_decks(
        clone: Path, pre_commit_home: Path, tmp_path: Path) -> None:
    decks = deck_repository(tmp_path / "decks", {"team.yaml": GOOD})
    subprocess.run([*GIT, "commit", "-q", "-m", "team"], cwd=decks, check=True)
    bundled_id = bundled_decks()[0].questions[0].id
    changes = (f"overrides:\n  - id: mine-on-call\n    tags: [operations, paging]\n"
               f"  - id: {bundled_id}\n    purpose: what you most need to know\n"
               f"hide: [{bundled_decks()[0].questions[1].id}]\n")
    # only the changed file is staged; the question it overrides is in a committed one
    (decks / "changes.yaml").write_text(changes, encoding="utf-8")
    subprocess.run([*GIT, "add", "changes.yaml"], cwd=decks, check=True)
    passed = try_hook(clone, decks, pre_commit_home)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert re.search(r"interview-deck check\.+Passed", passed.stdout)

    (decks / "changes.yaml").write_text(changes.replace("mine-on-call", "mine-on-cal"))
    subprocess.run([*GIT, "add", "changes.yaml"], cwd=decks, check=True)
    failed = try_hook(clone, decks, pre_commit_home)
    assert failed.returncode == 1
    assert re.search(r"^changes\.yaml:2:9: .*'mine-on-cal'.*did you mean 'mine-on-call'",
                     failed.stdout, flags=re.M), failed.stdout


def test_build_gives_packages_that_pass_twine_and_a_wheel_from_the_sdist_is_the_same(
        clone: Path, tmp_path: Path) -> None:
    # `python -m build` makes the sdist, then the wheel from the unpacked sdist
    done = run([sys.executable, "-m", "build", "--outdir", tmp_path / "dist", clone], clone)
    assert done.returncode == 0, done.stdout + done.stderr
    direct = run([sys.executable, "-m", "build", "--wheel", "--outdir", tmp_path / "direct",
                  clone], clone)
    assert direct.returncode == 0, direct.stdout + direct.stderr
    sdist, = (tmp_path / "dist").glob("interview_deck-0.2.0.tar.gz")
    wheel, = (tmp_path / "dist").glob("interview_deck-0.2.0-py3-none-any.whl")
    checked = run([BIN / "twine", "check", "--strict", sdist, wheel], tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.count("PASSED") == 2

    with zipfile.ZipFile(wheel) as from_sdist, zipfile.ZipFile(
            tmp_path / "direct" / wheel.name) as from_tree:
        names = from_sdist.namelist()
        assert names == from_tree.namelist()
        assert all(from_sdist.read(n) == from_tree.read(n) for n in names)
    shipped = {f"interview_deck/decks/{p.name}" for p in (ROOT / "decks").iterdir()}
    shipped |= {f"interview_deck/templates/{p.name}"
                for p in (ROOT / "src" / "interview_deck" / "templates").iterdir()}
    assert {"interview_deck/decks/interview-questions.yaml", "interview_deck/decks/revisions.json",
            "interview_deck/decks/deck.schema.json", "interview_deck/py.typed"} <= set(names)
    assert shipped <= set(names)


@pytest.mark.parametrize("tool", ["pipx", "uv"])
def test_installs_as_a_tool_and_runs_from_any_folder(clone: Path, tmp_path: Path,
                                                     tool: str) -> None:
    tools, bin_dir = tmp_path / "tools", tmp_path / "bin"
    env = {"PIPX_HOME": str(tools), "PIPX_BIN_DIR": str(bin_dir),
           "PIPX_MAN_DIR": str(tmp_path / "man"), "UV_TOOL_DIR": str(tools),
           "UV_TOOL_BIN_DIR": str(bin_dir), "UV_CACHE_DIR": str(tmp_path / "uv-cache"),
           "UV_PYTHON_DOWNLOADS": "never"}
    install = [BIN / "pipx", "install"] if tool == "pipx" else [BIN / "uv", "tool", "install"]
    done = run([*install, "--python", sys.executable, "."], clone, **env)
    assert done.returncode == 0, done.stdout + done.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    command = bin_dir / "interview-deck"
    version = run([command, "--version"], elsewhere)
    assert version.stdout.splitlines()[0] == "interview-deck 0.2.0"
    assert "anki not installed" in version.stdout  # the tool's own environment
    where = run([command, "where"], elsewhere)
    assert f"bundled decks:  {tools}" in where.stdout  # the installed package's decks
    built = run([command, "build", "-o", "deck.apkg"], elsewhere)
    assert built.returncode == 0, built.stderr
    decks = bundled_decks()
    notes = sum(len(deck.questions) for deck in decks)
    plural = "" if len(decks) == 1 else "s"
    assert built.stdout == ""
    assert built.stderr.startswith(f"Wrote deck.apkg: {len(decks)} deck{plural}, {notes} notes, ")
    assert (elsewhere / "deck.apkg").stat().st_size > 0


def test_the_readme_snippet_is_a_valid_pre_commit_config(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    snippet = re.search(r"```text\n(repos:\n.*?)```", readme, flags=re.S).group(1)  # type: ignore[union-attr]
    hooks = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert re.findall(r"^- id: (\S+)$", hooks, flags=re.M) == ["interview-deck-check"]
    assert "- id: interview-deck-check\n" in snippet
    assert "rev: v0.2.0 " in snippet
    (tmp_path / ".pre-commit-config.yaml").write_text(snippet, encoding="utf-8")
    for argv in (["validate-config", ".pre-commit-config.yaml"],
                 ["validate-manifest", ROOT / ".pre-commit-hooks.yaml"]):
        done = run([BIN / "pre-commit", *argv], tmp_path)
        assert done.returncode == 0, done.stdout + done.stderr
