"""Adding a question to a deck file: validated first, appended without disturbing the rest."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from ..errors import DeckError, InterviewDeckError, Problem
from ..model import Deck, Question
from ..output import locked, write_atomically
from ..parts import PARTS, QUESTION_KEYS
from ..paths import personal_dir
from . import rules
from .loading import DEFAULT_DECK, LOADER, defined_ids, find_sources, load_decks, parse_deck
from .slugs import slugify


def unique_id(text: str, taken: Collection[str]) -> str:
    """A readable id from the first words of ``text`` that no question in ``taken`` uses."""
    base = slugify(text) or "question"
    candidate, number = base, 2
    while candidate in taken:
        candidate = f"{base}-{number}"
        number += 1
    return candidate


def question_yaml(question: Question, indent: int) -> str:
    """``question`` as one YAML list item, indented by ``indent`` spaces."""
    data: dict[str, object] = {}
    for key in QUESTION_KEYS:
        value = getattr(question, key)
        if value or PARTS[key].required:
            data[key] = list(value) if PARTS[key].kind == "list" else value
    text = yaml.dump([data], Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    pad = " " * indent
    return "".join(pad + line if line.strip() else line for line in text.splitlines(True))


@dataclass(frozen=True, slots=True)
class Added:
    """A question added to a deck file."""

    question: Question
    """The question as written (its id may differ from the one asked for, see add_question)."""

    decks: tuple[Deck, ...]
    """The decks as the next build will load them."""


def add_question(path: Path, question: Question, *, sources: Sequence[Path] = (),
                 taken: Collection[str] = (), deck_name: str | None = None,
                 id_chosen: bool = True) -> Added:
    """Append ``question`` to the deck file at ``path`` (created if missing), atomically.

    The result is checked together with ``sources`` (the other decks it will be built with), as
    ``check`` would: on any problem DeckError is raised and the file is left as it was.
    ``deck_name`` names the deck of a new file; for an existing file it must match its deck.
    ``taken`` are ids already in use (checked first, for a plainer message).
    The file is read and written under a lock, so concurrent adds all land; with
    ``id_chosen=False`` an id that another add has just taken is replaced by a free one.
    """
    name = str(path)
    problems = [Problem(name, 0, 0, m) for m in rules.question_problems(question)]
    if id_chosen and question.id in taken:
        problems.append(Problem(name, 0, 0, f"id '{question.id}' is already used by another "
                                            "question; choose another with --id"))
    if problems:
        raise DeckError(problems)
    with locked(path):
        old = _read_deck_file(path)
        if not id_chosen:
            in_use = set(taken) | ids_in(path)
            if question.id in in_use:
                question = replace(question, id=unique_id(question.question, in_use))
        newline = "\r\n" if "\r\n" in old else "\n"
        new = _with_question(old.replace("\r\n", "\n"), question, deck_name, name)
        decks = _check_with(sources, path, new)
        write_atomically(path, new.replace("\n", newline).encode("utf-8"))
    return Added(question, decks)


def _read_deck_file(path: Path) -> str:
    """The text of the deck file at ``path`` ("" when it does not exist yet); never opens
    anything but a regular file (a FIFO would hang, a device is no deck)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return ""
    except OSError as error:
        raise InterviewDeckError(f"{path}: cannot read: {error.strerror or error}") from error
    if not stat.S_ISREG(mode):
        kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file"
        raise InterviewDeckError(f"{path}: is {kind}; add writes to a deck file (.yaml)")
    try:
        with open(path, encoding="utf-8", newline="") as stream:
            return stream.read()
    except FileNotFoundError:
        return ""
    except UnicodeDecodeError as error:
        raise InterviewDeckError(f"{path}: cannot read: the file is not UTF-8 text") from error
    except OSError as error:
        raise InterviewDeckError(f"{path}: cannot read: {error.strerror or error}") from error


def _check_with(sources: Sequence[Path], path: Path, text: str) -> tuple[Deck, ...]:
    """Load ``sources`` with ``path`` holding ``text``: every problem the next build would see."""
    files, problems = find_sources(sources)
    target = path.resolve()
    others = [file for file in files if file.resolve() != target]
    with tempfile.TemporaryDirectory(prefix="interview-deck-add-") as folder:
        draft = Path(folder) / (path.stem + ".yaml")
        draft.write_text(text, encoding="utf-8")
        decks: tuple[Deck, ...] = ()
        try:
            decks = load_decks([*others, draft])
        except DeckError as error:
            # Name the real file, not the draft, in every message.
            problems.extend(Problem(name.replace(str(draft), str(path)), p.line, p.column,
                                    p.message.replace(str(draft), str(path)))
                            for p in error.problems for name in [p.path])
    if problems:
        raise DeckError(problems)
    return decks


def _is_within(path: Path, sources: Sequence[Path]) -> bool:
    """Whether ``path`` is one of ``sources`` or inside one of its folders."""
    target = path.resolve()
    return any(target == s.resolve() or s.resolve() in target.parents for s in sources)


def _with_question(old: str, question: Question, deck_name: str | None, name: str) -> str:
    root = None
    if old.strip():
        try:
            root = yaml.compose(old, Loader=LOADER)
        except yaml.YAMLError:
            raise DeckError(parse_deck(old.encode("utf-8"), name).problems) from None
    if root is None:  # a new file, or one with only comments
        header = "# Your own interview questions for interview-deck.\n" + _how_to_build(
            Path(name)) + (
            f"deck: {_scalar(deck_name or DEFAULT_DECK)}\n"
            "questions:\n"
        )
        return _joined(old, header + question_yaml(question, 2))
    if not isinstance(root, yaml.MappingNode):
        raise DeckError(parse_deck(old.encode("utf-8"), name).problems)
    entries = {key.value: value for key, value in root.value}
    named = entries.get("deck")
    current = named.value.strip() if isinstance(named, yaml.ScalarNode) else DEFAULT_DECK
    if deck_name is not None and deck_name != current:
        raise InterviewDeckError(f"{name}: its deck is '{current}'; --deck only names the deck "
                                 "of a new file (edit the file to move its questions)")
    lines = old.splitlines(True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    questions = entries.get("questions")
    if questions is None:
        # A new 'questions:' key at the end of the mapping (before a '...' line, if any).
        at = _line_after(root.end_mark, lines)
        return "".join(lines[:at]) + "questions:\n" + question_yaml(question, 2) + "".join(
            lines[at:])
    if isinstance(questions, yaml.SequenceNode) and not questions.flow_style and questions.value:
        # The block list's first "-" sets the indentation, whatever spacing follows it.
        indent = questions.start_mark.column
        # Insert after the last item's own lines, before comments or keys that follow it.
        last_line = questions.value[-1].end_mark.line
        if questions.value[-1].end_mark.column == 0:
            last_line -= 1
        while last_line >= 0 and _outside_item(lines[last_line], indent):
            last_line -= 1
        return ("".join(lines[: last_line + 1]) + question_yaml(question, indent)
                + "".join(lines[last_line + 1 :]))
    empty = (isinstance(questions, yaml.SequenceNode) and not questions.value) or (
        isinstance(questions, yaml.ScalarNode) and questions.tag == "tag:yaml.org,2002:null")
    if empty:
        # 'questions: []' or 'questions:' with nothing: the list starts on the next line.
        line: int = questions.start_mark.line
        text: str = lines[line][: questions.start_mark.column].rstrip() + "\n"
        if isinstance(questions, yaml.SequenceNode):
            rest = lines[line][questions.end_mark.column :]
            text = lines[line][: questions.start_mark.column].rstrip() + rest.rstrip() + "\n"
        return ("".join(lines[:line]) + text + question_yaml(question, 2)
                + "".join(lines[line + 1 :]))
    raise InterviewDeckError(
        f"{name}:{questions.start_mark.line + 1}:{questions.start_mark.column + 1}: "
        "'questions' is written in brackets; write it as a block list ('- id: ...' lines) "
        "so that questions can be added"
    )


def _how_to_build(path: Path) -> str:
    """The header's lines on building: a file in the personal folder is read on every run;
    any other must be named, by its full path so that the command works from any folder."""
    if _is_within(path, [personal_dir()]):
        return ("# interview-deck reads this file on every run (it is in your personal "
                "folder):\n# check with 'interview-deck check', build with "
                "'interview-deck build --open'.\n")
    import shlex

    named = shlex.quote(str(path.absolute()))
    return (f"# Check with: interview-deck check {named}\n"
            f"# Build with: interview-deck build {named} --open\n")


def _line_after(mark: yaml.Mark, lines: list[str]) -> int:
    """The index of the line where text ending at ``mark`` is followed."""
    return mark.line if mark.column == 0 else mark.line + 1


def _joined(old: str, addition: str) -> str:
    if not old:
        return addition
    return old + ("" if old.endswith("\n") else "\n") + addition


def ids_in(path: Path) -> set[str]:
    """The question ids defined in the deck file at ``path`` (none when it does not exist or
    is not a regular file)."""
    try:
        if not path.is_file():
            return set()
    except OSError:
        return set()
    return defined_ids([path])


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
