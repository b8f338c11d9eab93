"""Fixtures for tests against the real NetBox sandbox (scripts/netbox-sandbox).

The session brings the sandbox up through the script and, if it was not running before the
session, brings it down again at the end: CI leaves no processes or mounts behind, and a
developer who started it by hand keeps it running.
"""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.integration.ansible_hosts import TestHosts, ansible_test_hosts  # noqa: F401  (session fixture: the SSH test hosts)
from tests.integration.demo_system import DemoSystem

REPO_ROOT = Path(__file__).resolve().parents[2]
SANDBOX_SCRIPT = REPO_ROOT / "scripts" / "netbox-sandbox"
SANDBOX_DIR = Path(os.environ.get("MIGPLAN_CACHE", "/var/cache/migplan")) / "netbox-sandbox"


@dataclass(frozen=True)
class NetBoxSandbox:
    url: str
    token: str
    pidfile_dir: Path

    def __repr__(self) -> str:  # keeps the token out of pytest's failure reports
        return f"NetBoxSandbox(url={self.url!r})"


# A cold build takes 10 minutes on a quiet machine and over 30 on a busy one (the migrations).
SANDBOX_COMMAND_TIMEOUT_S = 5400


def run_sandbox(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the sandbox script; failures must error the test, never skip it.

    The script runs in a session of its own: on a timeout its whole process group is killed,
    so no `netbox migrate` lives on to fight the next build over the database.
    """
    with subprocess.Popen(["bash", str(SANDBOX_SCRIPT), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, start_new_session=True) as process:
        try:
            stdout, stderr = process.communicate(timeout=SANDBOX_COMMAND_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def read_env_file(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    for line in path.read_text().splitlines():
        key, _, value = line.partition("=")
        values[key] = value
    return values


@pytest.fixture()
def demo(ansible_test_hosts: TestHosts, tmp_path: Path) -> Iterator[DemoSystem]:  # noqa: F811  (the session fixture above)
    """The demo system (a legacy and a cloud host with a service and its data) laid out on the test hosts."""
    system = DemoSystem(ansible_test_hosts, tmp_path / "controller")
    system.lay_out()
    yield system
    for role in ("legacy", "cloud"):
        system.stop_service(role)


@pytest.fixture(scope="session")
def netbox() -> Iterator[NetBoxSandbox]:
    # One test session at a time per sandbox: another session's reset would wipe our data
    # mid-test. A second session (another worktree, CI) waits here until the first ends.
    SANDBOX_DIR.mkdir(parents=True, exist_ok=True)
    session_lock = open(SANDBOX_DIR / "test-session.lock", "w")
    fcntl.flock(session_lock, fcntl.LOCK_EX)
    was_running = run_sandbox("status").returncode == 0
    started = run_sandbox("up")
    if started.returncode != 0:
        raise RuntimeError(f"scripts/netbox-sandbox up failed:\n{started.stdout}\n{started.stderr}")
    values = read_env_file(SANDBOX_DIR / "netbox.env")
    yield NetBoxSandbox(url=values["NETBOX_URL"], token=values["NETBOX_TOKEN"], pidfile_dir=SANDBOX_DIR / "run")
    if not was_running:
        run_sandbox("down")
    session_lock.close()


@pytest.fixture
def reset_netbox(netbox: NetBoxSandbox) -> Callable[[], None]:
    """Call it to bring NetBox back to the migrated empty database (the token stays valid)."""

    def reset() -> None:
        result = run_sandbox("reset")
        if result.returncode != 0:
            raise RuntimeError(f"scripts/netbox-sandbox reset failed:\n{result.stderr}")

    return reset


@pytest.fixture
def clean_netbox(netbox: NetBoxSandbox, reset_netbox: Callable[[], None]) -> NetBoxSandbox:
    """The sandbox, reset to an empty database before the test."""
    reset_netbox()
    return netbox
