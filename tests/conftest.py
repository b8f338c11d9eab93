"""Shared fixtures: the bundled sample and small inventories to break."""

from __future__ import annotations

from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parent.parent
SAMPLE = REPOSITORY / "scenarios" / "xiangtan" / "inventory.yaml"


@pytest.fixture
def sample_path() -> Path:
    return SAMPLE
