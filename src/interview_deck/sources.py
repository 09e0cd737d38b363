"""YAML deck files to model objects, with every problem located by file, line and column.

The loader composes each file into YAML nodes once (libyaml's C parser when present) and builds
the model straight from those nodes, so line numbers cost nothing extra on the happy path.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import rules
from .errors import DeckError, Problem
from .model import Deck, Question

try:  # libyaml is an optional part of PyYAML; the pure-Python loader gives the same nodes.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

YAML_SUFFIXES = (".yaml", ".yml")
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 32
MAX_PROBLEMS = 100

DECK_KEYS = ("deck", "description", "questions")
QUESTION_KEYS = ("id", "question", "purpose", "setup", "variations", "instead_of", "tags")
REQUIRED_DECK_KEYS = ("deck", "questions")
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
# Runs of nesting openers ("[", "{", "- ", "? ") that no deck needs: refused before parsing,
# because the C composer recurses once per level.
_DEEP_NESTING = re.compile(rb"(?:(?:[\[{]|[-?](?=[ \t]))[ \t]*){%d}" % MAX_DEPTH)


def find_sources(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """Expand files and folders into the YAML files to read, sorted within each folder."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*") if p.suffix.lower() in YAML_SUFFIXES and p.is_file()
            )
            if not found:
                problems.append(
                    Problem(str(path), 0, 0, "folder has no .yaml or .yml files")
                )
            files.extend(found)
        elif path.is_file():
            files.append(path)
        elif path.exists():
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


@dataclass(frozen=True, slots=True)
class ParsedFile:
    """What one deck file gave: its deck (None when it has problems), problems, and id places."""

    deck: Deck | None
    problems: tuple[Problem, ...]
    id_places: dict[str, Problem]
    """Where each question id is defined, as a Problem-shaped location (message unused)."""


def load_decks(paths: Iterable[Path | str]) -> tuple[Deck, ...]:
    """Load every deck from ``paths`` (files or folders); raise DeckError listing all problems."""
    files, problems = find_sources(Path(p) for p in paths)
    decks: list[Deck] = []
    first_places: dict[str, Problem] = {}
    for file in files:
        parsed = load_file(file)
        problems.extend(parsed.problems)
        for question_id, place in parsed.id_places.items():
            first = first_places.setdefault(question_id, place)
            if first is not place:
                problems.append(Problem(place.path, place.line, place.column,
                                        f"duplicate id '{question_id}' (also used at "
                                        f"{first.path}:{first.line}:{first.column})"))
        if parsed.deck is not None:
            decks.append(parsed.deck)
    if problems:
        raise DeckError(problems)
    return tuple(decks)


def load_file(path: Path) -> ParsedFile:
    """Read and parse one deck file."""
    name = str(path)
    try:
        with open(path, "rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        return _failed(Problem(name, 0, 0, f"cannot read: {error.strerror or error}"))
    return parse_deck(data, name)


def _failed(problem: Problem) -> ParsedFile:
    return ParsedFile(None, (problem,), {})


def _position(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    column = len(data[data.rfind(b"\n", 0, offset) + 1 : offset].decode("utf-8", "replace")) + 1
    return line, column


def parse_deck(data: bytes, name: str = "<string>") -> ParsedFile:
    """Parse the bytes of one deck file named ``name`` (the name is used in messages)."""
    if len(data) > MAX_FILE_BYTES:
        return _failed(Problem(name, 0, 0, f"file is larger than {MAX_FILE_BYTES // 2**20} MiB; "
                                           "split it into several deck files"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line, column = _position(data, error.start)
        return _failed(Problem(name, line, column,
                               "file is not UTF-8 text; save it with UTF-8 encoding"))
    if not text.strip():
        return _failed(Problem(name, 1, 1,
                               "file is empty; a deck file needs 'deck' and 'questions'"))
    deep = _DEEP_NESTING.search(data)
    if deep:
        line, column = _position(data, deep.start())
        return _failed(Problem(name, line, column, f"nesting deeper than {MAX_DEPTH} levels; "
                                                   "a deck file needs only a few"))
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        return _failed(_syntax_problem(name, text, error))
    except yaml.YAMLError as error:  # pragma: no cover - PyYAML marks every parse error
        return _failed(Problem(name, 1, 1, f"YAML error: {error}"))
    except RecursionError:
        return _failed(Problem(name, 1, 1, "nesting is too deep to read"))
    if root is None:
        return _failed(Problem(name, 1, 1,
                               "file is empty; a deck file needs 'deck' and 'questions'"))
    builder = _Builder(name)
    deck = builder.deck(root)
    places = {qid: Problem(name, at.line, at.column, "") for qid, at in builder.id_places.items()}
    problems = sorted(builder.problems, key=lambda p: (p.line, p.column))
    if builder.unreported:
        problems.append(Problem(name, 0, 0, f"{builder.unreported} more problems not shown; "
                                            "fix the ones above and check again"))
    return ParsedFile(deck, tuple(problems), places)


def _syntax_problem(name: str, text: str, error: yaml.MarkedYAMLError) -> Problem:
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    lines = text.splitlines()
    at = lines[line - 1][column - 1 : column] if 0 < line <= len(lines) else ""
    if at == "\t" or "'\\t'" in str(error.problem):
        message = "tab character: YAML indentation must use spaces, not tabs"
    else:
        problem = (error.problem or "syntax error").strip()
        context = f" {error.context.strip()}" if error.context else ""
        message = f"YAML syntax error: {problem}{context}"
        if "mapping values are not allowed" in problem:
            message += " (a text containing ': ' needs quotes)"
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

    def report(self, node: yaml.Node | _Located, message: str) -> None:
        if len(self.problems) >= MAX_PROBLEMS:
            self.unreported += 1
            return
        where = node if isinstance(node, _Located) else _at(node)
        self.problems.append(Problem(self.name, where.line, where.column, message))

    def _first_visit(self, node: yaml.Node) -> bool:
        # Composed YAML shares one node object for an anchor and all its aliases.
        if id(node) in self.seen_nodes:
            self.report(node, "anchors and aliases (&name / *name) are not supported in deck files; "
                              "write the value out")
            return False
        self.seen_nodes.add(id(node))
        return True

    def mapping(self, node: yaml.Node, what: str, allowed: Sequence[str],
                required: Sequence[str]) -> dict[str, tuple[yaml.Node, yaml.Node]] | None:
        if not isinstance(node, yaml.MappingNode):
            self.report(node, f"{what} must be a mapping of keys to values, found {_describe(node)}")
            return None
        if not self._first_visit(node):
            return None
        entries: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        suggested: set[str] = set()
        for key_node, value_node in node.value:
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
                close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
                suggested.update(close)
                hint = f"; did you mean '{close[0]}'?" if close else (
                    f"; {what} keys are: {', '.join(allowed)}")
                self.report(key_node, f"unknown key '{key}' in {what}{hint}")
                continue
            entries[key] = (key_node, value_node)
        for key in required:
            # A misspelt key already says "did you mean"; a second message would only repeat it.
            if key not in entries and key not in suggested:
                self.report(node, f"{what} is missing required key '{key}'")
        return entries

    def text(self, node: yaml.Node, label: str, *, allow_blank: bool = False) -> str | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == _STR:
            value = node.value.strip()
            if not value and allow_blank:
                return value
            if (message := rules.blank_problem(label, value)) is not None:
                self.report(node, message)
                return None
            return value
        if isinstance(node, yaml.ScalarNode) and node.tag in _TAG_NAMES:
            found = _TAG_NAMES[node.tag]
            if node.tag == "tag:yaml.org,2002:null":
                self.report(node, f"'{label}' has no value; write some text after the colon")
            else:
                self.report(node, f"'{label}' must be text, found {found} ({node.value}); "
                                  f"put it in quotes: \"{node.value}\"")
            return None
        self.report(node, f"'{label}' must be text, found {_describe(node)}")
        return None

    def text_list(self, node: yaml.Node, label: str) -> tuple[str, ...] | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null":
            return ()
        if not isinstance(node, yaml.SequenceNode):
            self.report(node, f"'{label}' must be a list, found {_describe(node)}; "
                              f"write each item on its own line starting with '- '")
            return None
        if not self._first_visit(node):
            return None
        items: list[str] = []
        ok = True
        for item in node.value:
            value = self.text(item, f"{label} item")
            if value is None:
                ok = False
            else:
                items.append(value)
        return tuple(items) if ok else None

    def deck(self, root: yaml.Node) -> Deck | None:
        if not isinstance(root, yaml.MappingNode):
            self.report(root, "a deck file must be a mapping with the keys 'deck', 'description' "
                              f"and 'questions'; found {_describe(root)}")
            return None
        entries = self.mapping(root, "deck file", DECK_KEYS, REQUIRED_DECK_KEYS)
        if entries is None:
            return None
        name = description = None
        if "deck" in entries:
            node = entries["deck"][1]
            name = self.text(node, "deck")
            if name is not None and (m := rules.deck_name_problem(name)) is not None:
                self.report(node, m)
                name = None
        description = ""
        if "description" in entries:
            description = self.text(entries["description"][1], "description", allow_blank=True)
        questions: list[Question] | None = None
        if "questions" in entries:
            questions = self.questions(entries["questions"][1])
        if name is None or description is None or questions is None or self.problems:
            return None
        return Deck(name=name, description=description, questions=tuple(questions),
                    source=self.name)

    def questions(self, node: yaml.Node) -> list[Question] | None:
        if not isinstance(node, yaml.SequenceNode):
            self.report(node, f"'questions' must be a list of questions, found {_describe(node)}; "
                              "start each question with '- id: ...'")
            return None
        if not self._first_visit(node):
            return None
        if not node.value:
            self.report(node, "'questions' is empty; add at least one question")
            return None
        questions = [self.question(item) for item in node.value]
        return [q for q in questions if q is not None] if all(questions) else None

    def question(self, node: yaml.Node) -> Question | None:
        entries = self.mapping(node, "question", QUESTION_KEYS, REQUIRED_QUESTION_KEYS)
        if entries is None:
            return None
        errors_before = len(self.problems)
        values: dict[str, object] = {}
        for key, (key_node, value_node) in entries.items():
            if key in LIST_KEYS:
                values[key] = self.text_list(value_node, key)
            else:
                values[key] = self.text(value_node, key)
        identifier = values.get("id")
        if isinstance(identifier, str):
            id_node = entries["id"][1]
            if (m := rules.id_problem(identifier)) is not None:
                self.report(id_node, m)
            elif identifier in self.id_places:
                first = self.id_places[identifier]
                self.report(id_node, f"duplicate id '{identifier}' "
                                     f"(first used at {self.name}:{first.line}:{first.column})")
            else:
                self.id_places[identifier] = _at(id_node)
        tags = values.get("tags")
        if isinstance(tags, tuple):
            tag_nodes = entries["tags"][1].value
            seen: dict[str, int] = {}
            for tag, tag_node in zip(tags, tag_nodes):
                if (m := rules.tag_problem(tag)) is not None:
                    self.report(tag_node, m)
                elif tag.casefold() in seen:
                    self.report(tag_node, f"tag '{tag}' is listed twice")
                seen[tag.casefold()] = 1
        if len(self.problems) > errors_before or any(v is None for v in values.values()):
            return None
        if not all(k in values for k in REQUIRED_QUESTION_KEYS):
            return None
        return Question(**values)  # type: ignore[arg-type]


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping (key: value pairs)"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if node.tag == _STR:
        return f"the text '{_shorten(node.value)}'"
    return _TAG_NAMES.get(node.tag, node.tag)


def _shorten(value: str, limit: int = 40) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"
