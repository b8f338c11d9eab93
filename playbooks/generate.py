"""Write the Ansible side of a plan: one self-contained Ansible project per wave (period).

    out/playbooks/
      waves.json                 which waves this generation wrote, for which plan (`run` trusts only these)
      2024Q2/
        README.md                the wave for the people who run it (中文 first, then English)
        ansible.cfg              inventory and connection settings; no absolute path
        site.yml                 every cutover of the wave, in order
        system-sys-shebao.yml    one playbook per cutover: object kind and a safe slug of the id
        vars/system-sys-shebao.yml   what the cutover is about (ids, names, sizes), all `!unsafe`
        inventory.yml            the hosts involved, grouped per cutover, host vars inline
        group_vars/all.yml       the operator's defaults from the site file
        roles/                   a copy of migplan's roles: the wave needs nothing else
        cutovers.json            the cutover list the runner and its journal follow
        netbox_inventory.yml     when the scenario reads NetBox (a config file, never run)

A wave directory can be copied anywhere, run from any directory with
`ansible-playbook -i WAVE/inventory.yml WAVE/site.yml`, on a machine without migplan,
or used as an AWX/AAP project: Ansible finds `roles/` beside the playbooks and
`group_vars/` beside the inventory.

Every string that comes from the inventory, the plan or the site file's per-object
sections is written tagged `!unsafe`, so Ansible treats it as data; playbooks address
ASCII group names only (see `plays`). The site file's `defaults` are the operator's
own Ansible settings and may use Jinja, so they are written as they are.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from hashlib import sha1, sha256
from pathlib import Path
from typing import Any

import yaml

from models.errors import PlaybookError
from models.inventory import Inventory, System
from models.plan import Action, Plan
from models.scenario import Scenario
from playbooks import plays, readme, yamlout
from playbooks.yamlout import Unsafe, unsafe_tree

ROLES_DIR = Path(__file__).resolve().parent / "roles"
CUTOVERS_FILE = "cutovers.json"
WAVES_FILE = "waves.json"
WAVES_FORMAT = "migplan-playbooks/1"

# Order inside a wave: users must reach a system over the extranet before it moves,
# and a room closes only once its systems have left.
_ORDER = {("network", "migrate"): 0, ("network", "interconnect"): 0,
          ("system", "migrate"): 1, ("system", "retire"): 1, ("room", "close"): 2}

# Characters Ansible's inventory parser gives a meaning to in a host name: ':' is a
# port, '[a:b]' a range, ',' separates hosts, and edge whitespace is stripped.
_UNSAFE_ALIAS = re.compile(r"[:\[\],]|^\s|\s$|^$")
_VAR_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# File names: ASCII letters, digits, '.', '_' and '-' only, so they survive every file
# system, archive tool, git host and AWX; anything else becomes '-'.
_NOT_SLUG = re.compile(r"[^A-Za-z0-9._-]+")
_SLUG_LENGTH = 48


@dataclass(frozen=True)
class Cutover:
    """One playbook of a wave."""

    step: int
    kind: str
    id: str
    action: str
    name: str  # file stem of its playbook and vars file: object kind and a slug of the id
    group: str  # c001: the ASCII prefix of its inventory groups

    @property
    def playbook(self) -> str:
        return f"{self.name}.yml"

    def to_json(self) -> dict[str, Any]:
        return {"step": self.step, "kind": self.kind, "id": self.id, "action": self.action,
                "name": self.name, "playbook": self.playbook, "group": self.group}


def plan_identity(plan: Plan) -> str:
    """A digest of the plan's content: playbooks, journals and waves name the plan by it."""
    canonical = json.dumps(plan.to_json(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return sha256(canonical.encode("utf-8")).hexdigest()[:16]


def slug(object_id: str) -> str:
    """A readable file-name-safe form of an id: the id itself when it is plain ASCII,
    else what is readable of it and a digest (two ids never share a slug)."""
    readable = re.sub(r"-{2,}", "-", _NOT_SLUG.sub("-", object_id)).strip("-.")[:_SLUG_LENGTH].strip("-.")
    if readable == object_id:
        return readable
    digest = sha1(object_id.encode("utf-8")).hexdigest()[:8]
    return f"{readable}-{digest}" if readable else digest


def host_alias(object_id: str) -> str:
    """The inventory host name for an object: its id, unless Ansible would parse the id
    as something else; then a readable stand-in with a digest (the id stays in host vars)."""
    if not _UNSAFE_ALIAS.search(object_id):
        return object_id
    readable = re.sub(r"[^\w.-]+", "_", object_id).strip("_")[:40] or "host"
    return f"{readable}-{sha1(object_id.encode()).hexdigest()[:10]}"


def load_site(path: Path | None) -> dict[str, Any]:
    """The operator's site file: `defaults` (group vars for all), and per-object
    sections `systems` ({id: {source, target, cutover}}), `rooms` and `networks`
    ({id: vars}). Absent file: nothing but generated vars."""
    if path is None:
        return {}
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise PlaybookError(f"{path}: cannot read the site file: {error}") from None
    if not isinstance(document, dict):
        raise PlaybookError(f"{path}: the site file must hold a mapping")
    unknown = set(document) - {"defaults", "systems", "rooms", "networks"}
    if unknown:
        raise PlaybookError(f"{path}: unknown section(s) {', '.join(sorted(map(str, unknown)))}")
    _check_var_names(document.get("defaults") or {}, f"{path}: defaults")
    for section in ("rooms", "networks"):
        for object_id, variables in (document.get(section) or {}).items():
            _check_var_names(variables or {}, f"{path}: {section}.{object_id}")
    for object_id, parts in (document.get("systems") or {}).items():
        for part, variables in (parts or {}).items():
            if part not in ("source", "target", "cutover"):
                raise PlaybookError(f"{path}: systems.{object_id}.{part}: expected source, target or cutover")
            _check_var_names(variables or {}, f"{path}: systems.{object_id}.{part}")
    return document


def _check_var_names(variables: Mapping[str, Any], where: str) -> None:
    # Variable names are written as plain keys (only values are data), so they must be
    # names Ansible accepts, nothing else.
    if not isinstance(variables, Mapping):
        raise PlaybookError(f"{where}: expected a mapping of variables")
    for name in variables:
        if not (isinstance(name, str) and _VAR_NAME.fullmatch(name)):
            raise PlaybookError(f"{where}: {name!r} is not a valid Ansible variable name")


def generate(plan: Plan, scenario: Scenario, inventory: Inventory, out_dir: Path,
             site: Mapping[str, Any] | None = None, force: bool = False) -> list[Path]:
    """Write one directory per wave and `waves.json` into `out_dir`, as one output set
    swapped in whole (`inventory.outputs.output_folder`): the waves an earlier generation
    wrote there are gone, and a kill leaves the old set or the new one, never a mix. A
    non-empty folder migplan did not write is refused unless `force`. Returns the wave
    directories in period order."""
    from inventory.outputs import output_folder

    site = site or {}
    waves: dict[str, list[Action]] = {}
    for action in plan.actions:
        if action.period is not None and (action.kind, action.action) in _ORDER:
            waves.setdefault(str(action.period), []).append(action)
    identity = plan_identity(plan)
    with output_folder(out_dir, force) as staging:
        for period in sorted(waves):
            actions = sorted(waves[period], key=lambda action: _ORDER[(action.kind, action.action)])
            _write_wave(staging / period, period, actions, plan, identity, scenario, inventory, site)
        (staging / WAVES_FILE).write_text(json.dumps(
            {"format": WAVES_FORMAT, "plan": identity, "scenario": plan.scenario,
             "inventory_sha256": plan.inventory_sha256, "waves": sorted(waves)},
            ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return [out_dir / period for period in sorted(waves)]


def _cutover_names(actions: list[Action]) -> list[str]:
    """File stems `<kind>-<slug>`, unique within the wave even on a case-insensitive
    file system (an id may be migrated in one wave only, but two ids can slug alike)."""
    names: list[str] = []
    taken: set[str] = set()
    for action in actions:
        name = f"{action.kind}-{slug(action.id)}"
        if name.lower() in taken:
            name = f"{name}-{sha1(action.id.encode('utf-8')).hexdigest()[:8]}"
        taken.add(name.lower())
        names.append(name)
    return names


def _write_wave(wave_dir: Path, period: str, actions: list[Action], plan: Plan, identity: str,
                scenario: Scenario, inventory: Inventory, site: Mapping[str, Any]) -> Path:
    wave_dir.mkdir(parents=True, exist_ok=True)
    systems = inventory.system_by_id
    groups: dict[str, Any] = {}
    cutovers: list[Cutover] = []
    aliases_used: dict[str, str] = {}
    for step, (action, name) in enumerate(zip(actions, _cutover_names(actions), strict=True), start=1):
        group = f"c{step:03d}"
        vars_file = f"vars/{name}.yml"
        cutover_vars: dict[str, Any] = {"migplan_object_kind": action.kind, "migplan_object_id": action.id,
                                        "migplan_period": period, "migplan_action": action.action,
                                        "migplan_checklist_name": f"{name}.md"}
        if action.kind == "system":
            system = systems.get(action.id)
            if system is None:
                raise PlaybookError(f"plan action for system {action.id!r}: no such system in the inventory")
            system_site = (site.get("systems") or {}).get(action.id) or {}
            alias = _claim_alias(host_alias(action.id), action.id, aliases_used)
            groups[f"{group}_source"] = {"hosts": {alias: _source_vars(system, system_site.get("source"))}}
            cutover_vars |= _system_vars(system, action) | dict(system_site.get("cutover") or {})
            if action.action == "migrate":
                target_alias = _claim_alias(f"{alias}@target", action.id, aliases_used)
                groups[f"{group}_target"] = {"hosts": {target_alias: _target_vars(system, system_site.get("target"))}}
                content = _playbook_text("migrate_system", group, vars_file)
            else:
                content = _playbook_text("retire_system", group, vars_file)
        elif action.kind == "room":
            room = inventory.room_by_id.get(action.id)
            if room is None:
                raise PlaybookError(f"plan action for room {action.id!r}: no such room in the inventory")
            cutover_vars |= {"migplan_object_name": room.name, "migplan_department": room.department,
                             "migplan_room_systems": [f"{system.name} ({system.id})" for system in inventory.systems
                                                      if system.room == room.id]}
            cutover_vars |= dict((site.get("rooms") or {}).get(action.id) or {})
            content = _playbook_text("close_room", group, vars_file)
        else:
            network = inventory.network_by_id.get(action.id)
            if network is None:
                raise PlaybookError(f"plan action for network {action.id!r}: no such network in the inventory")
            cutover_vars |= {"migplan_object_name": network.name, "migplan_department": network.department,
                             "migplan_endpoints": network.endpoints, "migplan_network_action": action.action}
            cutover_vars |= dict((site.get("networks") or {}).get(action.id) or {})
            content = _playbook_text(f"{action.action}_network", group, vars_file)
        yamlout.write(wave_dir / vars_file, unsafe_tree(cutover_vars))
        cutover = Cutover(step, action.kind, action.id, action.action, name, group)
        (wave_dir / cutover.playbook).write_text(content, encoding="utf-8")
        cutovers.append(cutover)

    yamlout.write(wave_dir / "site.yml", plays.site([(cutover.playbook, _title(cutover)) for cutover in cutovers]))
    # Host names are keys of the inventory: they are data to Ansible's parser, never templated.
    yamlout.write(wave_dir / "inventory.yml", {"all": {"children": groups}})
    defaults = dict(site.get("defaults") or {})
    yamlout.write(wave_dir / "group_vars" / "all.yml",
                  {**defaults, "migplan_scenario": Unsafe(scenario.name), "migplan_wave": Unsafe(period)})
    (wave_dir / "ansible.cfg").write_text(_ansible_cfg(), encoding="utf-8")
    shutil.copytree(ROLES_DIR, wave_dir / "roles", dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    (wave_dir / CUTOVERS_FILE).write_text(
        json.dumps({"wave": period, "plan": identity, "scenario": plan.scenario,
                    "inventory_sha256": plan.inventory_sha256,
                    "cutovers": [cutover.to_json() for cutover in cutovers]},
                   ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (wave_dir / "README.md").write_text(
        readme.wave_readme(period, identity, scenario, inventory, actions, cutovers, site), encoding="utf-8")
    if scenario.netbox is not None:
        yamlout.write(wave_dir / "netbox_inventory.yml", _netbox_config(scenario))
    return wave_dir


def _title(cutover: Cutover) -> str:
    return f"{plays.ACTION_TITLES[(cutover.kind, cutover.action)]}: {cutover.name}"


# The playbooks of one kind differ only in their cutover name (an ASCII identifier of
# ours), so each kind is dumped once and the name put in: YAML dumping is most of the
# generation time on a city-sized plan.
_GROUP_SLOT = "cutover_group_slot"
_VARS_SLOT = "cutover_vars_slot.yml"
_PLAYBOOK_BUILDERS = {
    "migrate_system": lambda: plays.migrate_system(_GROUP_SLOT, _VARS_SLOT),
    "retire_system": lambda: plays.retire_system(_GROUP_SLOT, _VARS_SLOT),
    "close_room": lambda: plays.decommission("room", "close", _VARS_SLOT),
    "migrate_network": lambda: plays.decommission("network", "migrate", _VARS_SLOT),
    "interconnect_network": lambda: plays.decommission("network", "interconnect", _VARS_SLOT),
}


@cache
def _playbook_template(kind: str) -> str:
    return yamlout.dump(_PLAYBOOK_BUILDERS[kind]())


def _playbook_text(kind: str, group: str, vars_file: str) -> str:
    # Both slots hold only ASCII file-name characters of ours (see `slug`), so a plain
    # replacement cannot change the YAML's structure.
    return _playbook_template(kind).replace(_GROUP_SLOT, group).replace(_VARS_SLOT, vars_file)


def _claim_alias(alias: str, object_id: str, used: dict[str, str]) -> str:
    if used.get(alias, object_id) != object_id:
        raise PlaybookError(f"host alias {alias!r} would serve both {used[alias]!r} and {object_id!r}")
    used[alias] = object_id
    return Unsafe(alias)


def _system_vars(system: System, action: Action) -> dict[str, Any]:
    return {"migplan_object_name": system.name, "migplan_target_name": system.id,
            "migplan_target_pool": action.target, "migplan_dr_pool": action.dr_target,
            "migplan_vcpu": system.vcpu, "migplan_memory_gb": system.memory_gb,
            "migplan_data_tb": system.data_tb, "migplan_department": system.department}


def _source_vars(system: System, site_vars: Mapping[str, Any] | None) -> Any:
    host_vars: dict[str, Any] = {"migplan_system_id": system.id, "migplan_system_name": system.name,
                                 "migplan_role": "source"}
    if system.hosts:
        host_vars["ansible_host"] = system.hosts[0]
        host_vars["migplan_hosts"] = list(system.hosts)
    return unsafe_tree(host_vars | dict(site_vars or {}))


def _target_vars(system: System, site_vars: Mapping[str, Any] | None) -> Any:
    # Room for the data, with a quarter to spare, unless the site file says otherwise.
    free_mb = int(system.data_tb * 1024 * 1024 * 1.25)
    host_vars = {"migplan_system_id": system.id, "migplan_system_name": system.name, "migplan_role": "target",
                 "migplan_min_free_mb": free_mb}
    return unsafe_tree(host_vars | dict(site_vars or {}))


def _ansible_cfg() -> str:
    return "\n".join([
        "# Written by migplan. Paths are relative to this file; the roles are in roles/.",
        "[defaults]",
        "inventory = inventory.yml",
        "retry_files_enabled = false",
        "interpreter_python = auto_silent",
        "",
        "[ssh_connection]",
        "pipelining = true",
        "",
    ])


def _netbox_config(scenario: Scenario) -> dict[str, Any]:
    """An nb_inventory config for ops who want live host facts from NetBox. The token is
    read by the plugin from the environment variable the scenario names, never written."""
    assert scenario.netbox is not None
    token_env = scenario.netbox.token_env
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", token_env):
        raise PlaybookError(f"netbox.token_env {token_env!r} is not an environment variable name")
    return {
        "plugin": "netbox.netbox.nb_inventory",
        "api_endpoint": Unsafe(scenario.netbox.url),
        "token": f"{{{{ lookup('ansible.builtin.env', '{token_env}') }}}}",
        "validate_certs": True,
        "config_context": False,
        "group_by": ["device_roles", "sites", "tenants"],
        "compose": {"ansible_host": "(primary_ip4.address | default('')).split('/') | first"},
    }
