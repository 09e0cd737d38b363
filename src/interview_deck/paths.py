"""Where things live: the bundled decks, the schema, your own decks."""

from __future__ import annotations

import os
import sys
from importlib import resources
from pathlib import Path

from .errors import InterviewDeckError


def bundled_decks_dir() -> Path:
    """The decks shipped inside the package (in a source checkout: the repository's ``decks/``)."""
    here = Path(__file__).resolve().parent
    packaged = here / "decks"
    if packaged.is_dir():
        return packaged
    return here.parents[1] / "decks"


def template_text(name: str) -> str:
    """The text of a file shipped in the package's ``templates`` folder (cards, pages, CSS)."""
    return resources.files("interview_deck").joinpath("templates", name).read_text("utf-8")


BUNDLED_SOURCE = "bundled:"


def source_key(file: str) -> str:
    """How sync and the revisions ledger name the deck file a question came from: ``bundled:``
    and its name for a file shipped with the package (wherever it is installed), else its
    absolute path; "" for a deck built in Python."""
    if not file:
        return ""
    path = Path(file).resolve()
    try:
        return BUNDLED_SOURCE + path.relative_to(bundled_decks_dir().resolve()).as_posix()
    except ValueError:
        return str(path)


def source_path(key: str) -> Path:
    """The file a ``source_key`` names."""
    if key.startswith(BUNDLED_SOURCE):
        return bundled_decks_dir() / key.removeprefix(BUNDLED_SOURCE)
    return Path(key)


def schema_path() -> Path:
    """The JSON Schema of deck files, shipped beside the bundled decks."""
    return bundled_decks_dir() / "deck.schema.json"


def expand_home(value: str, name: str) -> Path:
    """The path in the environment variable ``name`` (``value``), ``~`` and ``~user``
    expanded; InterviewDeckError when that home folder cannot be found."""
    try:
        return Path(value).expanduser()
    except RuntimeError as error:
        user = value.replace("\\", "/").split("/")[0]
        raise InterviewDeckError(
            f"{name}={value!r}: no home folder found for {user}; give the full path"
        ) from error


def home() -> Path:
    """Your home folder; InterviewDeckError when it cannot be found (no $HOME, no user)."""
    try:
        return Path.home()
    except (RuntimeError, KeyError) as error:
        raise InterviewDeckError(
            f"cannot find your home folder ({error}); set HOME or the XDG_* variables"
        ) from error


PERSONAL_ENV = "INTERVIEW_DECK_PERSONAL_DIR"


def personal_dir() -> Path:
    """Your own deck files: ``$INTERVIEW_DECK_PERSONAL_DIR``, else the platform's config folder:
    ``$XDG_CONFIG_HOME/interview-deck`` (``~/.config/interview-deck``) on Linux and BSD,
    ``~/Library/Application Support/interview-deck`` on macOS, ``%APPDATA%\\interview-deck``
    on Windows."""
    explicit = os.environ.get(PERSONAL_ENV)
    if explicit:
        return expand_home(explicit, PERSONAL_ENV)
    if sys.platform == "win32" and os.environ.get("APPDATA"):
        return Path(os.environ["APPDATA"]) / "interview-deck"
    if sys.platform == "darwin" and not os.environ.get("XDG_CONFIG_HOME"):
        return home() / "Library" / "Application Support" / "interview-deck"
    config = os.environ.get("XDG_CONFIG_HOME") or str(home() / ".config")
    return Path(config) / "interview-deck"


def default_personal_file(folder: Path | None = None) -> Path:
    """The file ``interview-deck add`` writes to by default."""
    return (folder if folder is not None else personal_dir()) / "my-questions.yaml"
