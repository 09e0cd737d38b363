"""Regenerate the README's picture of the preview: python tests/make_readme_screenshot.py

Renders the bundled deck's preview in Debian's headless Chromium, as the browser tests do.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from interview_deck.exports.preview import preview_html
from interview_deck.selection import bundled_decks

TARGET = Path(__file__).resolve().parents[1] / ".github" / "preview.png"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def main() -> None:
    chromium = shutil.which("chromium")
    if chromium is None:
        sys.exit("needs Debian's chromium package")
    with tempfile.TemporaryDirectory() as folder:
        page_file = Path(folder) / "preview.html"
        page_file.write_text(preview_html(bundled_decks()), encoding="utf-8")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=FLAGS)
            page = browser.new_page(viewport={"width": 1000, "height": 640})
            page.goto(page_file.as_uri() + "#light")
            TARGET.parent.mkdir(exist_ok=True)
            page.screenshot(path=str(TARGET))
            browser.close()
    print(f"wrote {TARGET} ({TARGET.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
