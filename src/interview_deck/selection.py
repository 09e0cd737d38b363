"""Which decks a command works on: the sources it reads (bundled, personal, yours), then the
filters by tag and deck."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from .errors import ArgumentError, DeckError, InterviewDeckError
from .model import Deck, Question
from .paths import bundled_decks_dir, personal_dir
from .sources import rules
from .sources.discovery import folder_problem
from .sources.loading import defined_ids, find_sources, load_decks, yaml_files_in


@dataclass(frozen=True, slots=True)
class Selection:
    """Which decks and questions a command works on."""

    paths: tuple[Path, ...] = ()
    """Your YAML files and folders, given on the command line."""

    bundled: bool = True
    """Include the decks shipped with the package."""

    personal: bool = True
    """Include your personal folder (see ``personal_folder``), when it has deck files."""

    personal_folder: Path | None = None
    """Your personal folder; None means the default (``paths.personal_dir()``)."""

    tags: tuple[str, ...] = ()
    """Keep only questions with one of these tags (case-insensitive); empty keeps all."""

    decks: tuple[str, ...] = ()
    """Keep only these decks and their subdecks; empty keeps all."""

    skip_tags: tuple[str, ...] = ()
    """Leave out questions with one of these tags (or a tag under one); applied after ``tags``."""

    def sources(self) -> list[Path]:
        """The files and folders to read, in order: bundled, personal, then ``paths``."""
        chosen = [bundled_decks_dir()] if self.bundled else []
        if self.personal:
            folder = self.personal_folder or personal_dir()
            # The folder may be empty; one named on the command line must exist (the loader
            # reports a missing one).
            missing = self.personal_folder is not None and not os.path.lexists(folder)
            # Anything else there that is not a readable folder is a problem, never skipped:
            # skipping it would make its questions look deleted (and sync prune their notes).
            problem = folder_problem(folder)
            if problem is not None:
                raise DeckError([problem])
            if missing or _has_decks(folder):
                chosen.append(folder)
        chosen.extend(self.paths)
        return chosen

    def left_out(self) -> tuple[str, ...]:
        """The default sources this selection leaves out, described for messages: the bundled
        decks (``bundled=False``); your personal folder (``personal=False``, or another
        ``personal_folder`` than the default)."""
        out = [] if self.bundled else ["the bundled decks"]
        default = personal_dir()
        if not self.personal:
            out.append(f"your personal folder ({default})")
        elif self.personal_folder is not None and (
                self.personal_folder.resolve() != default.resolve()):
            out.append(f"your personal folder ({default}; --personal names another)")
        return tuple(out)

    def load(self) -> tuple[Deck, ...]:
        """Load, check and filter the decks; DeckError lists every problem in every file."""
        # Without the bundled decks, your overrides and hides of them simply do not apply.
        known = () if self.bundled else defined_ids([bundled_decks_dir()])
        decks = load_decks(self.sources(), known_ids=known)
        return filter_decks(decks, tags=self.tags, deck_names=self.decks,
                            skip_tags=self.skip_tags)

    def input_files(self) -> list[Path]:
        """The deck files this selection reads (for refusing to write over one of them)."""
        return find_sources(self.sources())[0]

    def defined_ids(self) -> set[str]:
        """Every id these sources define, hidden ones included, and the bundled ones."""
        return defined_ids([bundled_decks_dir(), *self.sources()])


def _has_decks(folder: Path) -> bool:
    try:
        if not folder.is_dir():
            return False
        found, unreadable = yaml_files_in(folder)
    except OSError:
        return True  # the loader reports what is wrong with it
    return bool(found or unreadable)


def filter_decks(decks: Iterable[Deck], *, tags: Sequence[str] = (),
                 deck_names: Sequence[str] = (),
                 skip_tags: Sequence[str] = ()) -> tuple[Deck, ...]:
    """The decks and questions matching ``tags`` and ``deck_names`` (a deck matches its own
    name or any parent's, a tag its own or any parent's), without those that have a tag in
    ``skip_tags``; raises InterviewDeckError when nothing is left."""
    decks = tuple(decks)
    wanted_tags = [rules.tag_key(t) for t in tags]
    unwanted_tags = [rules.tag_key(t) for t in skip_tags]
    wanted_decks = [rules.deck_key(name) for name in deck_names]

    def kept_question(question: Question) -> bool:
        keys = [rules.tag_key(t) for t in question.tags]
        return ((not wanted_tags or any(is_under(key, wanted_tags) for key in keys))
                and not any(is_under(key, unwanted_tags) for key in keys))

    kept: list[Deck] = []
    for deck in decks:
        if wanted_decks and not is_under(rules.deck_key(deck.name), wanted_decks):
            continue
        questions = tuple(q for q in deck.questions if kept_question(q))
        if questions:
            kept.append(replace(deck, questions=questions))
    # A deck that only has a description (a parent deck) comes along with any deck under it.
    names = [rules.deck_key(deck.name) for deck in kept]
    described = [deck for deck in decks if not deck.questions and deck.description and any(
        is_under(name, [rules.deck_key(deck.name)]) for name in names)]
    kept = [deck for deck in decks if deck in described] + kept
    if not kept and (tags or deck_names or skip_tags):
        known_tags = sorted({t for d in decks for q in d.questions for t in q.tags})
        known_decks = sorted({d.name for d in decks})
        raise InterviewDeckError(
            "no question matches the filters "
            f"(tags: {', '.join(known_tags) or 'none'}; decks: {'; '.join(known_decks)})"
        )
    return tuple(kept)


def is_under(name: str, parents: Sequence[str]) -> bool:
    """Whether ``name`` is one of ``parents`` or under one (``a::b`` is under ``a``); both
    compared as keys (``rules.tag_key``, ``rules.deck_key``), as Anki compares them."""
    return any(name == parent or name.startswith(parent + "::") for parent in parents)


def require_questions(decks: Iterable[Deck], verb: str) -> None:
    """InterviewDeckError when ``decks`` hold no question at all (nothing worth writing)."""
    if not any(deck.questions for deck in decks):
        raise InterviewDeckError(
            f"no questions to {verb}: the selected files only hide or override questions that "
            f"are not in this {verb}; nothing written")


def bundled_decks(*paths: Path | str, personal: bool = False) -> tuple[Deck, ...]:
    """The decks shipped with the package, with your changes applied as a build applies them.

    ``paths`` are YAML files or folders: their questions are added, and their ``overrides`` and
    ``hide`` change the bundled questions. ``personal=True`` reads your personal folder too, as
    the command line does. ``bundled_decks()`` alone gives the decks as shipped. Raises
    DeckError listing every problem in every file.
    """
    for path in paths:
        if not isinstance(path, (str, os.PathLike)):
            raise ArgumentError(f"bundled_decks: each path must be a str or Path, not "
                                f"{type(path).__name__}; give several as "
                                "bundled_decks('a.yaml', 'b.yaml')")
    if not paths and not personal:
        return load_decks([bundled_decks_dir()])
    return Selection(tuple(Path(p) for p in paths), personal=personal).load()
