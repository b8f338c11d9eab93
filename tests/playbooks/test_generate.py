"""Generation: one directory per wave, cutovers in a safe order, inventory strings as
data that Ansible's own inventory parser reads back unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from ansible.inventory.manager import InventoryManager
from ansible.parsing.dataloader import DataLoader

from models.errors import InputError, PlaybookError
from models.plan import Action, Plan
from playbooks import plays, yamlout
from playbooks.generate import generate, host_alias, load_site, slug
from tests import builders

ROLES_DIR = Path(__file__).resolve().parents[2] / "playbooks" / "roles"

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
    assert [(c["step"], c["kind"], c["id"]) for c in manifest["cutovers"]] == [
        (1, "network", "net-{{ x }}"), (2, "system", PAYLOAD_ID), (3, "system", PATTERN_ID), (4, "room", "r1")]
    playbooks = [c["playbook"] for c in manifest["cutovers"]]
    site_plays = yaml.safe_load((tmp_path / "2024Q3" / "site.yml").read_text(encoding="utf-8"))
    assert [play["ansible.builtin.import_playbook"] for play in site_plays] == playbooks
    assert all((tmp_path / "2024Q3" / playbook).is_file() for playbook in playbooks)
    retire = yaml.safe_load((tmp_path / "2024Q2" / "system-sys-old.yml").read_text(encoding="utf-8"))
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
    cutover_vars = DataLoader().load_from_file(str(tmp_path / "2024Q3" / "vars" / f"system-{slug(PAYLOAD_ID)}.yml"))
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


def test_files_are_named_by_object_kind_and_a_safe_slug_of_the_id(tmp_path: Path) -> None:
    _generate(tmp_path)
    wave = tmp_path / "2024Q3"

    names = sorted(path.name for path in wave.glob("*.yml") if path.name not in ("site.yml", "inventory.yml"))
    assert "room-r1.yml" in names and (tmp_path / "2024Q2" / "system-sys-old.yml").is_file()
    assert (wave / "vars" / "room-r1.yml").is_file()
    for name in names:
        assert name.isascii() and "{" not in name and " " not in name and name.count(".yml") == 1
    # Ids that are not plain file names keep what is readable of them, plus a digest.
    assert slug(PAYLOAD_ID).startswith("sys-7-7-rm-rf-id-") and slug(PAYLOAD_ID) != slug(PAYLOAD_ID + " ")
    assert slug("社保系统").isascii() and slug("社保系统") != slug("医保系统")


def test_play_titles_say_what_the_play_does(tmp_path: Path) -> None:
    _generate(tmp_path)
    wave = tmp_path / "2024Q3"
    network_plays = yaml.safe_load((wave / f"network-{slug('net-{{ x }}')}.yml").read_text(encoding="utf-8"))
    room_plays = yaml.safe_load((wave / "room-r1.yml").read_text(encoding="utf-8"))

    assert network_plays[0]["name"].startswith("Migrate the private network onto the e-government extranet")
    assert room_plays[0]["name"].startswith("Close the machine room")
    assert plays.decommission("network", "interconnect", "v.yml")[0]["name"].startswith(
        "Interconnect the private network")
    site_titles = [play["name"] for play in yaml.safe_load((wave / "site.yml").read_text(encoding="utf-8"))]
    assert site_titles[0].startswith("Cutover 1: Migrate the private network")
    assert site_titles[3] == "Cutover 4: Close the machine room: room-r1"


def test_each_wave_is_self_contained(tmp_path: Path) -> None:
    _generate(tmp_path)
    wave = tmp_path / "2024Q3"

    assert sorted(path.name for path in (wave / "roles").iterdir()) == sorted(
        path.name for path in ROLES_DIR.iterdir())
    for path in wave.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert str(ROLES_DIR) not in text and str(tmp_path) not in text, path


def test_every_inventory_string_in_every_written_file_is_tagged_unsafe(tmp_path: Path) -> None:
    """Reads what generate() wrote, tags and all: a string carrying the payload that is
    not tagged `!unsafe` is one Ansible would template."""
    payload = "{{ 载荷 }}"  # non-ASCII, so the safe file-name slugs do not carry it
    inventory = builders.inventory(
        [builders.system(f"sys-a {payload}", name=f"系统 {payload}", department=f"d {payload}",
                         room=f"r {payload}", hosts=[f"10.0.0.1 {payload}"]),
         builders.system(f"sys-b {payload}", name=f"旧 {payload}", department=f"d {payload}",
                         room=f"r {payload}", retire=True)],
        rooms=[builders.room(f"r {payload}", name=f"机房 {payload}", department=f"d {payload}")],
        networks=[builders.network(f"n {payload}", name=f"专网 {payload}", department=f"d {payload}")],
        clouds=[builders.pool(f"p {payload}", name=f"池 {payload}")],
        departments=[builders.department(f"d {payload}", name=f"局 {payload}")])
    plan = _plan(
        Action(kind="network", id=f"n {payload}", action="interconnect", period="2024Q2"),
        Action(kind="system", id=f"sys-a {payload}", action="migrate", target=f"p {payload}",
               dr_target=f"p {payload}", period="2024Q2"),
        Action(kind="system", id=f"sys-b {payload}", action="retire", period="2024Q2"),
        Action(kind="room", id=f"r {payload}", action="close", period="2024Q2"))
    site = {"systems": {f"sys-a {payload}": {"source": {"migplan_data_dir": f"/srv/{payload}"},
                                               "target": {"migplan_data_dir": f"/srv/{payload}"},
                                               "cutover": {"migplan_service_fqdn": f"x{payload}"}}},
            "rooms": {f"r {payload}": {"migplan_equipment": [{"name": f"柜 {payload}"}]}},
            "networks": {f"n {payload}": {"migplan_lines": [{"id": f"L {payload}"}]}}}
    (wave,) = generate(plan, builders.scenario(name=f"s {payload}"), inventory, tmp_path, site)

    carrying: dict[str, int] = {}
    for path in sorted(wave.rglob("*.yml")):
        if (wave / "roles") in path.parents:
            continue  # our own roles, copied: no inventory text
        for node in _scalar_nodes(yaml.compose(path.read_text(encoding="utf-8"))):
            if "载荷" in node.value:
                assert node.tag == "!unsafe", f"{path.relative_to(wave)}: {node.value!r} is not tagged !unsafe"
                carrying[path.relative_to(wave).as_posix()] = carrying.get(path.relative_to(wave).as_posix(), 0) + 1
    # The payload did reach every kind of file that holds inventory text.
    assert {"inventory.yml", "group_vars/all.yml"} <= set(carrying)
    assert sum(1 for name in carrying if name.startswith("vars/")) == 4


def _scalar_nodes(node: yaml.Node | None) -> list[yaml.ScalarNode]:
    if node is None:
        return []
    if isinstance(node, yaml.ScalarNode):
        return [node]
    if isinstance(node, yaml.MappingNode):
        return [scalar for key, value in node.value for scalar in _scalar_nodes(key) + _scalar_nodes(value)]
    return [scalar for item in node.value for scalar in _scalar_nodes(item)]


def test_regenerating_removes_the_waves_of_the_earlier_plan(tmp_path: Path) -> None:
    out = tmp_path / "playbooks"
    _generate(out)
    (out / "notes.txt").write_text("ops notes", encoding="utf-8")
    inventory = builders.inventory([builders.system("sys-old", retire=True)])
    generate(_plan(Action(kind="system", id="sys-old", action="retire", period="2024Q2")), builders.scenario(),
             inventory, out)

    assert sorted(path.name for path in out.iterdir() if not path.name.startswith(".")) == [
        "2024Q2", "notes.txt", "waves.json"]
    assert json.loads((out / "waves.json").read_text(encoding="utf-8"))["waves"] == ["2024Q2"]
    assert (out / "notes.txt").read_text(encoding="utf-8") == "ops notes"  # not ours: carried over


def test_a_folder_migplan_did_not_write_is_refused_unless_forced(tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "keep.txt").write_text("mine", encoding="utf-8")
    plan = _plan(Action(kind="system", id="sys-old", action="retire", period="2024Q2"))
    inventory = builders.inventory([builders.system("sys-old", retire=True)])

    with pytest.raises(InputError, match="migplan did not write it"):
        generate(plan, builders.scenario(), inventory, out)
    assert sorted(path.name for path in out.iterdir()) == ["keep.txt"]

    generate(plan, builders.scenario(), inventory, out, force=True)
    assert (out / "keep.txt").is_file() and (out / "2024Q2" / "system-sys-old.yml").is_file()


def test_each_wave_has_a_readme_chinese_first(tmp_path: Path) -> None:
    _generate(tmp_path)
    text = (tmp_path / "2024Q3" / "README.md").read_text(encoding="utf-8")

    assert text.index("本批次的割接") < text.index("The cutovers of this wave")
    for needle in ("Dept d1", "room-r1.yml", "p1 (Pool p1)", "--check", "vault_vmware_password",
                   "回退与续跑", "Rollback and resuming", "migplan_provider"):
        assert needle in text, needle
    # Inventory text is literal Markdown: the payload's markup characters are escaped.
    assert "社保 {{ 8\\*8 }}" in text and "`id`" not in text and "\\`id\\`" in text


def test_each_playbook_is_what_its_play_builder_makes(tmp_path: Path) -> None:
    _generate(tmp_path)
    wave = tmp_path / "2024Q3"
    payload = f"system-{slug(PAYLOAD_ID)}"

    assert (wave / "room-r1.yml").read_text(encoding="utf-8") == yamlout.dump(
        plays.decommission("room", "close", "vars/room-r1.yml"))
    assert (wave / f"{payload}.yml").read_text(encoding="utf-8") == yamlout.dump(
        plays.migrate_system("c002", f"vars/{payload}.yml"))
    assert (tmp_path / "2024Q2" / "system-sys-old.yml").read_text(encoding="utf-8") == yamlout.dump(
        plays.retire_system("c001", "vars/system-sys-old.yml"))
