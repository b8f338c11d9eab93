"""The NetBox inventory source against the real sandbox: schema, push, pull, plan, faults."""

from __future__ import annotations

import json
import os
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from click.testing import CliRunner

import inventory.netbox.pull as pull_module
from inventory.files import load_inventory, write_inventory
from inventory.netbox import NetBoxSource, apply_plan, connect, ensure_schema, load_mapping, pull_to_file, push
from models.errors import SourceError
from planner.cli import cli
from tests.integration.conftest import SANDBOX_SCRIPT, NetBoxSandbox
from tests.integration.netbox_helpers import HOSTILE_IDS, comparable, hostile_inventory

pytestmark = [pytest.mark.integration, pytest.mark.netbox]

SAMPLE = Path(__file__).resolve().parents[2] / "scenarios" / "xiangtan" / "inventory.yaml"


@pytest.fixture
def token_env(clean_netbox: NetBoxSandbox, monkeypatch: pytest.MonkeyPatch) -> NetBoxSandbox:
    monkeypatch.setenv("NETBOX_TOKEN", clean_netbox.token)
    return clean_netbox


def test_init_creates_the_schema_once(token_env: NetBoxSandbox) -> None:
    api = connect(token_env.url)
    first = ensure_schema(api, load_mapping())
    assert any("custom field mp_id" in change for change in first)
    assert ensure_schema(api, load_mapping()) == []
    result = CliRunner().invoke(cli, ["netbox", "init", "--netbox", token_env.url])
    assert result.exit_code == 0, result.output
    assert "nothing changed" in result.output


def sample_with_hosts(tmp_path: Path) -> Path:
    """The bundled sample, with servers on every tenth system (the sample lists none)."""
    sample, _ = load_inventory(SAMPLE)
    systems = [system.model_copy(update={"hosts": (f"{system.id}-app", f"{system.id}-db", "共享 存储")})
               if number % 10 == 0 else system for number, system in enumerate(sample.systems)]
    path = tmp_path / "sample-with-hosts.yaml"
    write_inventory(sample.model_copy(update={"systems": tuple(systems)}), path)
    return path


def test_sample_round_trips_and_second_push_changes_nothing(token_env: NetBoxSandbox, tmp_path: Path) -> None:
    sample = sample_with_hosts(tmp_path)
    runner = CliRunner()
    pushed = runner.invoke(cli, ["inventory", "push", str(sample), "--netbox", token_env.url])
    assert pushed.exit_code == 0, pushed.output
    assert "systems: 300 created" in pushed.output and "hosts: 90 created" in pushed.output
    again = runner.invoke(cli, ["inventory", "push", str(sample), "--netbox", token_env.url])
    assert again.exit_code == 0 and "nothing changed" in again.output, again.output
    assert token_env.token not in pushed.output + again.output
    output = tmp_path / "pulled.yaml"
    pulled = runner.invoke(cli, ["inventory", "pull", "--netbox", token_env.url, "-o", str(output)])
    assert pulled.exit_code == 0, pulled.output
    original, _ = load_inventory(sample)
    round_tripped, _ = load_inventory(output)
    assert comparable(round_tripped) == comparable(original)


def test_hostile_inventory_round_trips(token_env: NetBoxSandbox) -> None:
    original = hostile_inventory()
    api = connect(token_env.url)
    assert push(original, api).changed
    assert not push(original, api).changed
    assert comparable(NetBoxSource(token_env.url).load()) == comparable(original)


def test_hosts_are_vms_linked_to_their_system(token_env: NetBoxSandbox) -> None:
    original = hostile_inventory()
    api = connect(token_env.url)
    push(original, api)
    system_vms = {vm.custom_fields["mp_id"]: vm.id for vm in api.virtualization.virtual_machines.filter(tag="migplan")}
    host_vms = list(api.virtualization.virtual_machines.filter(tag="migplan-host"))
    served = sorted((vm.custom_fields["mp_host_system"]["id"], vm.custom_fields["mp_host_position"],
                     vm.custom_fields["mp_host_name"]) for vm in host_vms)
    assert served == sorted((system_vms[system.id], position, host) for system in original.systems
                            for position, host in enumerate(system.hosts))
    # The system's attributes stay on its own VM only.
    assert all(vm.custom_fields.get("mp_sys_vcpu") is None for vm in host_vms)
    # Fewer servers, in another order: push deletes the VMs it made for the dropped ones.
    systems = list(original.systems)
    systems[1] = systems[1].model_copy(update={"hosts": ("db 主", "10.0.0.1")})
    changed = original.model_copy(update={"systems": tuple(systems)})
    report = push(changed, api)
    assert (report.lists["hosts"].updated, report.lists["hosts"].removed) == (2, 3)
    assert api.virtualization.virtual_machines.count(tag="migplan-host") == 4
    assert comparable(NetBoxSource(token_env.url).load()) == comparable(changed)
    assert not push(changed, api).changed


def test_a_device_linked_by_hand_is_one_of_the_systems_hosts(token_env: NetBoxSandbox) -> None:
    original = hostile_inventory()
    api = connect(token_env.url)
    push(original, api)
    system = original.systems[0]
    system_vm = next(vm for vm in api.virtualization.virtual_machines.filter(tag="migplan")
                     if vm.custom_fields["mp_id"] == system.id)
    maker = api.dcim.manufacturers.create(name="浪潮", slug="inspur")
    model = api.dcim.device_types.create(manufacturer=maker.id, model="NF5280M6", slug="nf5280m6")
    role = api.dcim.device_roles.create(name="服务器", slug="server")
    site = api.dcim.sites.get(slug="migplan")
    api.dcim.devices.create(name="物理机 {{ rack }} 7", device_type=model.id, role=role.id, site=site.id,
                            tags=[api.extras.tags.get(slug="migplan-host").id],
                            custom_fields={"mp_host_system": system_vm.id, "mp_host_position": 2})
    pulled = NetBoxSource(token_env.url).load()
    hosts = next(s for s in pulled.systems if s.id == system.id).hosts
    assert hosts == (*system.hosts, "物理机 {{ rack }} 7")
    # Pushing what was pulled keeps the device in its place and changes nothing.
    assert not push(pulled, api).changed
    # Dropping it from the inventory unlinks the device; it is never deleted.
    assert push(original, api).lists["hosts"].removed == 1
    assert api.dcim.devices.count(name="物理机 {{ rack }} 7") == 1
    assert comparable(NetBoxSource(token_env.url).load()) == comparable(original)


def test_push_updates_only_what_changed(token_env: NetBoxSandbox) -> None:
    original = hostile_inventory()
    api = connect(token_env.url)
    push(original, api)
    systems = list(original.systems)
    # sys_c (which co-migrates with sys_a, which requires sys_b) may require sys_b: no cycle.
    systems[2] = systems[2].model_copy(update={"vcpu": 99.0, "requires": (HOSTILE_IDS["sys_b"],)})
    changed = original.model_copy(update={"systems": tuple(systems)})
    report = push(changed, api)
    assert (report.lists["systems"].updated, report.lists["systems"].unchanged) == (1, 2)
    assert comparable(NetBoxSource(token_env.url).load()) == comparable(changed)


def test_apply_plan_diffs_then_commits_then_is_a_no_op(token_env: NetBoxSandbox, tmp_path: Path) -> None:
    api = connect(token_env.url)
    push(hostile_inventory(), api)
    plan: dict[str, Any] = {"format": "migplan-plan/1", "scenario": "基线 {{ s }}", "actions": [
        {"kind": "system", "id": HOSTILE_IDS["sys_a"], "action": "migrate", "target": HOSTILE_IDS["pool"],
         "dr_target": None, "period": "2024Q2"},
        {"kind": "network", "id": HOSTILE_IDS["net"], "action": "interconnect", "period": "2023Q4"},
        {"kind": "room", "id": HOSTILE_IDS["room"], "action": "close", "period": "2024Q3"},
    ]}
    preview = apply_plan(plan, api)
    assert {(c.kind, c.field) for c in preview} >= {("system", "target"), ("room", "period")}
    assert apply_plan(plan, api) == preview  # the preview wrote nothing
    assert api.extras.journal_entries.count() == 0
    assert apply_plan(plan, api, commit=True) == preview
    assert apply_plan(plan, api, commit=True) == []
    assert api.extras.journal_entries.count() == 3
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    # The CLI reads the same token from NETBOX_TOKEN.
    result = CliRunner().invoke(cli, ["netbox", "apply-plan", str(plan_file), "--netbox", token_env.url])
    assert result.exit_code == 0 and "already matches" in result.output, result.output


def test_bad_token_unknown_path_and_dead_server_each_give_one_line(netbox: NetBoxSandbox) -> None:
    wrong_token = "nbt_wrongkey.wrongsecretwrongsecretwrongsecret"
    with pytest.raises(SourceError, match="refused the token") as refused:
        NetBoxSource(netbox.url, token=wrong_token).load()
    assert "\n" not in str(refused.value) and wrong_token not in str(refused.value)
    with pytest.raises(SourceError, match="HTTP 404"):
        NetBoxSource(netbox.url + "/no-such-prefix", token=netbox.token).load()
    with pytest.raises(SourceError, match="unreachable"):
        NetBoxSource("http://127.0.0.1:9", token=netbox.token).load()
    result = CliRunner(env={"NETBOX_TOKEN": ""}).invoke(cli, ["inventory", "pull", "--netbox", netbox.url, "-o", "x.yaml"])
    assert result.exit_code == 4 and "NETBOX_TOKEN" in result.output


# --- the server dies in the middle ---------------------------------------------------------


def kill_web_server(sandbox: NetBoxSandbox) -> None:
    pid = int((sandbox.pidfile_dir / "web.pid").read_text())
    os.killpg(pid, signal.SIGKILL)  # gunicorn master and workers, like a crash


def restart_sandbox() -> None:
    subprocess.run(["bash", str(SANDBOX_SCRIPT), "up"], check=True, capture_output=True, timeout=600)


class KillServerOnRequest(requests.Session):
    """A session that kills the real web server just before the first `method` request to `marker`."""

    def __init__(self, sandbox: NetBoxSandbox, method: str, marker: str, inner: requests.Session) -> None:
        super().__init__()
        self.sandbox, self.method, self.marker, self.inner, self.killed = sandbox, method, marker, inner, False

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        if not self.killed and method.upper() == self.method and self.marker in url:
            self.killed = True
            kill_web_server(self.sandbox)
        return self.inner.request(method, url, *args, **kwargs)


@pytest.fixture
def restarts_netbox(netbox: NetBoxSandbox) -> Iterator[None]:
    yield
    restart_sandbox()


def test_pull_interrupted_by_a_dead_server_writes_no_file(
        token_env: NetBoxSandbox, restarts_netbox: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    push(hostile_inventory(), connect(token_env.url))

    def connect_then_die_on_systems(url: str, token: str | None = None) -> Any:
        api = connect(url, token)
        api.http_session = KillServerOnRequest(token_env, "GET", "virtual-machines", api.http_session)
        return api

    monkeypatch.setattr(pull_module, "connect", connect_then_die_on_systems)
    output = tmp_path / "pulled.yaml"
    with pytest.raises(SourceError, match="unreachable"):
        pull_to_file(NetBoxSource(token_env.url), output)
    assert list(tmp_path.iterdir()) == []


def test_push_interrupted_by_a_dead_server_completes_when_run_again(
        token_env: NetBoxSandbox, restarts_netbox: None) -> None:
    original = hostile_inventory()
    api = connect(token_env.url)
    # Dies when the systems are about to be created: departments, pools, networks, rooms exist.
    api.http_session = KillServerOnRequest(token_env, "POST", "virtual-machines", api.http_session)
    with pytest.raises(SourceError, match="unreachable"):
        push(original, api)
    restart_sandbox()
    api = connect(token_env.url)
    report = push(original, api)
    assert report.lists["departments"].unchanged == 2 and report.lists["systems"].created == 3
    assert not push(original, api).changed
    assert comparable(NetBoxSource(token_env.url).load()) == comparable(original)
