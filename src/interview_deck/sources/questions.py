"""A question's YAML nodes to a Question: each part read and checked by its kind (text, list,
tags), every problem located."""

from __future__ import annotations

from collections.abc import Sequence

import yaml

from ..model import Question
from ..parts import LIST_KEYS, PARTS, QUESTION_KEYS, REQUIRED_KEYS
from . import rules
from .nodes import SEQ, Located, NodeReader, at, describe, is_blank


class QuestionReader(NodeReader):
    """Reads questions and their parts, remembering where each id is defined."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.id_places: dict[str, Located] = {}

    def part_value(self, key: str, node: yaml.Node, *, blank_removes: bool = False) -> object:
        """The value of the part ``key`` (None when reported); ``blank_removes``: a blank
        optional text is "" (an override removing it)."""
        if key == "tags":
            return self.tags(node)
        if key in LIST_KEYS:
            return self.part_list(node, key)
        if blank_removes and not PARTS[key].required and is_blank(node):
            return ""
        return self.text(node, key, optional=not PARTS[key].required)

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
        values = {key: self.part_value(key, value_node)
                  for key, (_, value_node) in entries.items()}
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
