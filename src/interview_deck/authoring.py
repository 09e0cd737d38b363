"""Adding a question to a deck file: validated first, appended without disturbing the rest."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

import yaml

from . import rules
from .errors import DeckError, InterviewDeckError, Problem
from .model import Question
from .output import write_atomically
from .sources import DEFAULT_DECK, LOADER, parse_deck


def unique_id(text: str, taken: Collection[str]) -> str:
    """A readable id from the first words of ``text`` that no question in ``taken`` uses."""
    base = rules.slugify(text) or "question"
    candidate, number = base, 2
    while candidate in taken:
        candidate = f"{base}-{number}"
        number += 1
    return candidate


def question_yaml(question: Question, indent: int) -> str:
    """``question`` as one YAML list item, indented by ``indent`` spaces."""
    data: dict[str, object] = {"id": question.id, "question": question.question,
                               "purpose": question.purpose}
    if question.setup:
        data["setup"] = question.setup
    for key in ("variations", "instead_of", "tags"):
        if getattr(question, key):
            data[key] = list(getattr(question, key))
    text = yaml.dump([data], Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    pad = " " * indent
    return "".join(pad + line if line.strip() else line for line in text.splitlines(True))


def add_question(path: Path, question: Question, *, taken: Collection[str] = (),
                 deck_name: str | None = None) -> None:
    """Append ``question`` to the deck file at ``path`` (created if missing), atomically.

    ``taken`` holds the ids used by every other source. The new file content is checked before
    anything is written; on any problem DeckError is raised and the file is left as it was.
    """
    name = str(path)
    problems = [Problem(name, 0, 0, m) for m in rules.question_problems(question)]
    if question.id in taken:
        problems.append(Problem(name, 0, 0, f"id '{question.id}' is already used by another "
                                            "question; choose another with --id"))
    if problems:
        raise DeckError(problems)
    try:
        with open(path, encoding="utf-8", newline="") as stream:
            old = stream.read()
    except FileNotFoundError:
        old = ""
    except (OSError, UnicodeDecodeError) as error:
        raise InterviewDeckError(f"{path}: cannot read: {error}") from error
    newline = "\r\n" if "\r\n" in old else "\n"
    new = _with_question(old.replace("\r\n", "\n"), question, deck_name, name)
    parsed = parse_deck(new.encode("utf-8"), name)
    if parsed.problems:
        raise DeckError(parsed.problems)
    write_atomically(path, new.replace("\n", newline).encode("utf-8"))


def _with_question(old: str, question: Question, deck_name: str | None, name: str) -> str:
    if not old.strip():
        header = (
            "# Your own interview questions for interview-deck.\n"
            "# Check with: interview-deck check; build with: interview-deck build\n"
            f"deck: {_scalar(deck_name or DEFAULT_DECK)}\n"
            "questions:\n"
        )
        return header + question_yaml(question, 2)
    parsed = parse_deck(old.encode("utf-8"), name)
    if parsed.problems:
        raise DeckError(parsed.problems)
    root = yaml.compose(old, Loader=LOADER)
    assert root is not None  # parse_deck accepted the file, so it has content
    entries = {key.value: value for key, value in root.value}
    if "questions" not in entries:
        text = old if old.endswith("\n") else old + "\n"
        return text + "questions:\n" + question_yaml(question, 2)
    questions = entries["questions"]
    if questions.flow_style or not questions.value:
        raise InterviewDeckError(
            f"{name}:{questions.start_mark.line + 1}:{questions.start_mark.column + 1}: "
            "'questions' is written in brackets; write it as a block list ('- id: ...' lines) "
            "so that questions can be added"
        )
    lines = old.splitlines(True)
    first = questions.value[0].start_mark
    # The "-" of the first item sets the indentation, whatever spacing follows it.
    indent = lines[first.line].rfind("-", 0, first.column)
    # Insert after the last item's own lines, before comments or keys that follow it.
    last_line = questions.value[-1].end_mark.line
    if questions.value[-1].end_mark.column == 0:
        last_line -= 1
    while last_line >= 0 and _outside_item(lines[last_line], indent):
        last_line -= 1
    head, tail = lines[: last_line + 1], lines[last_line + 1 :]
    if head and not head[-1].endswith("\n"):
        head[-1] += "\n"
    return "".join(head) + question_yaml(question, indent) + "".join(tail)


def _outside_item(line: str, indent: int) -> bool:
    """Blank lines and comments left of the items belong to what follows, not to the list."""
    stripped = line.strip()
    return not stripped or (stripped.startswith("#") and len(line) - len(line.lstrip()) <= indent)


class _Dumper(yaml.SafeDumper):
    """Indents nested lists under their key, as people write them."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _scalar(text: str) -> str:
    return yaml.safe_dump(text, allow_unicode=True, width=1000).removesuffix("\n...\n").strip()
