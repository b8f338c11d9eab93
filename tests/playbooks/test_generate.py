"""Generation: one directory per wave, cutovers in a safe order, inventory strings as
data that Ansible's own inventory parser reads back unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from ansible.inventory.manager import InventoryManager
from ansible.parsing.dataloader import DataLoader

from models.errors import PlaybookError
from models.plan import Action, Plan
from playbooks import plays, yamlout
from playbooks.generate import generate, host_alias, load_site
from tests import builders

PAYLOAD_ID = "sys-{{ 7*7 }} $(rm -rf /) `id` '\"湘潭"
PATTERN_ID = "web[1:3],db:22"


def _plan(*actions: Action) -> Plan:
    return Plan(scenario="micro", inventory_sha256="0" * 64, status="optimal", objective_wan=0, kpis=(),
                actions=actions)


def _generate(tmp_path: Path, **scenario_fields: object) -> list[Path]:
    inventory = builders.inventory(
        [builders.system(PAYLOAD_ID, name="社保 {{ 8*8 }}"), builders.system(PATTERN_ID),
         builders.system("sys-old", retire=True), builders.system("sys-stays")],
        networks=[builders.network("net-{{ x }}")])
    plan = _plan(
        Action(kind="room", id="r1", action="close", period="2024Q3"),
        Action(kind="system", id=PAYLOAD_ID, action="migrate", target="p1", period="2024Q3"),
        Action(kind="system", id=PATTERN_ID, action="migrate", target="p1", period="2024Q3"),
        Action(kind="system", id="sys-old", action="retire", period="2024Q2"),
        Action(kind="network", id="net-{{ x }}", action="migrate", period="2024Q3"),
        Action(kind="system", id="sys-stays", action="stay", reason="must_stay"))
    site = {"defaults": {"migplan_provider": "hook"},
            "systems": {PAYLOAD_ID: {"source": {"ansible_host": "10.0.0.5 {{ evil }}"}}}}
    return generate(plan, builders.scenario(**scenario_fields), inventory, tmp_path, site)


def test_one_directory_per_wave_with_cutovers_in_dependency_order(tmp_path: Path) -> None:
    waves = _generate(tmp_path)

    assert [wave.name for wave in waves] == ["2024Q2", "2024Q3"]
    manifest = json.loads((tmp_path / "2024Q3" / "cutovers.json").read_text(encoding="utf-8"))
    assert [(c["cutover"], c["kind"], c["id"]) for c in manifest["cutovers"]] == [
        ("c001", "network", "net-{{ x }}"), ("c002", "system", PAYLOAD_ID), ("c003", "system", PATTERN_ID),
        ("c004", "room", "r1")]
    site_plays = yaml.safe_load((tmp_path / "2024Q3" / "site.yml").read_text(encoding="utf-8"))
    assert [play["ansible.builtin.import_playbook"] for play in site_plays] == [
        "c001.yml", "c002.yml", "c003.yml", "c004.yml"]
    retire = yaml.safe_load((tmp_path / "2024Q2" / "c001.yml").read_text(encoding="utf-8"))
    assert [play["hosts"] for play in retire] == ["c001_source", "c001_source", "localhost"]
    assert not (tmp_path / "2024Q3" / "netbox_inventory.yml").exists()


def test_ansible_reads_hosts_and_vars_back_as_the_inventory_wrote_them(tmp_path: Path) -> None:
    _generate(tmp_path)
    manager = InventoryManager(loader=DataLoader(), sources=[str(tmp_path / "2024Q3" / "inventory.yml")])

    payload_host = manager.get_host(PAYLOAD_ID)
    assert payload_host is not None and sorted(group.name for group in payload_host.groups) == ["all", "c002_source"]
    assert payload_host.vars["ansible_host"] == "10.0.0.5 {{ evil }}"
    assert payload_host.vars["migplan_system_name"] == "社保 {{ 8*8 }}"
    pattern_alias = host_alias(PATTERN_ID)
    assert pattern_alias != PATTERN_ID and ":" not in pattern_alias and "[" not in pattern_alias
    pattern_host = manager.get_host(pattern_alias)
    assert pattern_host is not None and pattern_host.vars["migplan_system_id"] == PATTERN_ID
    assert sorted(host.name for host in manager.get_hosts()) == sorted(
        [PAYLOAD_ID, f"{PAYLOAD_ID}@target", pattern_alias, f"{pattern_alias}@target"])
    cutover_vars = DataLoader().load_from_file(str(tmp_path / "2024Q3" / "vars" / "c002.yml"))
    assert cutover_vars["migplan_object_id"] == PAYLOAD_ID and cutover_vars["migplan_target_pool"] == "p1"


def test_netbox_scenario_gets_an_nb_inventory_config_without_the_token(tmp_path: Path) -> None:
    _generate(tmp_path, inventory=None, netbox={"url": "https://netbox.example.gov", "token_env": "NB_TOKEN"})

    config = yaml.safe_load((tmp_path / "2024Q3" / "netbox_inventory.yml").read_text(encoding="utf-8")
                            .replace("!unsafe ", ""))
    assert config["plugin"] == "netbox.netbox.nb_inventory"
    assert config["api_endpoint"] == "https://netbox.example.gov"
    assert config["token"] == "{{ lookup('ansible.builtin.env', 'NB_TOKEN') }}"


def test_site_file_sections_are_checked(tmp_path: Path) -> None:
    site = tmp_path / "site.yaml"
    site.write_text("systms: {}\n", encoding="utf-8")
    with pytest.raises(PlaybookError, match="unknown section"):
        load_site(site)


def test_plan_naming_an_unknown_object_is_an_error(tmp_path: Path) -> None:
    plan = _plan(Action(kind="system", id="ghost", action="migrate", target="p1", period="2024Q3"))
    with pytest.raises(PlaybookError, match="ghost"):
        generate(plan, builders.scenario(), builders.inventory([builders.system("s1")]), tmp_path)


def test_site_variable_names_must_be_ansible_names(tmp_path: Path) -> None:
    site = tmp_path / "site.yaml"
    site.write_text("systems:\n  s1:\n    source: {'{{ x }}': 1}\n", encoding="utf-8")
    with pytest.raises(PlaybookError, match="not a valid Ansible variable name"):
        load_site(site)


def test_each_playbook_is_what_its_play_builder_makes(tmp_path: Path) -> None:
    _generate(tmp_path)
    wave = tmp_path / "2024Q3"

    assert (wave / "c001.yml").read_text(encoding="utf-8") == yamlout.dump(plays.decommission("network", "vars/c001.yml"))
    assert (wave / "c002.yml").read_text(encoding="utf-8") == yamlout.dump(plays.migrate_system("c002", "vars/c002.yml"))
    assert (wave / "c004.yml").read_text(encoding="utf-8") == yamlout.dump(plays.decommission("room", "vars/c004.yml"))
    assert (tmp_path / "2024Q2" / "c001.yml").read_text(encoding="utf-8") == yamlout.dump(
        plays.retire_system("c001", "vars/c001.yml"))
