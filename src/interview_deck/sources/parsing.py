"""The bytes of one deck file to YAML nodes (one libyaml parse when present), or the one
located problem that stops it: encoding, size, syntax. Anchors and aliases are seen in the
parser's own events, so every file is parsed once, by one parser."""

from __future__ import annotations

import sys
from typing import Any

import yaml

from ..errors import Problem

__all__ = ["ALIAS_MESSAGE", "LOADER", "MAX_FILE_BYTES", "AliasNode", "compose", "compose_file"]

try:  # libyaml is an optional part of PyYAML; the pure-Python loader gives the same nodes.
    from yaml import CSafeLoader as LOADER
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as LOADER  # type: ignore[assignment]

MAX_FILE_BYTES = 64 * 1024 * 1024
_BOM = b"\xef\xbb\xbf"
ALIAS_MESSAGE = ("anchors and aliases (&name / *name) are not supported in deck files; "
                 "write the value out")


class AliasNode(yaml.ScalarNode):
    """Stands where an alias (*name) was written, instead of the node it refers to."""


MAX_DEPTH = 1000
"""Lists and mappings inside each other: a deck file needs five levels. libyaml stops at 1000
with its own located error; this bounds the pure-Python parser the same way."""


class _TooDeep(Exception):
    """Nesting deeper than MAX_DEPTH, at ``mark``."""

    def __init__(self, mark: Any) -> None:
        super().__init__()
        self.mark = mark


class _Composer(yaml.composer.Composer, LOADER):
    """One libyaml parse, composed in Python so that the events' anchors and aliases are seen:
    an alias becomes an AliasNode at its own place (never the shared node, so an alias bomb
    costs nothing), and every anchor is remembered with where it stands."""

    def __init__(self, text: str) -> None:
        LOADER.__init__(self, text)
        yaml.composer.Composer.__init__(self)
        self.anchored: dict[str, list[Any]] = {}
        self.aliased: set[str] = set()
        self.depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            alias: Any = self.get_event()
            self.aliased.add(alias.anchor)
            return AliasNode("alias", alias.anchor, alias.start_mark, alias.end_mark)
        event: Any = self.peek_event()
        if event.anchor is not None:
            self.anchored.setdefault(event.anchor, []).append(event.start_mark)
        # No anchor is passed on: nothing ever refers to a node a second time.
        unnamed: Any = None
        if isinstance(event, yaml.ScalarEvent):
            return self.compose_scalar_node(unnamed)
        if self.depth >= MAX_DEPTH:
            raise _TooDeep(event.start_mark)
        self.depth += 1
        if isinstance(event, yaml.SequenceStartEvent):
            node: yaml.Node = self.compose_sequence_node(unnamed)
        else:
            node = self.compose_mapping_node(unnamed)
        self.depth -= 1
        return node

    def lone_anchors(self, name: str) -> list[Problem]:
        """An anchor that no alias uses (or one given twice) is reported where it stands."""
        return [Problem(name, mark.line + 1, mark.column + 1, ALIAS_MESSAGE)
                for anchor, marks in self.anchored.items()
                for index, mark in enumerate(marks) if anchor not in self.aliased or index]


def compose(data: bytes, name: str) -> yaml.Node | Problem:
    """The root node of the deck file ``data`` (named ``name`` in messages), or the problem
    that keeps it from being read."""
    return compose_file(data, name)[0]


def compose_file(data: bytes, name: str) -> tuple[yaml.Node | Problem, list[Problem]]:
    """The root node of the deck file ``data`` (or the problem that keeps it from being read),
    and the anchors that no alias uses, each a located problem (the builder reports aliases)."""
    if len(data) > MAX_FILE_BYTES:
        return Problem(name, 0, 0, f"file is larger than {MAX_FILE_BYTES // 2**20} MiB; "
                                   "split it into several deck files"), []
    if data.startswith(_BOM):
        data = data[len(_BOM):]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _position(data, error.start)
        return Problem(name, line, column,
                       "file is not UTF-8 text; save it with UTF-8 encoding"), []
    if not text.strip():
        return Problem(name, 1, 1, "file is empty; a deck file needs at least 'questions' "
                                   "(see the README)"), []
    # Without '&' or '*' there is no anchor or alias: libyaml composes in C (the same parse, the
    # same nodes, a tenth less time on a 10k deck); otherwise the events are composed in Python.
    loader = _Composer(text) if "&" in text or "*" in text else LOADER(text)
    # Two Python frames per level of nesting, up to MAX_DEPTH levels.
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 3 * MAX_DEPTH + 500))
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        return _syntax_problem(name, text, error), []
    except yaml.reader.ReaderError as error:
        line, column = _text_position(text, error.position)
        return Problem(name, line, column,
                       f"control character U+{error.character:04X} is not allowed; remove it"
                       if isinstance(error.character, int) else f"YAML error: {error.reason}"
                       ), []
    except _TooDeep as error:
        return Problem(name, error.mark.line + 1, error.mark.column + 1,
                       "nesting is too deep; a deck file needs only a few levels"), []
    except RecursionError:
        return Problem(name, 1, 1, "nesting is too deep; a deck file needs only a few levels"), []
    finally:
        sys.setrecursionlimit(limit)
        loader.dispose()
    if root is None:
        return Problem(name, 1, 1, "file has only comments; a deck file needs at least "
                                   "'questions' (see the README)"), []
    return root, loader.lone_anchors(name) if isinstance(loader, _Composer) else []


def _position(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    column = len(data[data.rfind(b"\n", 0, offset) + 1 : offset].decode("utf-8", "replace")) + 1
    return line, column


def _text_position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


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
    ("", "duplicate anchor", False, ALIAS_MESSAGE),
    ("", "undefined alias", False, ALIAS_MESSAGE),
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

