"""A small legacy system laid out on the test hosts: files, a sqlite database, an HTTP
service run with a pidfile, a backup marker and a hosts-style 'DNS' file.

Tests build the Ansible variables of a cutover from it, run a playbook, then inspect
the hosts through these helpers.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from shlex import quote

from tests.integration.ansible_hosts import TestHosts

SERVICE_PORT = 8080
SERVICE_FQDN = "app.gov.example"


@dataclass(frozen=True)
class DemoSystem:
    hosts: TestHosts
    workdir: Path  # controller side: DNS file, provisioning log
    # The application's directory name; tests put shell and Jinja payloads in it to prove
    # that paths reach shells quoted and templates as data.
    app_dir: str = "app"

    def data_dir(self, role: str) -> Path:
        return Path(self.hosts.host(role).root) / "srv" / self.app_dir / "data"

    def database(self, role: str) -> Path:
        return Path(self.hosts.host(role).root) / "srv" / self.app_dir / "db" / "app.db"

    def pidfile(self, role: str) -> Path:
        return Path(self.hosts.host(role).root) / "run" / "app.pid"

    @property
    def dns_file(self) -> Path:
        return self.workdir / "dns" / "hosts"

    @property
    def provision_log(self) -> Path:
        return self.workdir / "provisioned.log"

    def host_vars(self, role: str) -> dict[str, object]:
        """Everything a cutover needs to know about one host, connection included."""
        host = self.hosts.host(role)
        data_dir, pidfile = quote(str(self.data_dir(role))), quote(str(self.pidfile(role)))
        run_dir = quote(str(self.pidfile(role).parent))
        log = quote(str(Path(host.root) / "run" / "app.log"))
        host_vars: dict[str, object] = {
            **self.hosts.connection_vars(role),
            "migplan_data_dir": str(self.data_dir(role)),
            "migplan_staging_dir": str(Path(host.root) / "var" / "staging"),
            "migplan_service_address": host.address,
            "migplan_service_manager": "command",
            # setsid and closed descriptors: the server outlives the SSH session.
            "migplan_service_start_command": (
                f"mkdir -p {run_dir} && cd {data_dir} && "
                f"{{ setsid python3 -m http.server {SERVICE_PORT} --bind {host.address} "
                f"> {log} 2>&1 < /dev/null & echo $! > {pidfile}; }}"
            ),
            "migplan_service_stop_command": f'kill "$(cat {pidfile})" && rm -f {pidfile}',
            "migplan_service_status_command": f'test -f {pidfile} && kill -0 "$(cat {pidfile})"',
            "migplan_service_health_url": f"http://{host.address}:{SERVICE_PORT}/",
        }
        if role == "legacy":
            host_vars["migplan_backup_marker"] = str(Path(host.root) / "var" / "backup" / "done")
        else:
            host_vars.update(
                migplan_sync_address=host.address,
                migplan_sync_port=host.port,
                migplan_sync_user="root",
                migplan_min_free_mb=1,
            )
        return host_vars

    def cutover_vars(self) -> dict[str, object]:
        """The cutover-level vars (the generated vars file)."""
        return {
            "migplan_target_name": "app-vm",
            "migplan_target_pool": "xt-x86",
            "migplan_provider": "hook",
            "migplan_provision_command": f'echo "$MIGPLAN_TARGET_NAME" >> {self.provision_log}',
            "migplan_provision_check_command": f'grep -qxF "$MIGPLAN_TARGET_NAME" {self.provision_log}',
            "migplan_service_fqdn": SERVICE_FQDN,
            "migplan_dns_host": "localhost",
            "migplan_dns_file": str(self.dns_file),
            "migplan_sync_ssh_key_file": self.hosts.sync_key,
            "migplan_sync_known_hosts_file": self.hosts.sync_known_hosts,
            "migplan_sqlite_databases": [
                {"source": str(self.database("legacy")), "target": str(self.database("cloud"))}
            ],
        }

    def lay_out(self) -> None:
        """Fresh legacy host with data, a running service and a recent backup; empty cloud host."""
        for role in ("legacy", "cloud"):
            self.stop_service(role)
        for role in ("legacy", "cloud"):
            root = Path(self.hosts.host(role).root)
            for child in root.iterdir():
                shutil.rmtree(child) if child.is_dir() else child.unlink()
        data = self.data_dir("legacy")
        (data / "reports" / "2023年").mkdir(parents=True)
        (data / "index.html").write_text("<h1>社会保险业务系统</h1>\n", encoding="utf-8")
        (data / "reports" / "2023年" / "年报 final.csv").write_text("id,amount\n1,100\n2,250\n", encoding="utf-8")
        (data / "blob.bin").write_bytes(hashlib.sha256(b"seed").digest() * 4096)
        database = self.database("legacy")
        database.parent.mkdir(parents=True)
        with sqlite3.connect(database) as connection:
            connection.execute("create table insured (id integer primary key, name text, paid real)")
            connection.executemany(
                "insert into insured (name, paid) values (?, ?)",
                [(f"参保人{number}", number * 1.5) for number in range(500)],
            )
        connection.close()
        marker = Path(self.hosts.host("legacy").root) / "var" / "backup" / "done"
        marker.parent.mkdir(parents=True)
        marker.touch()
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.dns_file.parent.mkdir(parents=True, exist_ok=True)
        self.dns_file.write_text(f"{self.hosts.legacy.address} {SERVICE_FQDN}\n")
        self.provision_log.unlink(missing_ok=True)
        self.start_service("legacy")

    def start_service(self, role: str) -> None:
        host_vars = self.host_vars(role)
        self.hosts.run_in(role, ["sh", "-c", str(host_vars["migplan_service_start_command"])])
        self.wait_until_serving(role)

    def stop_service(self, role: str) -> None:
        if self.pidfile(role).exists():
            self.hosts.run_in(role, ["sh", "-c", str(self.host_vars(role)["migplan_service_stop_command"])], check=False)

    def service_running(self, role: str) -> bool:
        status = self.hosts.run_in(role, ["sh", "-c", str(self.host_vars(role)["migplan_service_status_command"])], check=False)
        return status.returncode == 0

    def fetch(self, role: str, path: str) -> str | None:
        """GET a path from a host's service, from inside that host; None when it does not answer."""
        host = self.hosts.host(role)
        url = f"http://{host.address}:{SERVICE_PORT}/{path}"
        script = f"import urllib.request; print(urllib.request.urlopen({url!r}, timeout=3).read().decode())"
        result = self.hosts.run_in(role, ["python3", "-c", script], check=False)
        return result.stdout if result.returncode == 0 else None

    def wait_until_serving(self, role: str, timeout_s: float = 10) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.fetch(role, "index.html") is not None:
                return
            time.sleep(0.1)
        raise AssertionError(f"the service on the {role} host does not answer")

    def dns_address(self) -> str:
        lines = [line.split() for line in self.dns_file.read_text().splitlines() if line.strip()]
        matching = [fields[0] for fields in lines if fields[1:] == [SERVICE_FQDN]]
        assert len(matching) == 1, f"DNS file should map {SERVICE_FQDN} once: {lines}"
        return matching[0]


def file_checksums(directory: Path) -> dict[str, str]:
    return {
        str(path.relative_to(directory)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


def database_rows(database: Path) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        return connection.execute("select id, name, paid from insured order by id").fetchall()
    finally:
        connection.close()

