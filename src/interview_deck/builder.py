"""One deck file's YAML nodes to a Deck, its overrides and hides, collecting every problem
located on the way."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

import yaml

from . import rules
from .errors import Problem
from .model import Deck, Question
from .parsing import ALIAS_MESSAGE, AliasNode
from .parts import CARD_KEYS, DECK_KEYS, LIST_KEYS, PARTS, QUESTION_KEYS, REQUIRED_KEYS

MAX_PROBLEMS = 100
DEFAULT_DECK = "Interview Questions::My Questions"

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


def build_file(root: yaml.Node, name: str) -> ParsedFile:
    """The deck, overrides, hides and problems of the file ``name`` whose root node is ``root``."""
    builder = _Builder(name)
    deck = builder.deck(root)
    places = {qid: Problem(name, at.line, at.column, "") for qid, at in builder.id_places.items()}
    problems = sorted(builder.problems, key=file_order)
    if builder.unreported:
        problems.append(Problem(name, 0, 0, f"{builder.unreported} more problems not shown; "
                                            "fix the ones above and check again"))
    return ParsedFile(deck, tuple(problems), places, tuple(builder.overrides_found),
                      tuple(builder.hidden), builder.deck_place)


def file_order(problem: Problem) -> tuple[bool, int, int]:
    """Problems in the order they stand in the file; those without a line last."""
    return (problem.line == 0, problem.line, problem.column)


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
                root, AliasNode):
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
        if "questions" not in entries:
            for key in ("source", "cards"):
                if key in entries:
                    self.report(entries[key][0], f"'{key}' applies to the questions of this file, "
                                                 "and it has none; an overridden question keeps "
                                                 "its own deck's cards and source")
        description = self.optional_text(entries, "description")
        source = self.optional_text(entries, "source")
        cards: tuple[str, ...] | None = CARD_KEYS
        if "cards" in entries:
            cards = self.cards(entries["cards"][1])
        questions: list[Question] | None = []
        if "questions" in entries:
            questions = self.questions(entries["questions"][1])
        if "overrides" in entries:
            self.overrides(entries["overrides"][1])
        if "hide" in entries:
            self.hide(entries["hide"][1])
        if cards is not None and questions is not None:
            for question in questions:
                if (m := rules.cardless_problem(question, cards)) is not None:
                    self.report(self.id_places[question.id], m)
        if (name is None or description is None or source is None or cards is None
                or questions is None or self.problems):
            return None
        return Deck(name=name, description=description, questions=tuple(questions),
                    source=source, cards=cards, file=self.name)

    def optional_text(self, entries: dict[str, tuple[yaml.Node, yaml.Node]], key: str
                      ) -> str | None:
        """A deck-level text that may be left out or blank (as ""), or None (reported)."""
        if key not in entries:
            return ""
        node = entries[key][1]
        if type(node) is yaml.ScalarNode and node.tag == _STR and not node.value.strip():
            return ""
        return self.text(node, key, optional=True)

    def cards(self, node: yaml.Node) -> tuple[str, ...] | None:
        """The card kinds a deck asks for: known, each once, at least one; every wrong item
        reported."""
        if not self.usable(node, _SEQ):
            return None
        if not isinstance(node, yaml.SequenceNode):
            self.report(node, f"'cards' must be a list, found {_describe(node)}; write the card "
                              f"kinds in brackets: [{', '.join(CARD_KEYS)}]")
            return None
        if not node.value:
            self.report(node, rules.EMPTY_CARDS)
            return None
        kinds: list[str] = []
        wrong = False
        for item in node.value:
            kind = self.text(item, "cards", item_of="cards")
            message = rules.card_kind_problem(kind) if kind is not None else None
            if kind is not None and message is None and kind in kinds:
                message = f"card kind '{kind}' is listed twice"
            if message is not None:
                self.report(item, message)
            if kind is None or message is not None:
                wrong = True
            else:
                kinds.append(kind)
        return None if wrong else tuple(key for key in CARD_KEYS if key in kinds)

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
                elif not PARTS[key].required and _is_blank(value_node):
                    changes[key] = ""  # an override may remove an optional text, e.g. a setup
                else:
                    changes[key] = self.text(value_node, key, optional=not PARTS[key].required)
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
        entries = self.mapping(node, "question", QUESTION_KEYS, REQUIRED_KEYS)
        if entries is None:
            return None
        values: dict[str, object] = {}
        for key, (_, value_node) in entries.items():
            if key in LIST_KEYS:
                values[key] = self.text_list(value_node, key)
            else:
                values[key] = self.text(value_node, key, optional=not PARTS[key].required)
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
