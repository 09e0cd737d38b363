"""One deck file's YAML nodes to a Deck, its overrides and hides, collecting every problem
located on the way."""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from ..errors import Problem
from ..model import Deck, Question
from ..parts import CARD_KEYS, DECK_KEYS, QUESTION_KEYS
from . import rules
from .nodes import SEQ, STR, describe
from .parsing import AliasNode
from .questions import QuestionReader

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


class _Builder(QuestionReader):
    """Turns one file's YAML nodes into a Deck, its overrides and hides, collecting every
    problem on the way."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
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
        # A file with only 'deck' and 'description' describes a deck, such as a parent deck
        # whose questions live in its subdecks.
        if not {"questions", "overrides", "hide", "description"} & (
                entries.keys() | self.suggested):
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
                if key != "id":
                    # An override may remove an optional text, such as a setup.
                    changes[key] = self.part_value(key, value_node, blank_removes=True)
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
