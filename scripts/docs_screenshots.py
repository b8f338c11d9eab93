"""Regenerate the README pictures from the bundled scenarios.

docs/compare.svg: the ``migplan compare scenarios/xiangtan/*.yaml`` table, recorded by rich;
docs/compare-chart.svg: the comparison chart; docs/report.png: headless Chromium screenshot of
the baseline report. Usage: ``.venv/bin/python scripts/docs_screenshots.py [TIME_LIMIT_S]``
(default 240 s per solve: the baseline needs about that to find a plan).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from rich.console import Console

from planner.report.compare import compare_scenarios, print_comparison, scenario_files, write_comparison
from planner.report.labels import Labels

REPOSITORY = Path(__file__).resolve().parent.parent
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars")


def main(time_limit_s: float) -> None:
    docs = REPOSITORY / "docs"
    docs.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as temporary:
        out = Path(temporary)
        paths, _ = scenario_files(sorted((REPOSITORY / "scenarios" / "xiangtan").glob("*.yaml")))
        outcomes = compare_scenarios(paths, out_dir=out, time_limit_s=time_limit_s)
        labels = Labels("zh")
        console = Console(record=True, width=110)
        print_comparison(outcomes, labels, console)
        console.save_svg(str(docs / "compare.svg"), title="migplan compare scenarios/xiangtan/*.yaml")
        write_comparison(outcomes, labels, out)
        shutil.copy(out / "compare.svg", docs / "compare-chart.svg")
        subprocess.run(["chromium", *CHROMIUM_FLAGS, f"--user-data-dir={out / 'chromium'}",
                        f"--screenshot={docs / 'report.png'}", "--window-size=1400,2400",
                        (out / "baseline" / "report.html").as_uri()], check=True, capture_output=True, timeout=120)


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 240.0)
