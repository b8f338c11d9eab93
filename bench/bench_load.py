"""Time loading and validating a 10,000-system inventory from YAML and from a ledger workbook.

Run: ``.venv/bin/python bench/bench_load.py [--systems 10000] [--repeat 3]``. Prints
the best of ``--repeat`` runs; the target for YAML load+validate is under 3 s.
"""

from __future__ import annotations

import argparse
import math
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from inventory.files import load_inventory, write_inventory
from inventory.generate import generate

TARGET_SECONDS = 3.0


def best_of(repeat: int, action: Callable[[], object]) -> float:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return min(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--systems", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    cities = 10  # 10 cities of 1,000 systems: exactly the 10,000 of the benchmark
    per_city = math.ceil(options.systems / cities)

    started = time.perf_counter()
    inventory = generate(cities=cities, systems_per_city=per_city, seed=1)
    generated = time.perf_counter() - started
    print(f"generate   {len(inventory.systems):>6} systems  {generated:6.2f} s")

    with tempfile.TemporaryDirectory() as folder:
        yaml_path = Path(folder) / "inventory.yaml"
        json_path = Path(folder) / "inventory.json"
        xlsx_path = Path(folder) / "ledger.xlsx"
        started = time.perf_counter()
        write_inventory(inventory, yaml_path)
        print(f"write yaml                    {time.perf_counter() - started:6.2f} s  "
              f"({yaml_path.stat().st_size / 1e6:.1f} MB)")
        write_inventory(inventory, json_path)
        started = time.perf_counter()
        write_inventory(inventory, xlsx_path)
        print(f"write xlsx                    {time.perf_counter() - started:6.2f} s  "
              f"({xlsx_path.stat().st_size / 1e6:.1f} MB)")

        yaml_best = best_of(options.repeat, lambda: load_inventory(yaml_path))
        verdict = "ok" if yaml_best < TARGET_SECONDS else f"OVER the {TARGET_SECONDS:.0f} s target"
        print(f"load+validate yaml (best of {options.repeat}) {yaml_best:6.2f} s  {verdict}")
        json_best = best_of(options.repeat, lambda: load_inventory(json_path))
        print(f"load+validate json (best of {options.repeat}) {json_best:6.2f} s  (same document as JSON, for comparison)")
        xlsx_best = best_of(options.repeat, lambda: load_inventory(xlsx_path))
        print(f"import+validate xlsx (best of {options.repeat}) {xlsx_best:6.2f} s")
        assert load_inventory(xlsx_path)[0] == inventory, "xlsx round trip changed the inventory"


if __name__ == "__main__":
    main()
