"""YAML deck files to model objects, with every problem located by file, line and column.

The loader composes each file into YAML nodes once (libyaml's C parser when present) and builds
the model straight from those nodes, so line numbers cost nothing extra on the happy path.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from . import rules
from .errors import DeckError, Problem
from .model import Deck, Question

__all__ = ["DEFAULT_DECK", "LOADER", "ParsedFile", "defined_ids", "find_sources", "load_decks",
           "parse_deck", "yaml_files_in"]

try:  # libyaml is an optional part of PyYAML; the pure-Python loader gives the same nodes.
    from yaml import CSafeLoader as LOADER
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as LOADER  # type: ignore[assignment]

YAML_SUFFIXES = (".yaml", ".yml")
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_PROBLEMS = 100
_BOM = b"\xef\xbb\xbf"

DEFAULT_DECK = "Interview Questions::My Questions"
DECK_KEYS = ("deck", "description", "questions", "overrides", "hide")
QUESTION_KEYS = ("id", "question", "purpose", "setup", "variations", "instead_of", "tags")
REQUIRED_QUESTION_KEYS = ("id", "question", "purpose")
LIST_KEYS = ("variations", "instead_of", "tags")

_STR = "tag:yaml.org,2002:str"
_TAG_NAMES = {
    "tag:yaml.org,2002:int": "a number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:bool": "a yes/no value",
    "tag:yaml.org,2002:null": "nothing",
    "tag:yaml.org,2002:timestamp": "a date",
    "tag:yaml.org,2002:binary": "binary data",
}
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
# An anchor (&name) or alias (*name) token: only files that have one take the slower,
# alias-aware parse (composed YAML otherwise hides where an alias was used).
_ANCHOR_OR_ALIAS = re.compile(r"(?:^|[\s\[{,:])[&*][^\s,\[\]{}]", re.M)
_ALIAS_MESSAGE = ("anchors and aliases (&name / *name) are not supported in deck files; "
                  "write the value out")


class _AliasNode(yaml.ScalarNode):
    """Stands where an alias (*name) was written, instead of the node it refers to."""


class _AliasKeepingLoader(yaml.SafeLoader):
    """The pure-Python loader, keeping each alias as an _AliasNode at its own position."""

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.get_event()  # type: ignore[no-untyped-call]
            return _AliasNode("alias", event.anchor, event.start_mark, event.end_mark)
        return super().compose_node(parent, index)


def find_sources(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """Expand files and folders into the YAML files to read, sorted within each folder."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            is_dir, is_file, exists = path.is_dir(), path.is_file(), path.exists()
        except OSError as error:
            problems.append(Problem(str(path), 0, 0, f"cannot read: {error.strerror or error}"))
            continue
        if is_dir:
            found, unreadable = yaml_files_in(path)
            problems.extend(Problem(str(folder), 0, 0, f"cannot read folder: {reason}")
                            for folder, reason in unreadable)
            if not found and not unreadable:
                problems.append(Problem(str(path), 0, 0, "folder has no .yaml or .yml files"))
            files.extend(found)
        elif is_file:
            files.append(path)
        elif exists:
            problems.append(Problem(str(path), 0, 0, "not a regular file or folder"))
        else:
            problems.append(Problem(str(path), 0, 0, "no such file or folder"))
    unique: list[Path] = []
    seen: set[Path] = set()
    for file in files:
        key = file.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(file)
    return unique, problems


def yaml_files_in(folder: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The deck files below ``folder`` (hidden ones left out), sorted, and the subfolders that
    could not be read."""
    found: list[Path] = []
    unreadable: list[tuple[Path, str]] = []

    def note(error: OSError) -> None:
        unreadable.append((Path(error.filename or folder), error.strerror or str(error)))

    for root, dirs, names in os.walk(folder, onerror=note):
        # Hidden files and folders (.git, .venv, .github, .pre-commit-config.yaml) hold no decks.
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(Path(root) / name for name in names
                     if Path(name).suffix.lower() in YAML_SUFFIXES and not name.startswith("."))
    return sorted(found), unreadable


@dataclass(frozen=True, slots=True)
class Override:
    """Your replacement for parts of a question defined in another file."""

    id: str
    """The id of the question to change."""

    changes: dict[str, object]
    """The keys to replace (``question``, ``purpose``...), already checked."""

    place: Problem
    """Where the override's id is written (message unused)."""


@dataclass(frozen=True, slots=True)
class ParsedFile:
    """What one deck file gave: its deck (None when it has problems), problems, and id places."""

    deck: Deck | None
    problems: tuple[Problem, ...]
    id_places: dict[str, Problem]
    """Where each question id is defined, as a Problem-shaped location (message unused)."""

    overrides: tuple[Override, ...] = ()
    """Questions of other files this file changes."""

    hidden: tuple[tuple[str, Problem], ...] = ()
    """Ids of questions (of other files) this file leaves out, with where each is named."""

    deck_place: Problem | None = None
    """Where the deck name is written (None when the file uses the default name)."""


def load_decks(paths: Iterable[Path | str], *,
               known_ids: Collection[str] = ()) -> tuple[Deck, ...]:
    """Load every deck from ``paths`` (files or folders), apply every file's ``overrides`` and
    ``hide``, and return the decks; raise DeckError listing all problems in all files.

    ``known_ids`` are ids of questions that exist but are left out of this selection (the
    bundled ones, with --no-bundled): overriding or hiding them is quietly moot, not an error.
    """
    files, problems = find_sources(Path(p) for p in paths)
    parsed_files = [load_file(file) for file in files]
    by_file: dict[str, list[Problem]] = {}
    first_places: dict[str, Problem] = {}
    for file, parsed in zip(files, parsed_files, strict=True):
        file_problems = by_file.setdefault(str(file), list(parsed.problems))
        for question_id, place in parsed.id_places.items():
            first = first_places.setdefault(question_id, place)
            if first is not place:
                file_problems.append(_at_place(
                    place, f"duplicate id '{question_id}' (also used at {_where(first)}); "
                           "to replace that question, list yours under 'overrides:' instead"))
    overrides, hidden, overlay_problems = _overlay(parsed_files, first_places, set(known_ids))
    for problem in overlay_problems + _deck_conflicts(files, parsed_files):
        by_file[problem.path].append(problem)
    for file_problems in by_file.values():
        problems.extend(sorted(file_problems, key=_file_order))
    if problems:
        raise DeckError(problems)
    decks = []
    for parsed in parsed_files:
        if parsed.deck is None:
            continue
        kept = tuple(overrides.get(q.id, q) for q in parsed.deck.questions if q.id not in hidden)
        if kept:
            decks.append(replace(parsed.deck, questions=kept))
    return tuple(decks)


def _deck_conflicts(files: Sequence[Path], parsed_files: Sequence[ParsedFile]) -> list[Problem]:
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
            problems.append(_at_place(place, f"deck '{deck.name}' is spelt '{earlier.name}' at "
                                             f"{_where(earlier_place)}; Anki treats them as one "
                                             "deck, so use one spelling"))
        elif earlier.description and deck.description and (
                earlier.description != deck.description):
            problems.append(_at_place(place, f"deck '{deck.name}' has another description at "
                                             f"{_where(earlier_place)}; give it in one file only"))
    return problems


def defined_ids(paths: Iterable[Path | str]) -> set[str]:
    """Every question id defined in ``paths`` (before any hide), readable or not."""
    files, _ = find_sources(Path(p) for p in paths)
    return {question_id for file in files for question_id in load_file(file).id_places}


def _where(place: Problem) -> str:
    return f"{place.path}:{place.line}:{place.column}"


def _at_place(place: Problem, message: str) -> Problem:
    return Problem(place.path, place.line, place.column, message)


def _overlay(parsed_files: Sequence[ParsedFile], defined: dict[str, Problem], known: set[str],
             ) -> tuple[dict[str, Question], set[str], list[Problem]]:
    """Check every override and hide against the questions defined anywhere: the replaced
    questions by id, the hidden ids, and the problems (each located where the file names it)."""
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
            message = _target_problem(target, place, dict.fromkeys(known) | defined, "override")
            if message is None and target in overridden_at:
                message = (f"'{target}' is already overridden at "
                           f"{_where(overridden_at[target])}; keep one of the two")
            if message is not None:
                problems.append(_at_place(place, message))
                continue
            overridden_at[target] = place
            if target in questions:
                replaced[target] = replace(questions[target], **override.changes)  # type: ignore[arg-type]
        for target, place in parsed.hidden:
            if target in known and target not in defined:
                continue
            message = _target_problem(target, place, dict.fromkeys(known) | defined, "hide")
            if message is not None:
                problems.append(_at_place(place, message))
            else:
                hidden_at.setdefault(target, place)
    for target, place in hidden_at.items():
        if target in overridden_at:
            problems.append(_at_place(
                place, f"'{target}' is both hidden here and overridden at "
                       f"{_where(overridden_at[target])}; keep one of the two"))
    return replaced, set(hidden_at), problems


def _target_problem(target: str, place: Problem, defined: dict[str, Problem | None],
                    action: str) -> str | None:
    """Why ``target`` cannot be overridden or hidden from ``place``, or None."""
    if target not in defined:
        close = difflib.get_close_matches(target, list(defined), n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else (
            "; run 'interview-deck list' to see the ids")
        return f"cannot {action} '{target}': no question has that id{hint}"
    first = defined[target]
    if first is not None and first.path == place.path:
        return f"cannot {action} '{target}': it is defined in this file; edit it there"
    return None


def load_file(path: Path) -> ParsedFile:
    """Read and parse one deck file."""
    name = str(path)
    try:
        with open(path, "rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        return _failed(Problem(name, 0, 0, f"cannot read: {error.strerror or error}"))
    return parse_deck(data, name)


def _file_order(problem: Problem) -> tuple[bool, int, int]:
    """Problems in the order they stand in the file; those without a line last."""
    return (problem.line == 0, problem.line, problem.column)


def _failed(problem: Problem) -> ParsedFile:
    return ParsedFile(None, (problem,), {})


def _position(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    column = len(data[data.rfind(b"\n", 0, offset) + 1 : offset].decode("utf-8", "replace")) + 1
    return line, column


def _text_position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def parse_deck(data: bytes, name: str = "<string>") -> ParsedFile:
    """Parse the bytes of one deck file named ``name`` (the name is used in messages)."""
    if len(data) > MAX_FILE_BYTES:
        return _failed(Problem(name, 0, 0, f"file is larger than {MAX_FILE_BYTES // 2**20} MiB; "
                                           "split it into several deck files"))
    if data.startswith(_BOM):
        data = data[len(_BOM):]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _position(data, error.start)
        return _failed(Problem(name, line, column,
                               "file is not UTF-8 text; save it with UTF-8 encoding"))
    if not text.strip():
        return _failed(Problem(name, 1, 1,
                               "file is empty; a deck file needs at least 'questions' "
                               "(see the README)"))
    aliases = ("&" in text or "*" in text) and _ANCHOR_OR_ALIAS.search(text)
    loader = _AliasKeepingLoader if aliases else LOADER
    try:
        root = yaml.compose(text, Loader=loader)
    except yaml.MarkedYAMLError as error:
        return _failed(_syntax_problem(name, text, error))
    except yaml.reader.ReaderError as error:
        line, column = _text_position(text, error.position)
        return _failed(Problem(name, line, column,
                               f"control character U+{error.character:04X} is not allowed; "
                               "remove it" if isinstance(error.character, int)
                               else f"YAML error: {error.reason}"))
    except RecursionError:
        return _failed(Problem(name, 1, 1, "nesting is too deep; a deck file needs only a few "
                                           "levels"))
    if root is None:
        return _failed(Problem(name, 1, 1, "file has only comments; a deck file needs at least "
                                           "'questions' (see the README)"))
    builder = _Builder(name)
    deck = builder.deck(root)
    places = {qid: Problem(name, at.line, at.column, "") for qid, at in builder.id_places.items()}
    problems = sorted(builder.problems, key=_file_order)
    if builder.unreported:
        problems.append(Problem(name, 0, 0, f"{builder.unreported} more problems not shown; "
                                            "fix the ones above and check again"))
    return ParsedFile(deck, tuple(problems), places, tuple(builder.overrides_found),
                      tuple(builder.hidden), builder.deck_place)


# PyYAML's wording for common slips, and what to tell the user instead. The key is
# (context, problem) text fragments; "at context" means the context mark is where to fix it.
_SYNTAX_HINTS: tuple[tuple[str, str, bool, str], ...] = (
    ("quoted scalar", "end of stream", True,
     "a quote is opened here and never closed; add the closing quote"),
    ("flow sequence", "expected ',' or ']'", True,
     "a list opened with '[' here is not closed; add ']' (and commas between items)"),
    ("flow mapping", "expected ',' or '}'", True,
     "a mapping opened with '{' here is not closed; add '}' (and commas between items)"),
    ("simple key", "could not find expected ':'", True,
     "this line is not a 'key: value' pair; put a space after the ':' of a key "
     "(as in 'question: text'), or quote the text"),
    ("single document", "another document", False,
     "a deck file holds one YAML document; remove the '---' line or put each deck "
     "in its own file"),
    ("", "mapping values are not allowed", False,
     "unexpected ': ' here; check this line's indentation, or put quotes around a text "
     "that contains ': '"),
    ("", "duplicate anchor", False, _ALIAS_MESSAGE),
    ("", "undefined alias", False, _ALIAS_MESSAGE),
    ("", "maximum nesting depth", False,
     "nesting is too deep; a deck file needs only a few levels"),
)


def _syntax_problem(name: str, text: str, error: yaml.MarkedYAMLError) -> Problem:
    context = (error.context or "").strip()
    problem = (error.problem or "syntax error").strip()
    for context_part, problem_part, at_context, hint in _SYNTAX_HINTS:
        if context_part in context and (problem_part in problem or problem_part in context):
            mark = (error.context_mark if at_context else None) or error.problem_mark
            message = hint
            break
    else:
        mark = error.problem_mark or error.context_mark
        message = f"YAML syntax error {context}: {problem}" if context.startswith("while") else (
            f"YAML syntax error: {problem}")
    lines = text.splitlines()
    if mark is not None and mark.line >= len(lines) and error.context_mark is not None:
        mark = error.context_mark  # "end of file" is no place to fix anything
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    if line > max(len(lines), 1):
        line, column = max(len(lines), 1), len(lines[-1]) + 1 if lines else 1
    at = lines[line - 1][column - 1 : column] if 0 < line <= len(lines) else ""
    if at == "\t" or "'\\t'" in problem:
        message = "tab character: YAML indentation must use spaces, not tabs"
    elif "cannot start any token" in problem and at:
        message = (f"a text cannot start with '{at}' unless it is in quotes; "
                   f"write \"{at}...\"")
    return Problem(name, line, column, message)


@dataclass(frozen=True, slots=True)
class _Located:
    line: int
    column: int


def _at(node: yaml.Node) -> _Located:
    return _Located(node.start_mark.line + 1, node.start_mark.column + 1)


class _Builder:
    """Turns one file's YAML nodes into a Deck, collecting every problem on the way."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[Problem] = []
        self.unreported = 0
        self.seen_nodes: set[int] = set()
        self.id_places: dict[str, _Located] = {}
        self.suggested: set[str] = set()
        self.deck_place: Problem | None = None
        self.overrides_found: list[Override] = []
        self.hidden: list[tuple[str, Problem]] = []

    def report(self, node: yaml.Node | _Located, message: str) -> None:
        if len(self.problems) >= MAX_PROBLEMS:
            self.unreported += 1
            return
        where = node if isinstance(node, _Located) else _at(node)
        self.problems.append(Problem(self.name, where.line, where.column, message))

    def usable(self, node: yaml.Node, standard_tag: str) -> bool:
        """False (and reported) for aliases, foreign YAML tags and collections seen before."""
        tag = node.tag
        if type(node) is yaml.ScalarNode:  # the common case, checked first: never an alias
            if tag == standard_tag or tag.startswith("tag:yaml.org,2002:"):
                return True
            self.report(node, f"YAML tag '{tag}' is not supported in deck files; remove it")
            return False
        if isinstance(node, _AliasNode):
            self.report(node, _ALIAS_MESSAGE)
            return False
        if tag != standard_tag and not tag.startswith("tag:yaml.org,2002:"):
            self.report(node, f"YAML tag '{tag}' is not supported in deck files; remove it")
            return False
        # Composed YAML shares one node between an anchor and its aliases. Files with alias
        # syntax take the alias-aware parse; this catches a collection reached twice anyway.
        if id(node) in self.seen_nodes:
            self.report(node, _ALIAS_MESSAGE)
            return False
        self.seen_nodes.add(id(node))
        return True

    def mapping(self, node: yaml.Node, what: str, allowed: Sequence[str],
                required: Sequence[str]) -> dict[str, tuple[yaml.Node, yaml.Node]] | None:
        if not self.usable(node, _MAP):
            return None
        if not isinstance(node, yaml.MappingNode):
            self.report(node,
                        f"{what} must be a mapping of keys to values, found {_describe(node)}")
            return None
        entries: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        suggested: set[str] = set()
        for key_node, value_node in node.value:
            if not self.usable(key_node, _STR):
                continue
            if key_node.tag == _MERGE:
                self.report(key_node, "merge keys (<<) are not supported in deck files; "
                                      "write the keys out")
                continue
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _STR:
                self.report(key_node, f"keys must be plain words, found {_describe(key_node)}")
                continue
            key = key_node.value
            if key in entries:
                first = _at(entries[key][0])
                self.report(key_node, f"duplicate key '{key}' (first given at line {first.line}); "
                                      "YAML would silently keep only the last one")
                continue
            if key not in allowed:
                close = difflib.get_close_matches(key.replace("-", "_"), allowed, n=1,
                                                  cutoff=0.6)
                suggested.update(close)
                hint = f"; did you mean '{close[0]}'?" if close else (
                    f"; {what} keys are: {', '.join(allowed)}")
                self.report(key_node, f"unknown key '{key}' in {what}{hint}")
                continue
            entries[key] = (key_node, value_node)
        self.suggested = suggested
        for key in required:
            # A misspelt key already says "did you mean"; a second message would only repeat it.
            if key not in entries and key not in suggested:
                self.report(node, f"{what} is missing required key '{key}'")
        return entries

    def text(self, node: yaml.Node, label: str, *, optional: bool = False,
             item_of: str = "") -> str | None:
        """The stripped text of a scalar, or None (reported). ``item_of`` names the list."""
        if not self.usable(node, _STR):
            return None
        what = f"an item of '{item_of}'" if item_of else f"'{label}'"
        if isinstance(node, yaml.ScalarNode) and node.tag == _STR:
            value: str = node.value.strip()
            if value and (message := rules.blank_problem(label, value)) is not None:
                self.report(node, message)
                return None
            if value:
                return value
            if item_of == "tags":
                self.report(node, "tag is empty; write a tag or remove it from the list")
            elif item_of:
                self.report(node, f"{what} is empty; write some text or remove the item")
            else:
                fix = "write some text or remove the key" if optional else "write some text"
                self.report(node, f"{what} is empty; {fix}")
            return None
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null":
            where = "after the '-' or remove the item" if item_of else "after the colon"
            self.report(node, f"{what} has no value; write some text {where}")
            return None
        if isinstance(node, yaml.ScalarNode) and node.tag in _TAG_NAMES:
            self.report(node, f"{what} must be text, found {_TAG_NAMES[node.tag]} ({node.value}); "
                              f"put it in quotes: \"{node.value}\"")
            return None
        self.report(node, f"{what} must be text, found {_describe(node)}")
        return None

    def text_list(self, node: yaml.Node, label: str) -> tuple[str, ...] | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null":
            return ()
        if not self.usable(node, _SEQ):
            return None
        if not isinstance(node, yaml.SequenceNode):
            self.report(node, f"'{label}' must be a list, found {_describe(node)}; "
                              f"write each item on its own line starting with '- '")
            return None
        items = [self.text(item, label, item_of=label) for item in node.value]
        if any(item is None for item in items):
            return None
        return tuple(item for item in items if item is not None)

    def deck(self, root: yaml.Node) -> Deck | None:
        if isinstance(root, (yaml.ScalarNode, yaml.SequenceNode)) and not isinstance(
                root, _AliasNode):
            self.report(root, "a deck file must be a mapping with the keys 'deck', 'description' "
                              f"and 'questions'; found {_describe(root)}")
            return None
        entries = self.mapping(root, "deck file", DECK_KEYS, ())
        if entries is None:
            return None
        if not {"questions", "overrides", "hide"} & (entries.keys() | self.suggested):
            self.report(root, "deck file is missing required key 'questions'")
        name: str | None = DEFAULT_DECK
        if "deck" in entries:
            node = entries["deck"][1]
            self.deck_place = self.place(node)
            name = self.text(node, "deck")
            if name is not None and (m := rules.deck_name_problem(name)) is not None:
                self.report(node, m)
                name = None
        description: str | None = ""
        if "description" in entries:
            node = entries["description"][1]
            blank = (isinstance(node, yaml.ScalarNode) and node.tag == _STR
                     and not node.value.strip())
            description = "" if blank else self.text(node, "description", optional=True)
        questions: list[Question] | None = []
        if "questions" in entries:
            questions = self.questions(entries["questions"][1])
        if "overrides" in entries:
            self.overrides(entries["overrides"][1])
        if "hide" in entries:
            self.hide(entries["hide"][1])
        if name is None or description is None or questions is None or self.problems:
            return None
        return Deck(name=name, description=description, questions=tuple(questions),
                    source=self.name)

    def overrides(self, node: yaml.Node) -> None:
        if not self.usable(node, _SEQ):
            return
        if not isinstance(node, yaml.SequenceNode):
            self.report(node, f"'overrides' must be a list, found {_describe(node)}; start each "
                              "with '- id: ...' naming the question to change")
            return
        for item in node.value:
            entries = self.mapping(item, "override", QUESTION_KEYS, ("id",))
            if entries is None or "id" not in entries:
                continue
            before = len(self.problems) + self.unreported
            id_node = entries["id"][1]
            target = self.text(id_node, "id")
            changes: dict[str, object] = {}
            for key, (_, value_node) in entries.items():
                if key == "id":
                    continue
                if key in LIST_KEYS:
                    changes[key] = self.text_list(value_node, key)
                elif key == "setup" and _is_blank(value_node):
                    changes[key] = ""  # an override may remove the bundled setup
                else:
                    changes[key] = self.text(value_node, key, optional=key == "setup")
            if "tags" in entries and isinstance(changes.get("tags"), tuple):
                self.check_tags(changes["tags"], entries["tags"][1])  # type: ignore[arg-type]
            if not changes:
                self.report(item, f"override of '{target}' changes nothing; add the keys to "
                                  "replace, such as 'question' or 'purpose'")
            if target is None or len(self.problems) + self.unreported > before:
                continue
            self.overrides_found.append(Override(target, changes, self.place(id_node)))

    def hide(self, node: yaml.Node) -> None:
        ids = self.text_list(node, "hide")
        if ids is None or not isinstance(node, yaml.SequenceNode):
            return
        seen: set[str] = set()
        for target, item in zip(ids, node.value, strict=True):
            if target in seen:
                self.report(item, f"'{target}' is listed twice in 'hide'")
            seen.add(target)
            self.hidden.append((target, self.place(item)))

    def place(self, node: yaml.Node) -> Problem:
        at = _at(node)
        return Problem(self.name, at.line, at.column, "")

    def check_tags(self, tags: tuple[str, ...], node: yaml.Node) -> None:
        seen: set[str] = set()
        for tag, tag_node in zip(tags, node.value, strict=True):
            if (m := rules.tag_problem(tag)) is not None:
                self.report(tag_node, m)
            elif rules.tag_key(tag) in seen:
                self.report(tag_node, f"tag '{tag}' is listed twice")
            seen.add(rules.tag_key(tag))

    def questions(self, node: yaml.Node) -> list[Question] | None:
        if not self.usable(node, _SEQ):
            return None
        if not isinstance(node, yaml.SequenceNode):
            self.report(node, f"'questions' must be a list of questions, found {_describe(node)}; "
                              "start each question with '- id: ...'")
            return None
        if not node.value:
            self.report(node, "'questions' is empty; add at least one question")
            return None
        questions = [self.question(item) for item in node.value]
        return [q for q in questions if q is not None] if all(questions) else None

    def question(self, node: yaml.Node) -> Question | None:
        errors_before = len(self.problems) + self.unreported
        entries = self.mapping(node, "question", QUESTION_KEYS, REQUIRED_QUESTION_KEYS)
        if entries is None:
            return None
        values: dict[str, object] = {}
        for key, (_, value_node) in entries.items():
            if key in LIST_KEYS:
                values[key] = self.text_list(value_node, key)
            else:
                values[key] = self.text(value_node, key, optional=key == "setup")
        identifier = values.get("id")
        if isinstance(identifier, str):
            id_node = entries["id"][1]
            if (m := rules.id_problem(identifier)) is not None:
                self.report(id_node, m)
            elif identifier in self.id_places:
                first = self.id_places[identifier]
                self.report(id_node, f"duplicate id '{identifier}' (first used at line "
                                     f"{first.line}); every question needs its own id")
            else:
                self.id_places[identifier] = _at(id_node)
        tags = values.get("tags")
        if isinstance(tags, tuple):
            self.check_tags(tags, entries["tags"][1])
        if len(self.problems) + self.unreported > errors_before:
            return None
        return Question(**values)  # type: ignore[arg-type]


def _is_blank(node: yaml.Node) -> bool:
    """An empty value: ``key:`` with nothing after it, or a blank text."""
    return type(node) is yaml.ScalarNode and (
        node.tag == "tag:yaml.org,2002:null" or (node.tag == _STR and not node.value.strip()))


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping (key: value pairs)"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if node.tag == _STR:
        return f"the text '{_shorten(node.value)}'"
    return _TAG_NAMES.get(node.tag, f"a value tagged {node.tag}")


def _shorten(value: str, limit: int = 40) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"
