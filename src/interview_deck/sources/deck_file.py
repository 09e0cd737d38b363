"""One deck file's YAML nodes to a Deck, its overrides and hides, collecting every problem
located on the way."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import yaml

from ..errors import Problem
from ..model import Deck, Question
from ..parts import CARD_KEYS, DECK_KEYS, LIST_KEYS, PARTS, QUESTION_KEYS, REQUIRED_KEYS
from . import rules
from .nodes import SEQ, STR, Located, NodeReader, at, describe, is_blank
from .parsing import AliasNode

DEFAULT_DECK = "Interview Questions::My Questions"


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


class _Builder(NodeReader):
    """Turns one file's YAML nodes into a Deck, collecting every problem on the way."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.id_places: dict[str, Located] = {}
        self.deck_place: Problem | None = None
        self.overrides_found: list[Override] = []
        self.hidden: list[tuple[str, Problem]] = []

    def deck(self, root: yaml.Node) -> Deck | None:
        if isinstance(root, (yaml.ScalarNode, yaml.SequenceNode)) and not isinstance(
                root, AliasNode):
            self.report(root, "a deck file must be a mapping with the keys 'deck', 'description' "
                              f"and 'questions'; found {describe(root)}")
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
        if type(node) is yaml.ScalarNode and node.tag == STR and not node.value.strip():
            return ""
        return self.text(node, key, optional=True)

    def cards(self, node: yaml.Node) -> tuple[str, ...] | None:
        """The card kinds a deck asks for: known, each once, at least one; every wrong item
        reported."""
        items = self.text_items(node, "cards", hint="write the card kinds in brackets: "
                                                    f"[{', '.join(CARD_KEYS)}]")
        if items is None:
            return None
        if not items:
            self.report(node, rules.EMPTY_CARDS)
            return None
        kinds: list[str] = []
        wrong = False
        for kind, item in zip(items, node.value, strict=True):
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
        if not self.usable(node, SEQ):
            return
        if not isinstance(node, yaml.SequenceNode):
            self.report(node, f"'overrides' must be a list, found {describe(node)}; start each "
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
                if key == "tags":
                    changes[key] = self.tags(value_node)
                elif key in LIST_KEYS:
                    changes[key] = self.part_list(value_node, key)
                elif not PARTS[key].required and is_blank(value_node):
                    changes[key] = ""  # an override may remove an optional text, e.g. a setup
                else:
                    changes[key] = self.text(value_node, key, optional=not PARTS[key].required)
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

    def part_list(self, node: yaml.Node, key: str) -> tuple[str, ...] | None:
        """A list part of a question (variations, good_signs...): an item given twice is
        reported at its second place."""
        values = self.text_list(node, key)
        if values is not None and isinstance(node, yaml.SequenceNode):
            first: dict[str, int] = {}
            for value, item in zip(values, node.value, strict=True):
                same = rules.text_key(value)
                if same in first:
                    self.report(item, f"'{value}' is listed twice in '{key}' (first at line "
                                      f"{first[same]}); remove one")
                else:
                    first[same] = at(item).line
        return values

    def tags(self, node: yaml.Node) -> tuple[str, ...] | None:
        """The tags of a question or override, each checked (even beside a bad one)."""
        items = self.text_items(node, "tags")
        if items is None:
            return None
        if isinstance(node, yaml.SequenceNode):
            self.check_tags(items, node)
        if any(item is None for item in items):
            return None
        return tuple(item for item in items if item is not None)

    def check_tags(self, tags: Sequence[str | None], node: yaml.SequenceNode) -> None:
        seen: set[str] = set()
        for tag, tag_node in zip(tags, node.value, strict=True):
            if tag is None:
                continue  # reported already
            if (m := rules.tag_problem(tag)) is not None:
                self.report(tag_node, m)
            elif rules.tag_key(tag) in seen:
                self.report(tag_node, f"tag '{tag}' is listed twice")
            seen.add(rules.tag_key(tag))

    def questions(self, node: yaml.Node) -> list[Question] | None:
        if not self.usable(node, SEQ):
            return None
        if not isinstance(node, yaml.SequenceNode):
            self.report(node, f"'questions' must be a list of questions, found {describe(node)}; "
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
            if key == "tags":
                values[key] = self.tags(value_node)
            elif key in LIST_KEYS:
                values[key] = self.part_list(value_node, key)
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
                self.id_places[identifier] = at(id_node)
        if len(self.problems) + self.unreported > errors_before:
            return None
        return Question(**values)  # type: ignore[arg-type]
