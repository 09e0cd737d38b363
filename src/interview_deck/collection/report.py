"""The words ``interview-deck sync`` prints: the plan, the summary, and JSON errors."""

from __future__ import annotations

import json
from typing import Any

from ..errors import DeckError
from .apply import SyncReport
from .plan import ALWAYS_COUNTED, PARTS, Plan


def count(number: int, noun: str) -> str:
    """``1 note``, ``2 notes``."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def plan_text(plan: Plan, *, prune: str | None, move_cards: bool) -> str:
    """The plan as printed: the counts, the note type's fate, then each listed part."""
    counts = plan.counts()
    lines = [", ".join(f"{counts[name]} {_short(label)}" for name, _, label in PARTS
                       if counts[name] or name in ALWAYS_COUNTED)]
    if plan.notetype != "unchanged":
        lines.append(f"note type: {plan.notetype}")
    left_note = " (listed only; --prune suspend|delete acts on them)"
    if plan.left_out:
        left_note = (f" (listed only: this selection leaves out {' and '.join(plan.left_out)}; "
                     "--prune acts only on notes whose deck file was read or is gone)")
    notes = {
        "left": "" if prune else left_note,
        "wrong_deck": "" if move_cards else " (listed only; --move-cards moves them)",
    }
    for _, attribute, label in PARTS:
        entries = getattr(plan, attribute)
        if not entries or attribute == "unchanged":
            continue
        lines.append(f"{label}{notes.get(attribute, '')}:")
        width = max(len(entry.id) for entry in entries)
        for entry in entries:
            detail = f"  [{entry.detail}]" if entry.detail else ""
            words = f"  {entry.words}" if entry.words else ""
            lines.append(f"  {entry.id.ljust(width)}{words}{detail}".rstrip())
    return "\n".join(lines)


def _short(label: str) -> str:
    """A part's label without its parenthesis, for the counts line."""
    return label.split(" (")[0]


def idle_text(plan: Plan, *, prune: str | None, move_cards: bool) -> str:
    """What sync says when it has nothing to change: in step, or what stays listed above."""
    left = [e for e in plan.left if not prune or e.detail.startswith("also in")]
    waiting = [(len(plan.edited), "edited in Anki (kept as they are)"),
               (len(plan.conflicting), "conflicting (kept as they are)"),
               (len(left), "left the sources" + ("" if prune else " (--prune acts on them)")),
               (len(plan.unread), "from files not read this time"),
               (len(plan.not_ours), "not from your sources"),
               (0 if move_cards else len(plan.wrong_deck),
                "in the wrong deck (--move-cards moves them)"),
               (len(plan.unbuilt), "in decks no source builds"),
               (len(plan.descriptions_kept), "deck descriptions edited in Anki (kept)")]
    listed = [f"{number} {label}" for number, label in waiting if number]
    if not listed:
        return "Already in step: nothing to change."
    return "Nothing to import or change; listed above: " + ", ".join(listed) + "."


def error_json(error: Exception) -> str:
    """An error as the JSON object ``--json`` prints: ``error``, and ``problems`` for decks."""
    data: dict[str, Any] = {"error": str(error)}
    if isinstance(error, DeckError):
        data["problems"] = [str(problem) for problem in error.problems]
    return json.dumps(data, indent=2, ensure_ascii=False)


def done_text(report: SyncReport) -> str:
    """The one-line summary after a change."""
    plan = report.plan
    parts = [f"{len(plan.new)} added", f"{len(plan.updated)} updated",
             f"{len(plan.unchanged)} unchanged", f"{len(plan.conflicting)} conflicting"]
    if plan.edited:
        parts.append(f"{len(plan.edited)} edited in Anki kept")
    if plan.restored:
        parts.append(f"{count(len(plan.restored), 'note')} unsuspended")
    if plan.descriptions_updated:
        parts.append(f"{count(len(plan.descriptions_updated), 'deck description')} updated")
    if report.pruned_notes:
        parts.append(f"{count(report.pruned_notes, 'note')} {report.pruned}")
    if report.moved_cards:
        parts.append(f"{count(report.moved_cards, 'card')} moved")
    text = ("Synced: " + ", ".join(parts) + ". Anki shows the changes when it opens the "
            "collection; AnkiWeb gets them on its next sync.")
    if report.interrupted:
        text += " (Interrupted after the change was committed: it is complete.)"
    return text
