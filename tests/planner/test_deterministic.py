"""The model handed to HiGHS is the same in every run: no row, column or term order may follow Python's
string hashing (PYTHONHASHSEED). With a time limit, the plan depends on that order."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FINGERPRINT = """
import hashlib
import highspy
import numpy as np
from inventory.generate import baseline_scenario, generate
from models.scenario import Scenario
from planner.build import create_model
from planner.data import planning_data
from planner.highs import pass_model
from planner.model import Elastic

inventory = generate(cities=2, systems_per_city=60, seed=3)
scenario = Scenario.model_validate(baseline_scenario(inventory, "inventory.yaml"))
model = create_model(planning_data(inventory, scenario), Elastic(targets=True))
highs = highspy.Highs()
highs.setOptionValue("output_flag", False)
pass_model(model.prob, highs)
lp = highs.getLp()
digest = hashlib.sha256()
for array in (lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_, lp.col_cost_, lp.col_lower_,
              lp.col_upper_, lp.row_lower_, lp.row_upper_):
    digest.update(np.asarray(array).tobytes())
digest.update("\\n".join(var.name for var in model.prob.variables()).encode())
digest.update("\\n".join(model.prob.constraints).encode())
print(digest.hexdigest())
"""


def fingerprint(hash_seed: str) -> str:
    environment = {**os.environ, "PYTHONHASHSEED": hash_seed}
    result = subprocess.run([sys.executable, "-c", FINGERPRINT], cwd=ROOT, env=environment, capture_output=True,
                            text=True, check=True)
    return result.stdout.strip()


def test_the_model_does_not_depend_on_the_hash_seed() -> None:
    fingerprints = {fingerprint(seed) for seed in ("1", "2", "3")}
    assert len(fingerprints) == 1, fingerprints
