"""Show cards in the real Anki desktop app (aqt) and record what its reviewer draws.

Run under an X server (Xvfb), in a throwaway base folder, never the user's own:

    xvfb-run -a python tests/anki_desktop.py PACKAGE.apkg OUT_DIR

Anki starts with a fresh profile, imports the package with the default options, then shows
every card's front and back in its reviewer, in light and night mode, at desktop and phone
width. For each side it writes a PNG of the reviewer's web view and a line in
``OUT_DIR/sides.json``: the visible text, the page's widths (to find horizontal overflow),
the body's classes and background colour. test_desktop.py reads that file.

It prints its progress on stderr. A run that gets stuck ends with exit 3, a screenshot of what
was on the screen and the stacks: the time limit is STARTUP_SECONDS to import, then
SECONDS_PER_SIDE for each side it has to show (the bundled decks have over a thousand).
"""

from __future__ import annotations

import faulthandler
import json
import os
import shutil
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

# Window widths whose reviewer web view is about this wide (the phone: an iPhone SE's 375 px).
WIDTHS = {"desktop": 800, "phone": 375}
MODES = ("light", "night")
STARTUP_SECONDS = 150
SECONDS_PER_SIDE = 1.0  # about 0.2 s on a busy 2-core machine
PROBE_SECONDS = 2
# Anki replaces sys.stderr with its own error handler (which would show dialogs): progress and
# the stacks of a stuck run go to the real one.
_TERMINAL = sys.__stderr__

# The parts of a card that make its kind recognisable, each with its place (in px from the
# top of the card) and colours: the kind's label, the bar beside what the front shows, the
# question, the setup, the weak question, the prompt and what to recall. The preview page is
# probed with the same function (test_desktop.py).
PARTS = """(root, qa) => {
  const origin = qa.getBoundingClientRect().top;
  const chosen = '.kind, .cue, .question, .setup, .weak, .prompt, .recall li';
  return [...root.querySelectorAll(chosen)].map(el => {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return {part: el.className, top: box.top - origin, bottom: box.bottom - origin,
            color: style.color, background: style.backgroundColor,
            bar: style.borderLeftStyle === 'none' ? '' : style.borderLeftColor};
  });
}"""

# What the reviewer shows, measured after it has faded the card in.
PROBE = """(() => {
  const parts = """ + PARTS + """;
  const qa = document.getElementById('qa');
  const root = document.scrollingElement || document.documentElement;
  return JSON.stringify({
    answer: !!document.getElementById('answer'),
    ready: !!qa && qa.innerHTML.length > 0 && getComputedStyle(qa).opacity === '1',
    text: qa ? qa.innerText : '',
    scrollWidth: root.scrollWidth, clientWidth: root.clientWidth,
    viewport: window.innerWidth,
    height: qa ? qa.getBoundingClientRect().height : 0,
    bodyClass: document.body.className,
    htmlClass: document.documentElement.className,
    background: getComputedStyle(document.body).backgroundColor,
    color: getComputedStyle(document.body).color,
    parts: qa ? parts(document, qa) : [],
  });
})()"""


def main(package: Path, out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    deadline = _Deadline(out)
    deadline.extend(STARTUP_SECONDS)
    base = Path(tempfile.mkdtemp(prefix="anki-base-"))
    # Anki hands its work to an instance already running for the same key: never share one.
    os.environ["ANKI_SINGLE_INSTANCE_KEY"] = f"interview-deck-{os.getpid()}-{base.name}"
    # Chromium inside Qt refuses to run as root with its sandbox; no GPU under Xvfb.
    os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox --disable-gpu")
    os.environ["QTWEBENGINE_DISABLE_SANDBOX"] = "1"
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")

    import aqt
    from aqt import gui_hooks
    from aqt.profiles import ProfileManager

    def first_run(self: ProfileManager, _index: int) -> None:
        # A fresh base folder asks for the language in a modal dialog: answer English, and
        # don't ask the network for updates.
        self.setLang("en_US")
        self.set_update_check(False)

    ProfileManager.setDefaultLang = first_run  # type: ignore[method-assign]

    status = {"code": 1}

    def start() -> None:
        from aqt import mw
        from aqt.qt import QTimer

        steps = _session(mw, package, out, deadline.extend)

        def step(result: object = None) -> None:
            try:
                action = steps.send(result)
            except StopIteration:
                status["code"] = 0
                mw.unloadProfileAndExit()
                return
            except Exception:
                traceback.print_exc()
                mw.unloadProfileAndExit()
                return
            action(step)

        QTimer.singleShot(0, lambda: step(None))

    gui_hooks.main_window_did_init.append(deadline.watch)
    gui_hooks.profile_did_open.append(start)
    try:
        aqt._run(argv=[sys.argv[0], "-b", str(base), "-l", "en_US"])
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return status["code"]


Action = Callable[[Callable[[object], None]], None]


class _Deadline:
    """Ends a stuck run: first, while Qt still runs, with a screenshot of each window on the
    screen (exit 3); 20 s later, if Qt itself is stuck, with faulthandler's stacks."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.timer: Any = None
        self.seconds = 0.0

    def extend(self, seconds: float) -> None:
        """Allow ``seconds`` more from now."""
        self.seconds = seconds
        faulthandler.dump_traceback_later(seconds + 20, exit=True, file=_TERMINAL)
        if self.timer is not None:
            self.timer.start(int(seconds * 1000))

    def watch(self) -> None:
        """Start the screenshot timer (Qt's main window exists now)."""
        from aqt.qt import QTimer

        self.timer = QTimer()
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.report)
        self.timer.start(int(self.seconds * 1000))

    def report(self) -> None:
        from aqt.qt import QApplication

        for number, window in enumerate(QApplication.topLevelWidgets()):
            if window.isVisible():
                print(f"stuck with window {window.windowTitle()!r}", file=_TERMINAL)
                window.grab().save(str(self.out / f"stuck-{number}.png"))
        os._exit(3)


def _session(mw: Any, package: Path, out: Path,
             extend: Callable[[float], None]) -> Iterator[Action]:
    """The steps, as a generator: each yields an action that calls back with its result."""
    from anki.collection import ImportAnkiPackageRequest
    from aqt.qt import QTimer
    from aqt.theme import Theme

    def wait(ms: int) -> Action:
        return lambda done: QTimer.singleShot(ms, lambda: done(None))

    def probe() -> Action:
        """What the page shows now; nothing if it does not answer within 2 s (a reload can
        drop a pending callback), so that the caller tries again instead of waiting forever."""

        def run(done: Callable[[object], None]) -> None:
            answered = []

            def answer(result: object) -> None:
                if not answered:
                    answered.append(True)
                    done(result)

            mw.web.evalWithCallback(PROBE, lambda r: answer(json.loads(r) if r else None))
            QTimer.singleShot(PROBE_SECONDS * 1000, lambda: answer(None))

        return run

    def show(card: Any, side: str) -> Iterator[Action]:
        """Show one side in the reviewer; try again while its page is still (re)loading."""
        wanted = f"card{card.ord + 1}"
        for _attempt in range(10):
            # The reviewer has no public "show this card": set its card as nextCard() does.
            mw.reviewer.card = card
            mw.reviewer.state = "question" if side == "front" else "answer"
            if side == "front":
                mw.reviewer._showQuestion()
            else:
                mw.reviewer._showAnswer()
            for _ in range(40):
                yield wait(50)
                seen = yield probe()
                if seen is None:
                    print(f"no answer from the reviewer for {card.id} {side}", file=_TERMINAL)
                    break
                if (seen["ready"] and wanted in seen["bodyClass"].split()
                        and seen["answer"] == (side == "back")):
                    yield wait(100)  # let fonts and layout settle after the fade-in
                    settled = yield probe()
                    if settled is not None:
                        return settled
        raise RuntimeError(f"the reviewer never showed {card.id} {side}")

    col = mw.col
    options = col._backend.get_import_anki_package_presets()
    col.import_anki_package(
        ImportAnkiPackageRequest(package_path=str(package.resolve()), options=options))
    card_ids = col.find_cards("", order="c.nid, c.ord")
    cards = [col.get_card(cid) for cid in card_ids]
    did = cards[0].did
    col.decks.select(did)
    mw.show()
    records = []
    total = len(cards) * 2 * len(MODES) * len(WIDTHS)
    extend(STARTUP_SECONDS + SECONDS_PER_SIDE * total)
    print(f"Imported {len(cards)} cards: showing {total} sides "
          f"(limit {STARTUP_SECONDS + SECONDS_PER_SIDE * total:.0f} s)", file=_TERMINAL,
          flush=True)
    every = max(total // 20, 1)
    for mode in MODES:
        mw.set_theme(Theme.DARK if mode == "night" else Theme.LIGHT)
        for size, width in WIDTHS.items():
            mw.resize(max(width, 600), 900)
            mw.web.setFixedWidth(width)
            mw.moveToState("review")
            for card in cards:
                note = card.note()
                for side in ("front", "back"):
                    seen = yield from show(card, side)
                    name = card.template()["name"]
                    stem = f"{note['Id']}-{name.replace(' ', '_')}-{side}-{mode}-{size}"
                    image = mw.web.grab().toImage()
                    image.save(str(out / f"{stem}.png"))
                    seen.update(id=note["Id"], card=name, side=side, mode=mode, size=size,
                                webWidth=mw.web.width(), png=f"{stem}.png",
                                luminance=_luminance(image),
                                html=card.question() if side == "front" else card.answer())
                    records.append(seen)
                    if len(records) % every == 0 or len(records) == total:
                        print(f"{len(records)}/{total} sides ({mode}, {size})",
                              file=_TERMINAL, flush=True)
            mw.moveToState("deckBrowser")
            yield wait(100)
    (out / "sides.json").write_text(json.dumps(records, indent=1), encoding="utf-8")


def _luminance(image: Any) -> float:
    """Mean luminance (0 to 255) of the image, sampled every 10 pixels."""
    samples = [image.pixelColor(x, y) for x in range(0, image.width(), 10)
               for y in range(0, image.height(), 10)]
    return sum(0.2126 * c.red() + 0.7152 * c.green() + 0.0722 * c.blue()
               for c in samples) / len(samples)


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
