"""Regenerate the README pictures from the bundled scenarios.

docs/compare.svg: the ``migplan compare scenarios/xiangtan/*.yaml --lang en`` table, recorded by rich;
docs/compare-chart.svg: the comparison chart; docs/report.png: headless Chromium screenshot of
the baseline report. Usage: ``.venv/bin/python scripts/docs_screenshots.py [TIME_LIMIT_S [JOBS]]``
(defaults: 90 s per solve, 2 scenarios at once).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from rich.console import Console

from planner.batch import compare_scenarios, scenario_files
from planner.report.compare import print_comparison, write_comparison
from planner.report.labels import Labels

REPOSITORY = Path(__file__).resolve().parent.parent
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars")


def main(time_limit_s: float, jobs: int) -> None:
    docs = REPOSITORY / "docs"
    docs.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as temporary:
        out = Path(temporary)
        paths, _ = scenario_files(sorted((REPOSITORY / "scenarios" / "xiangtan").glob("*.yaml")))
        outcomes = compare_scenarios(paths, jobs=jobs, out_dir=out, time_limit_s=time_limit_s)
        # English labels: rich's SVG export sets CJK glyphs one cell wide, so Chinese headers overlap there.
        console = Console(record=True, width=110)
        print_comparison(outcomes, Labels("en"), console)
        console.save_svg(str(docs / "compare.svg"), title="migplan compare scenarios/xiangtan/*.yaml --lang en")
        write_comparison(outcomes, Labels("zh"), out)
        shutil.copy(out / "compare.svg", docs / "compare-chart.svg")
        subprocess.run(["chromium", *CHROMIUM_FLAGS, f"--user-data-dir={out / 'chromium'}",
                        f"--screenshot={docs / 'report.png'}", "--window-size=1400,2400",
                        (out / "baseline" / "report.html").as_uri()], check=True, capture_output=True, timeout=120)


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 90.0, int(sys.argv[2]) if len(sys.argv) > 2 else 2)
