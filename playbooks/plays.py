"""The plays of one cutover, as data ready for `yamlout.dump`.

A cutover playbook never names an inventory host: it addresses generated ASCII groups
(`<group>_source`, `<group>_target`), because host aliases come from the inventory
and may hold characters that Ansible's host patterns give a meaning to. What varies per
cutover lives in a vars file next to the playbook, written with `!unsafe` strings.
The templates in this module are ours and hold no inventory text.
"""

from __future__ import annotations

import re
from typing import Any

Play = dict[str, Any]

_GROUP_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def _check_group(group: str) -> None:
    if not _GROUP_NAME.match(group):
        raise ValueError(f"group names must be plain identifiers, got {group!r}")


def _hosts_vars(group: str, with_target: bool = True) -> dict[str, str]:
    hosts = {"migplan_source_host": f"{{{{ groups['{group}_source'] | first }}}}"}
    if with_target:
        hosts["migplan_target_host"] = f"{{{{ groups['{group}_target'] | first }}}}"
    return hosts


def migrate_system(group: str, vars_file: str) -> list[Play]:
    """Provision, check, copy, cut over and verify; roll back when anything in the
    cutover or the verification fails, then fail so the wave stops."""
    _check_group(group)
    common = {"gather_facts": False, "vars_files": [vars_file], "vars": _hosts_vars(group)}
    return [
        {"name": "Provision the target", "hosts": "localhost", "connection": "local", **common,
         "roles": [{"role": "provision_target"}]},
        {"name": "Check the source and the target", "hosts": f"{group}_source:{group}_target",
         "any_errors_fatal": True, **common, "roles": [{"role": "precheck"}]},
        {"name": "Copy the data from the source to the target", "hosts": f"{group}_source",
         "any_errors_fatal": True, **common, "roles": [{"role": "data_sync"}]},
        {"name": "Cut over, verify, roll back on failure", "hosts": f"{group}_target", **common,
         "tasks": [{
             "name": "Cut over and verify",
             "block": [
                 {"name": "Cut over to the target", "ansible.builtin.include_role": {"name": "cutover"}},
                 {"name": "Verify the target", "ansible.builtin.include_role": {"name": "verify"}},
             ],
             "rescue": [
                 {"name": "Roll back to the source", "ansible.builtin.include_role": {"name": "rollback"}},
                 {"name": "Fail the cutover after the rollback", "ansible.builtin.fail": {
                     "msg": "Cutover failed and was rolled back: "
                            "{{ ansible_failed_result.msg | default('see the failed task') }}"}},
             ],
         }]},
    ]


def retire_system(group: str, vars_file: str) -> list[Play]:
    """Check the backup, stop the service for good, write the retirement checklist."""
    _check_group(group)
    common = {"gather_facts": False, "vars_files": [vars_file], "vars": _hosts_vars(group, with_target=False)}
    return [
        {"name": "Check the system before retiring it", "hosts": f"{group}_source",
         "any_errors_fatal": True, **common, "roles": [{"role": "precheck"}]},
        {"name": "Stop the retired system", "hosts": f"{group}_source", **common,
         "tasks": [{"name": "Stop the service", "ansible.builtin.include_role": {
             "name": "cutover", "tasks_from": "service.yml"},
             "vars": {"cutover_host": "{{ inventory_hostname }}", "cutover_state": "stopped"}}]},
        {"name": "Record the retirement", "hosts": "localhost", "connection": "local", **common,
         "roles": [{"role": "decommission", "vars": {"decommission_kind": "system"}}]},
    ]


# What each kind of cutover does, as its plays and the wave's README call it.
ACTION_TITLES: dict[tuple[str, str], str] = {
    ("system", "migrate"): "Migrate the system to its cloud pool",
    ("system", "retire"): "Retire the system",
    ("network", "migrate"): "Migrate the private network onto the e-government extranet",
    ("network", "interconnect"): "Interconnect the private network with the e-government extranet",
    ("room", "close"): "Close the machine room",
}


def decommission(kind: str, action: str, vars_file: str) -> list[Play]:
    """Room close, network migrate or interconnect: controller-side checklists and hooks."""
    title = ACTION_TITLES.get((kind, action))
    if kind not in ("room", "network") or title is None:
        raise ValueError(f"decommission takes a room close or a network migrate/interconnect, got {kind} {action}")
    return [
        {"name": f"{title}: checklist and retirement command", "hosts": "localhost", "connection": "local",
         "gather_facts": False, "vars_files": [vars_file],
         "roles": [{"role": "decommission", "vars": {"decommission_kind": kind}}]},
    ]


def site(playbooks: list[tuple[str, str]]) -> list[Play]:
    """The wave's entry point: every cutover playbook (file, title), in order."""
    return [{"name": f"Cutover {index + 1}: {title}", "ansible.builtin.import_playbook": name}
            for index, (name, title) in enumerate(playbooks)]
