"""The report in headless Chromium: the charts are in the rendered DOM and the screenshot is not blank."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from models.plan import Plan
from planner.data import PlanningData
from planner.report.html import render_report
from tests.prerequisites import missing_prerequisite

pytestmark = [pytest.mark.integration, pytest.mark.browser]

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync")
KPI_BLUE = (0x25, 0x63, 0xEB)


def _chromium(page: Path, profile: Path, *arguments: str) -> str:
    if CHROMIUM is None:
        missing_prerequisite("chromium is not installed (scripts/system-deps installs it)")
    result = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--window-size=1400,2400", *arguments,
                             page.as_uri()], capture_output=True, text=True, timeout=120, check=True)
    return result.stdout


@pytest.fixture(scope="module")
def sample_page(sample_plan: tuple[Plan, PlanningData], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(render_report(*sample_plan, "zh", datetime(2025, 1, 1)), encoding="utf-8")
    return path


def test_charts_are_drawn_in_the_dom(sample_page: Path, sample_plan: tuple[Plan, PlanningData], tmp_path: Path) -> None:
    targets = sum(len(floors) for floors in sample_plan[1].scenario.targets.floors().values())
    dom = _chromium(sample_page, tmp_path / "profile", "--dump-dom")
    assert "考核指标（按季度）" in dom and "资源池容量使用" in dom
    kpis = dom[dom.index('id="kpis"'):dom.index('id="waves"')]
    assert len(re.findall(r'<polyline class="series"', kpis)) == 3
    assert len(re.findall(r'class="target"', kpis)) == targets  # a marker per year-end target
    assert len(re.findall(r'<rect class="cell"', dom)) > 300  # overview cells and one per scheduled object
    assert len(re.findall(r'<svg class="chart small"', dom)) == 3 * len(sample_plan[1].inventory.clouds)
    assert len(re.findall(r'<rect class="bar"', dom)) > 10


def test_hostile_strings_stay_text_in_the_browser(hostile: tuple[Plan, PlanningData], tmp_path: Path) -> None:
    page = tmp_path / "hostile.html"
    page.write_text(render_report(*hostile, "en", datetime(2025, 1, 1)), encoding="utf-8")
    dom = _chromium(page, tmp_path / "profile", "--dump-dom")
    assert "<img" not in dom and "<b>&amp;" not in dom
    assert "onerror=alert(1)" in dom  # shown as text
    assert len(re.findall(r"<script>", dom)) == 1


def test_screenshot_is_not_blank(sample_page: Path, tmp_path: Path) -> None:
    from PIL import Image

    shot = tmp_path / "report.png"
    _chromium(sample_page, tmp_path / "profile", "--hide-scrollbars", f"--screenshot={shot}")
    image = Image.open(shot).convert("RGB")
    assert image.size == (1400, 2400)
    colours = image.getcolors(maxcolors=1 << 22)
    assert colours is not None and len(colours) > 200  # text, lines, department colours, anti-aliasing
    # The page is mostly near-white background; text, lines, bars and cells are the ink (about 6% here).
    ink = sum(count for count, colour in colours if min(colour) < 200)
    assert ink > 0.02 * 1400 * 2400
    assert any(max(abs(a - b) for a, b in zip(colour, KPI_BLUE)) < 12 for _, colour in colours)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_decision_maker_sections_in_both_languages(sample_plan: tuple[Plan, PlanningData], language: str,
                                                   tmp_path: Path) -> None:
    """The costs table, a page per department with its dependency picture, pool names, the unproven mark."""
    plan, data = sample_plan
    page = tmp_path / f"report-{language}.html"
    page.write_text(render_report(plan, data, language, datetime(2025, 1, 1)), encoding="utf-8")  # type: ignore[arg-type]
    dom = _chromium(page, tmp_path / "profile", "--dump-dom")
    words = {"zh": ("成本构成", "各单位任务清单", "未经证明", "维持现状（规划期）"),
             "en": ("What it costs", "Each department's tasks", "unproven", "staying on premises (horizon)")}[language]
    for word in words:
        assert word in dom, word
    departments_with_systems = {system.department for system in data.inventory.systems}
    assert len(re.findall(r'<article class="dept-page"', dom)) >= len(departments_with_systems) - 1
    assert len(re.findall(r'<svg class="dependencies"', dom)) >= len(departments_with_systems) - 1
    pool = data.inventory.clouds[0]
    assert pool.name in dom[dom.index('id="departments"'):]


def test_report_prints_to_pdf_a_page_per_department(sample_plan: tuple[Plan, PlanningData], sample_page: Path,
                                                    tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    _chromium(sample_page, tmp_path / "profile", f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    document = pdf.read_bytes()
    assert document.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", document))
    pages_of_departments = sample_page.read_text(encoding="utf-8").count('<article class="dept-page"')
    assert pages > pages_of_departments  # each department starts a page of its own, after the report itself
