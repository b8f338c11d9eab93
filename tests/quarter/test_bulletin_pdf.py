"""The bulletin prints: `migplan bulletin --pdf` through headless Chromium gives an A4 PDF."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from planner.cli import cli
from tests.prerequisites import missing_prerequisite
from tests.quarter.test_quarter import QUARTER, quarter  # noqa: F401  (module fixture: one quarter's loop)

pytestmark = [pytest.mark.integration, pytest.mark.browser]

A4_POINTS = (595, 842)


def test_the_bulletin_prints_to_an_a4_pdf(quarter: Path) -> None:  # noqa: F811
    if shutil.which("chromium") is None and shutil.which("chromium-browser") is None:
        missing_prerequisite("chromium is not installed (scripts/system-deps installs it)")
    out = quarter / "bulletin-pdf"
    result = CliRunner().invoke(cli, ["bulletin", str(quarter / "q0" / "plan.json"), str(quarter / "q1" / "plan.json"),
                                      str(quarter / "progress" / "scenario.yaml"), "--quarter", QUARTER,
                                      "--progress", str(quarter / "progress" / "progress.json"), "--pdf",
                                      "-o", str(out)])

    assert result.exit_code == 0, result.output
    pdf = (out / "bulletin.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    boxes = {tuple(round(float(number)) for number in box.split()[2:])
             for box in re.findall(rb"/MediaBox\s*\[([^\]]+)\]", pdf) for box in [box.decode()]}
    assert boxes == {A4_POINTS}
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) >= 1
