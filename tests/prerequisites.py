"""Missing prerequisites: skipped on a developer's machine, a failure in CI.

``make test`` installs Chromium, the Ansible test hosts' packages and the NetBox
sandbox, so under ``CI=true`` a missing one means the set-up broke, and a skip
would hide that every test behind it stopped running.
"""

from __future__ import annotations

import os
from typing import NoReturn

import pytest


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def missing_prerequisite(reason: str) -> NoReturn:
    """Skip the test, or fail it under CI."""
    if in_ci():
        pytest.fail(f"prerequisite missing under CI: {reason}", pytrace=False)
    pytest.skip(reason)
