"""Reading YAML nodes as a deck file's values (texts, lists, mappings of known keys), each
problem located where it is written. ``builder`` gives the values their meaning."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

import yaml

from ..errors import Problem
from . import rules
from .parsing import ALIAS_MESSAGE, AliasNode

MAX_PROBLEMS = 100

STR = "tag:yaml.org,2002:str"
_TAG_NAMES = {
    "tag:yaml.org,2002:int": "a number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:bool": "a yes/no value",
    "tag:yaml.org,2002:null": "nothing",
    "tag:yaml.org,2002:timestamp": "a date",
    "tag:yaml.org,2002:binary": "binary data",
}
MAP = "tag:yaml.org,2002:map"
SEQ = "tag:yaml.org,2002:seq"
MERGE = "tag:yaml.org,2002:merge"


@dataclass(frozen=True, slots=True)
class Located:
    line: int
    column: int


def at(node: yaml.Node) -> Located:
    return Located(node.start_mark.line + 1, node.start_mark.column + 1)


class NodeReader:
    """Reads one file's nodes as values, collecting every problem (up to ``MAX_PROBLEMS``)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[Problem] = []
        self.unreported = 0
        self.seen_nodes: set[int] = set()
        self.suggested: set[str] = set()

    def report(self, node: yaml.Node | Located, message: str) -> None:
        if len(self.problems) >= MAX_PROBLEMS:
            self.unreported += 1
            return
        where = node if isinstance(node, Located) else at(node)
        self.problems.append(Problem(self.name, where.line, where.column, message))

    def usable(self, node: yaml.Node, standard_tag: str) -> bool:
        """False (and reported) for aliases, foreign YAML tags and collections seen before."""
        tag = node.tag
        if type(node) is yaml.ScalarNode:  # the common case, checked first: never an alias
            if tag == standard_tag or tag.startswith("tag:yaml.org,2002:"):
                return True
            self.report(node, f"YAML tag '{tag}' is not supported in deck files; remove it")
            return False
        if isinstance(node, AliasNode):
            self.report(node, ALIAS_MESSAGE)
            return False
        if tag != standard_tag and not tag.startswith("tag:yaml.org,2002:"):
            self.report(node, f"YAML tag '{tag}' is not supported in deck files; remove it")
            return False
        # Composed YAML shares one node between an anchor and its aliases. Files with alias
        # syntax take the alias-aware parse; this catches a collection reached twice anyway.
        if id(node) in self.seen_nodes:
            self.report(node, ALIAS_MESSAGE)
            return False
        self.seen_nodes.add(id(node))
        return True

    def mapping(self, node: yaml.Node, what: str, allowed: Sequence[str],
                required: Sequence[str]) -> dict[str, tuple[yaml.Node, yaml.Node]] | None:
        if not self.usable(node, MAP):
            return None
        if not isinstance(node, yaml.MappingNode):
            self.report(node,
                        f"{what} must be a mapping of keys to values, found {describe(node)}")
            return None
        entries: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        suggested: set[str] = set()
        for key_node, value_node in node.value:
            if not self.usable(key_node, STR):
                continue
            if key_node.tag == MERGE:
                self.report(key_node, "merge keys (<<) are not supported in deck files; "
                                      "write the keys out")
                continue
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != STR:
                self.report(key_node, f"keys must be plain words, found {describe(key_node)}")
                continue
            key = key_node.value
            if key in entries:
                first = at(entries[key][0])
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
        if not self.usable(node, STR):
            return None
        what = f"an item of '{item_of}'" if item_of else f"'{label}'"
        if isinstance(node, yaml.ScalarNode) and node.tag == STR:
            value: str = node.value.strip()
            if value and (message := rules.blank_problem(label, value, item=bool(item_of))
                          ) is not None:
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
        self.report(node, f"{what} must be text, found {describe(node)}")
        return None

    def text_list(self, node: yaml.Node, label: str) -> tuple[str, ...] | None:
        items = self.text_items(node, label)
        if items is None or any(item is None for item in items):
            return None
        return tuple(item for item in items if item is not None)

    def text_items(self, node: yaml.Node, label: str,
                   hint: str = "write each item on its own line starting with '- '"
                   ) -> list[str | None] | None:
        """Each item of a list of texts (None for one reported), or None when ``node`` is no
        usable list (reported, with ``hint``): the good items can still be checked beside the
        bad ones. An empty value is an empty list."""
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null":
            return []
        if not self.usable(node, SEQ):
            return None
        if not isinstance(node, yaml.SequenceNode):
            self.report(node, f"'{label}' must be a list, found {describe(node)}; {hint}")
            return None
        return [self.text(item, label, item_of=label) for item in node.value]

    def place(self, node: yaml.Node) -> Problem:
        where = at(node)
        return Problem(self.name, where.line, where.column, "")


def is_blank(node: yaml.Node) -> bool:
    """An empty value: ``key:`` with nothing after it, or a blank text."""
    return type(node) is yaml.ScalarNode and (
        node.tag == "tag:yaml.org,2002:null" or (node.tag == STR and not node.value.strip()))


def describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping (key: value pairs)"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if node.tag == STR:
        return f"the text '{_shorten(node.value)}'"
    return _TAG_NAMES.get(node.tag, f"a value tagged {node.tag}")


def _shorten(value: str, limit: int = 40) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"
