"""Make the collections in tests/data/collections/ with older releases of the `anki` package.

Each is what a user of that Anki release has after importing an interview-deck package and
studying: our notes, answered cards, and a Basic note of their own. Run it with the Python of
a virtual environment holding that release (Python 3.11 works for all of them):

    python3 -m venv /tmp/anki-2.1.66 && /tmp/anki-2.1.66/bin/pip install anki==2.1.66
    interview-deck build --no-personal -o /tmp/v1.apkg
    /tmp/anki-2.1.66/bin/python tests/make_old_collections.py make /tmp/v1.apkg \\
        tests/data/collections/anki-2.1.66.anki2

and, after a sync by the current package, check that the old release still opens it:

    /tmp/anki-2.1.66/bin/python tests/make_old_collections.py check COLLECTION

Only the standard library and `anki` are used: the old environments do not hold interview-deck.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path


def make(package: str, target: str) -> None:
    from anki.collection import Collection
    from anki.scheduler.v3 import CardAnswer

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "collection.anki2"
        col = Collection(str(path))
        try:
            from anki.collection import ImportAnkiPackageRequest
        except ImportError:  # before 23.10: no options, the defaults
            col.import_anki_package(package)
        else:
            options = col._backend.get_import_anki_package_presets()
            col.import_anki_package(ImportAnkiPackageRequest(package_path=package,
                                                             options=options))
        basic = col.models.by_name("Basic")
        assert basic is not None
        note = col.new_note(basic)
        note["Front"] = "A card of my own"
        note["Back"] = "salary-opener, Interview Question (interview-deck)"
        note.tags = ["interview-deck", "culture"]
        col.add_note(note, col.decks.id("Interview Questions::Questions to Ask"))
        for card_id in col.find_cards('"note:Interview Question (interview-deck)"')[:6]:
            card = col.get_card(card_id)
            card.start_timer()
            states = col._backend.get_scheduling_states(card.id)
            answer = col.sched.build_answer(card=card, states=states, rating=CardAnswer.GOOD)
            col.sched.answer_card(answer)
        col.close()
        shutil.copyfile(path, target)
    print(json.dumps(describe(target)))


def describe(target: str) -> dict[str, object]:
    from anki.collection import Collection

    # A copy: opening a collection creates its media folder beside it.
    folder = tempfile.mkdtemp()
    copy = Path(folder) / "collection.anki2"
    shutil.copyfile(target, copy)
    col = Collection(str(copy))
    try:
        db = col.db
        assert db is not None
        return {
            "ver": db.scalar("select ver from col"),
            "notes": col.note_count(),
            "cards": col.card_count(),
            "reviews": db.scalar("select count() from revlog"),
            "suspended": db.scalar("select count() from cards where queue = -1"),
            "decks": sorted(d.name for d in col.decks.all_names_and_ids()),
        }
    finally:
        col.close()
        shutil.rmtree(folder)


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2], sys.argv[3])
    else:
        # Opening is the check: Anki refuses a collection it cannot read.
        print(json.dumps(describe(sys.argv[2])))
