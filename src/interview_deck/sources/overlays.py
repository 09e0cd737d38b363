"""What files do to each other: overrides and hides checked against every question defined
anywhere, and deck names or descriptions that clash between files."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Collection, Sequence
from dataclasses import replace
from pathlib import Path

from ..errors import Problem
from ..model import Deck, Question
from . import rules
from .deck_file import ParsedFile


def deck_conflicts(files: Sequence[Path], parsed_files: Sequence[ParsedFile]) -> list[Problem]:
    """Deck names Anki would treat as one deck but spelt differently, and one deck given two
    different descriptions: Anki would silently keep only one of each."""
    problems: list[Problem] = []
    first: dict[str, tuple[Deck, Problem]] = {}
    for file, parsed in zip(files, parsed_files, strict=True):
        deck = parsed.deck
        if deck is None:
            continue
        place = parsed.deck_place or Problem(str(file), 1, 1, "")
        seen = first.setdefault(rules.deck_key(deck.name), (deck, place))
        earlier, earlier_place = seen
        if earlier is deck:
            continue
        if earlier.name != deck.name:
            problems.append(at_place(place, f"deck '{deck.name}' is spelt '{earlier.name}' at "
                                             f"{where(earlier_place)}; Anki treats them as one "
                                             "deck, so use one spelling"))
        elif earlier.description and deck.description and (
                earlier.description != deck.description):
            problems.append(at_place(place, f"deck '{deck.name}' has another description at "
                                             f"{where(earlier_place)}; give it in one file only"))
    return problems


def where(place: Problem) -> str:
    return f"{place.path}:{place.line}:{place.column}"


def at_place(place: Problem, message: str) -> Problem:
    return Problem(place.path, place.line, place.column, message)


def apply_overlays(parsed_files: Sequence[ParsedFile], defined: dict[str, Problem], known: set[str],
                   bundled: Callable[[], Collection[str]] = frozenset,
                   ) -> tuple[dict[str, Question], set[str], list[Problem]]:
    """Check every override and hide against the questions defined anywhere: the replaced
    questions by id, the hidden ids, and the problems (each located where the file names it).
    ``bundled`` gives the bundled decks' ids, asked only for a target found nowhere."""
    questions = {q.id: q for p in parsed_files if p.deck for q in p.deck.questions}
    replaced: dict[str, Question] = {}
    overridden_at: dict[str, Problem] = {}
    hidden_at: dict[str, Problem] = {}
    problems: list[Problem] = []
    for parsed in parsed_files:
        for override in parsed.overrides:
            target, place = override.id, override.place
            if target in known and target not in defined:
                continue
            message = _target_problem(target, place, dict.fromkeys(known) | defined, "override",
                                      bundled)
            if message is None and target in overridden_at:
                message = (f"'{target}' is already overridden at "
                           f"{where(overridden_at[target])}; keep one of the two")
            if message is not None:
                problems.append(at_place(place, message))
                continue
            overridden_at[target] = place
            if target in questions:
                changed = replace(questions[target], **override.changes)  # type: ignore[arg-type]
                replaced[target] = replace(changed, overridden_in=place.path)
        for target, place in parsed.hidden:
            if target in known and target not in defined:
                continue
            message = _target_problem(target, place, dict.fromkeys(known) | defined, "hide",
                                      bundled)
            if message is not None:
                problems.append(at_place(place, message))
            else:
                hidden_at.setdefault(target, place)
    for target, place in hidden_at.items():
        if target in overridden_at:
            problems.append(at_place(
                place, f"'{target}' is both hidden here and overridden at "
                       f"{where(overridden_at[target])}; keep one of the two"))
    return replaced, set(hidden_at), problems


def _target_problem(target: str, place: Problem, defined: dict[str, Problem | None],
                    action: str, bundled: Callable[[], Collection[str]]) -> str | None:
    """Why ``target`` cannot be overridden or hidden from ``place``, or None."""
    if target not in defined and target in bundled():
        # Only from Python: the command line always knows the bundled ids.
        return (f"cannot {action} '{target}': it is a bundled question, and load_decks reads "
                "only the files it is given; load the bundled decks with this file applied: "
                f"bundled_decks({str(Path(place.path))!r})")
    if target not in defined:
        close = difflib.get_close_matches(target, list(defined), n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else (
            "; run 'interview-deck list' to see the ids")
        return f"cannot {action} '{target}': no question has that id{hint}"
    first = defined[target]
    if first is not None and first.path == place.path:
        return f"cannot {action} '{target}': it is defined in this file; edit it there"
    return None
