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
from inventory.files import load_inventory
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


def test_sample_round_trips_and_second_push_changes_nothing(token_env: NetBoxSandbox, tmp_path: Path) -> None:
    runner = CliRunner()
    pushed = runner.invoke(cli, ["inventory", "push", str(SAMPLE), "--netbox", token_env.url])
    assert pushed.exit_code == 0, pushed.output
    assert "300 created" in pushed.output
    again = runner.invoke(cli, ["inventory", "push", str(SAMPLE), "--netbox", token_env.url])
    assert again.exit_code == 0 and "nothing changed" in again.output, again.output
    assert token_env.token not in pushed.output + again.output
    output = tmp_path / "pulled.yaml"
    pulled = runner.invoke(cli, ["inventory", "pull", "--netbox", token_env.url, "-o", str(output)])
    assert pulled.exit_code == 0, pulled.output
    original, _ = load_inventory(SAMPLE)
    round_tripped, _ = load_inventory(output)
    assert comparable(round_tripped) == comparable(original)


def test_hostile_inventory_round_trips(token_env: NetBoxSandbox) -> None:
    original = hostile_inventory()
    api = connect(token_env.url)
    assert push(original, api).changed
    assert not push(original, api).changed
    assert comparable(NetBoxSource(token_env.url).load()) == comparable(original)


def test_push_updates_only_what_changed(token_env: NetBoxSandbox) -> None:
    original = hostile_inventory()
    api = connect(token_env.url)
    push(original, api)
    systems = list(original.systems)
    systems[1] = systems[1].model_copy(update={"vcpu": 99.0, "requires": (HOSTILE_IDS["sys_c"],)})
    changed = original.model_copy(update={"systems": tuple(systems)})
    report = push(changed, api)
    assert (report.lists["systems"].updated, report.lists["systems"].unchanged) == (1, 2)
    assert comparable(NetBoxSource(token_env.url).load()) == comparable(changed)


def test_apply_plan_diffs_then_commits_then_is_a_no_op(token_env: NetBoxSandbox) -> None:
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
    plan_file_runner = CliRunner()
    assert token_env.url  # the CLI reads the same token from NETBOX_TOKEN
    with plan_file_runner.isolated_filesystem():
        Path("plan.json").write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
        result = plan_file_runner.invoke(cli, ["netbox", "apply-plan", "plan.json", "--netbox", token_env.url])
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
