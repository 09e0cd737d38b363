"""What a bug report needs: this package's version and those of what it runs on."""

from __future__ import annotations

import platform
from importlib import metadata

DISTRIBUTION = "interview-deck"


def package_version() -> str:
    """This package's version, as installed (pyproject.toml is the single source)."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:  # pragma: no cover - run from a bare source tree
        return "unknown (not installed)"


def version_report() -> str:
    """Lines naming interview-deck, Python, Click, genanki, PyYAML (with or without libyaml)
    and anki when it is installed; anki is looked up, never imported, so this stays fast."""
    import yaml

    libyaml = "with libyaml" if getattr(yaml, "__with_libyaml__", False) else "pure Python"
    lines = [
        f"interview-deck {package_version()}",
        f"Python {platform.python_version()} ({platform.python_implementation()}, "
        f"{platform.system()} {platform.machine()})",
        f"Click {_installed('click')}",
        f"genanki {_installed('genanki')}",
        f"PyYAML {_installed('PyYAML')} ({libyaml})",
        f"anki {_installed('anki')}",
    ]
    return "\n".join(lines)


def _installed(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"
