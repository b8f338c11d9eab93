"""Under CI a missing prerequisite fails instead of skipping (issue 18, tests that would not notice)."""

from __future__ import annotations

import pytest

from tests.prerequisites import missing_prerequisite


def test_a_missing_prerequisite_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="prerequisite missing under CI: chromium"):
        missing_prerequisite("chromium is not installed")


def test_a_missing_prerequisite_skips_on_a_developers_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        missing_prerequisite("chromium is not installed")
