"""Shared fixtures: the bundled sample and small inventories to break."""

from __future__ import annotations

from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parent.parent
SAMPLE = REPOSITORY / "scenarios" / "xiangtan" / "inventory.yaml"


@pytest.fixture
def sample_path() -> Path:
    return SAMPLE


@pytest.fixture(autouse=True)
def english_session(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts in English whatever the machine's locale; Chinese tests ask for it."""
    from planner.i18n import set_language

    for variable in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    set_language("en")
