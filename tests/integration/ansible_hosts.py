"""Two throw-away SSH hosts for running real playbooks: a legacy server and a cloud VM.

Each host is a network namespace with its own sshd (own config, host key, port and
authorized key, all generated per session). The two namespaces are joined by a veth
pair on a private /30 that exists only inside them, so the legacy host can rsync to
the cloud host the way a real migration would, while nothing is added to the root
namespace: the controller reaches each sshd through `ip netns exec NS socat` as an SSH
ProxyCommand, over the namespace's own loopback.

The namespaces share the machine's filesystem, so each host gets its own directory
(`root`) and the playbooks are told their paths through host vars.

Stdlib only, so `scripts/test-hosts` can run it with any Python 3.11. The pytest
fixture `ansible_test_hosts` (session scope) brings the hosts up and down.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

DEFAULT_STATE_DIR = Path("/tmp/migplan-test-hosts")
SUBNET_ADDRESSES = {"legacy": "10.213.77.1", "cloud": "10.213.77.2"}
SSH_PORTS = {"legacy": 2201, "cloud": 2202}
REQUIRED_COMMANDS = ("ip", "sshd", "ssh-keygen", "socat", "rsync", "sqlite3")


@dataclass(frozen=True)
class TestHost:
    """One SSH host as the playbooks see it."""

    __test__ = False  # a test fixture's data, not a test class

    role: str  # legacy | cloud
    namespace: str
    address: str  # on the /30 between the two namespaces
    port: int
    root: str  # the host's own directory tree on the shared filesystem
    sshd_pid: int

    @property
    def proxy_command(self) -> str:
        return f"ip netns exec {self.namespace} socat - TCP:127.0.0.1:{self.port}"


@dataclass(frozen=True)
class TestHosts:
    """Both hosts plus the per-session keys the playbooks need."""

    __test__ = False

    state_dir: str
    legacy: TestHost
    cloud: TestHost
    controller_key: str  # private key the controller logs in with
    sync_key: str  # private key the legacy host pushes data to the cloud host with
    sync_known_hosts: str  # the cloud host's key, for strict host key checking

    def host(self, role: str) -> TestHost:
        return self.legacy if role == "legacy" else self.cloud

    def connection_vars(self, role: str) -> dict[str, object]:
        """Ansible host vars that reach the given host from the controller."""
        host = self.host(role)
        return {
            "ansible_host": "127.0.0.1",
            "ansible_port": host.port,
            "ansible_user": "root",
            "ansible_ssh_private_key_file": self.controller_key,
            "ansible_ssh_common_args": (
                f"-o ProxyCommand='{host.proxy_command}' "
                "-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null"
            ),
            "ansible_python_interpreter": "/usr/bin/python3",
            # Every session's hosts are 127.0.0.1 on the same ports, seen through different
            # namespaces: a shared SSH control socket would run commands on another
            # session's hosts.
            "ansible_control_path_dir": str(Path(self.state_dir) / "cp"),
        }

    def run_in(self, role: str, command: list[str], check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run a command inside a host's namespace, the way a test inspects the host."""
        return subprocess.run(
            ["ip", "netns", "exec", self.host(role).namespace, *command],
            check=check,
            capture_output=True,
            text=True,
        )


def missing_commands() -> list[str]:
    search_path = os.environ.get("PATH", "") + ":/usr/sbin:/sbin"
    return [name for name in REQUIRED_COMMANDS if shutil.which(name, path=search_path) is None]


def _run(*command: str) -> None:
    subprocess.run(command, check=True, capture_output=True, text=True)


def _keygen(path: Path, comment: str) -> None:
    _run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", str(path))


def _sshd_config(state: Path, role: str, namespace_address: str, port: int) -> Path:
    config = state / role / "sshd_config"
    config.write_text(
        "\n".join(
            [
                f"Port {port}",
                "ListenAddress 127.0.0.1",
                f"ListenAddress {namespace_address}",
                f"HostKey {state / role / 'ssh_host_ed25519_key'}",
                f"PidFile {state / role / 'sshd.pid'}",
                f"AuthorizedKeysFile {state / role / 'authorized_keys'}",
                "PermitRootLogin prohibit-password",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "UsePAM no",
                # The state directory lives under /tmp, which StrictModes refuses.
                "StrictModes no",
                "Subsystem sftp internal-sftp",
                "LogLevel ERROR",
                "",
            ]
        )
    )
    return config


def _wait_for_port(namespace: str, port: int, timeout_s: float = 10.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        probe = subprocess.run(
            ["ip", "netns", "exec", namespace, "socat", "-T1", "/dev/null", f"TCP:127.0.0.1:{port}"],
            capture_output=True,
        )
        if probe.returncode == 0:
            return
        time.sleep(0.1)
    raise RuntimeError(f"sshd in {namespace} did not listen on port {port}")


def up(state_dir: Path = DEFAULT_STATE_DIR) -> TestHosts:
    """Create both hosts; a leftover state from an earlier session is torn down first."""
    absent = missing_commands()
    if absent:
        raise RuntimeError(f"test hosts need {', '.join(absent)} (see scripts/system-deps)")
    if (state_dir / "state.json").exists():
        down(state_dir)
    state_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(state_dir, 0o700)
    Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd's privilege separation directory

    # Unique per call: two sessions (or two up calls) must never share a namespace name.
    suffix = secrets.token_hex(3)
    namespaces = {"legacy": f"mp{suffix}-legacy", "cloud": f"mp{suffix}-cloud"}
    # Record what we create before creating it, so a failure half-way can still be cleaned up.
    partial = {"namespaces": list(namespaces.values()), "pids": []}
    (state_dir / "state.json").write_text(json.dumps(partial))
    try:
        return _bring_up(state_dir, namespaces, suffix)
    except Exception:
        down(state_dir)
        raise


def _bring_up(state_dir: Path, namespaces: dict[str, str], suffix: str) -> TestHosts:
    controller_key = state_dir / "controller_key"
    sync_key = state_dir / "sync_key"
    _keygen(controller_key, "migplan-test-controller")
    _keygen(sync_key, "migplan-test-sync")

    for namespace in namespaces.values():
        _run("ip", "netns", "add", namespace)
        _run("ip", "-n", namespace, "link", "set", "lo", "up")
    veth_legacy, veth_cloud = f"mp{suffix}l", f"mp{suffix}c"
    _run("ip", "link", "add", veth_legacy, "netns", namespaces["legacy"], "type", "veth",
         "peer", "name", veth_cloud, "netns", namespaces["cloud"])
    for role, veth in (("legacy", veth_legacy), ("cloud", veth_cloud)):
        _run("ip", "-n", namespaces[role], "addr", "add", f"{SUBNET_ADDRESSES[role]}/30", "dev", veth)
        _run("ip", "-n", namespaces[role], "link", "set", veth, "up")

    hosts: dict[str, TestHost] = {}
    for role, namespace in namespaces.items():
        host_dir = state_dir / role
        (host_dir / "root").mkdir(parents=True)
        _keygen(host_dir / "ssh_host_ed25519_key", f"migplan-test-{role}")
        authorized = [controller_key.with_suffix(".pub").read_text()]
        if role == "cloud":
            authorized.append(sync_key.with_suffix(".pub").read_text())
        (host_dir / "authorized_keys").write_text("".join(authorized))
        config = _sshd_config(state_dir, role, SUBNET_ADDRESSES[role], SSH_PORTS[role])
        _run("ip", "netns", "exec", namespace, "/usr/sbin/sshd", "-f", str(config))
        _wait_for_port(namespace, SSH_PORTS[role])
        sshd_pid = int((host_dir / "sshd.pid").read_text().strip())
        hosts[role] = TestHost(role, namespace, SUBNET_ADDRESSES[role], SSH_PORTS[role], str(host_dir / "root"), sshd_pid)

    cloud_host_key = (state_dir / "cloud" / "ssh_host_ed25519_key.pub").read_text().split()[:2]
    known_hosts = state_dir / "sync_known_hosts"
    known_hosts.write_text(f"[{SUBNET_ADDRESSES['cloud']}]:{SSH_PORTS['cloud']} {' '.join(cloud_host_key)}\n")

    test_hosts = TestHosts(
        state_dir=str(state_dir),
        legacy=hosts["legacy"],
        cloud=hosts["cloud"],
        controller_key=str(controller_key),
        sync_key=str(sync_key),
        sync_known_hosts=str(known_hosts),
    )
    state = {
        "namespaces": list(namespaces.values()),
        "pids": [hosts["legacy"].sshd_pid, hosts["cloud"].sshd_pid],
        "hosts": asdict(test_hosts),
    }
    (state_dir / "state.json").write_text(json.dumps(state, indent=2))
    return test_hosts


def _namespace_pids(namespace: str) -> list[int]:
    listed = subprocess.run(["ip", "netns", "pids", namespace], capture_output=True, text=True)
    return [int(pid) for pid in listed.stdout.split()] if listed.returncode == 0 else []


def _kill(pids: list[int]) -> None:
    for pid in pids:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            continue
    deadline = time.monotonic() + 5
    for pid in pids:
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        else:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def down(state_dir: Path = DEFAULT_STATE_DIR) -> None:
    """Stop every process in our namespaces (sshd and what the playbooks started), then
    delete the namespaces (which deletes the veth pair) and the state directory."""
    state_file = state_dir / "state.json"
    if not state_file.exists():
        return
    state = json.loads(state_file.read_text())
    pids: list[int] = list(state.get("pids", []))
    for namespace in state.get("namespaces", []):
        pids.extend(pid for pid in _namespace_pids(namespace) if pid not in pids)
    _kill(pids)
    for namespace in state.get("namespaces", []):
        subprocess.run(["ip", "netns", "del", namespace], capture_output=True)
    shutil.rmtree(state_dir, ignore_errors=True)


def load(state_dir: Path = DEFAULT_STATE_DIR) -> TestHosts:
    """The hosts that `up` created, read back from the state file."""
    recorded = json.loads((state_dir / "state.json").read_text())["hosts"]
    return TestHosts(
        state_dir=recorded["state_dir"],
        legacy=TestHost(**recorded["legacy"]),
        cloud=TestHost(**recorded["cloud"]),
        controller_key=recorded["controller_key"],
        sync_key=recorded["sync_key"],
        sync_known_hosts=recorded["sync_known_hosts"],
    )


def _pytest_fixture() -> object:
    """Defined only when pytest is importable, so the module stays usable as a script."""
    import pytest

    from tests.prerequisites import missing_prerequisite

    @pytest.fixture(scope="session")
    def ansible_test_hosts() -> Iterator[TestHosts]:
        if os.geteuid() != 0:
            missing_prerequisite("test hosts need root (network namespaces, sshd)")
        absent = missing_commands()
        if absent:
            missing_prerequisite(f"test hosts need {', '.join(absent)}: run scripts/system-deps")
        # Not under pytest's basetemp: another pytest run on the machine may prune it.
        state_dir = Path(tempfile.mkdtemp(prefix="migplan-test-hosts-"))
        hosts = up(state_dir)
        try:
            yield hosts
        finally:
            down(state_dir)

    return ansible_test_hosts


if "pytest" in sys.modules:
    ansible_test_hosts = _pytest_fixture()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Bring the two Ansible test hosts up or down.")
    parser.add_argument("action", choices=["up", "down", "status"])
    parser.add_argument("--state-dir", type=Path, default=DEFAULT_STATE_DIR)
    arguments = parser.parse_args(argv)
    if arguments.action == "up":
        hosts = up(arguments.state_dir)
        print(json.dumps(asdict(hosts), indent=2))
    elif arguments.action == "down":
        down(arguments.state_dir)
    else:
        if not (arguments.state_dir / "state.json").exists():
            print("down")
            return 1
        print(json.dumps(asdict(load(arguments.state_dir)), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
