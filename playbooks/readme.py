"""README.md of one wave: what it does, what to set, how to run, roll back and resume.

Chinese first (the people who run the waves read it), then the same in English. Every
id and name from the inventory goes through `md`, so a name cannot add Markdown
structure, links or HTML to the page.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from models.inventory import Inventory
from models.plan import Action
from models.scenario import Scenario

if TYPE_CHECKING:
    from playbooks.generate import Cutover

# Inventory text only ever lands inside a table cell or a sentence, never at the start of a
# line, so only the inline markup characters need escaping ('<' and '&' become entities).
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~])")

_KIND_ZH = {"system": "系统", "network": "专网", "room": "机房"}
_ACTION_ZH = {("system", "migrate"): "迁移上云", ("system", "retire"): "撤并下线",
              ("network", "migrate"): "迁入电子政务外网", ("network", "interconnect"): "与电子政务外网互联",
              ("room", "close"): "关停机房"}
_ACTION_EN = {("system", "migrate"): "migrate to the cloud", ("system", "retire"): "retire",
              ("network", "migrate"): "migrate onto the extranet", ("network", "interconnect"): "interconnect",
              ("room", "close"): "close"}

# The site file's settings a wave reads, with what they are for (zh, en).
_DEFAULTS = [
    ("migplan_provider", "建目标虚拟机的方式：hook、openstack 或 vmware", "how target VMs are made: hook, openstack or vmware"),
    ("migplan_provision_command", "hook 方式下创建虚拟机的命令", "command that creates a VM with the hook provider"),
    ("migplan_dns_host / migplan_dns_file / migplan_dns_command", "割接时切换域名解析的位置或命令",
     "where or how the service name is switched at cutover"),
    ("migplan_sync_ssh_key_file / migplan_sync_known_hosts_file", "源主机推送数据所用密钥与 known_hosts（源主机上的路径）",
     "key and known_hosts the source pushes data with (paths on the source)"),
    ("migplan_checklist_dir", "退役清单写入的目录（默认本目录下 checklists/）",
     "where retirement checklists go (default checklists/ here)"),
    ("migplan_decommission_command / migplan_decommission_confirmed", "真正执行退役的命令，仅在确认为 true 时运行",
     "the command that really retires things; runs only when confirmed is true"),
]
_PER_SYSTEM = [
    ("source / target: ansible_host, migplan_data_dir, migplan_service_*", "源主机与目标虚拟机的连接、数据目录和服务",
     "connection, data directory and service of the source host and the target VM"),
    ("target: migplan_sync_address", "源主机推送数据到目标的地址", "address the source pushes the data to"),
    ("cutover: migplan_service_fqdn, migplan_sqlite_databases", "切换的域名与要复制的数据库",
     "the name to switch and the databases to copy"),
]
_VAULT = [
    ("vault_vmware_password", "vmware 方式的密码（ansible-vault 加密，切勿明文写入）",
     "the vmware provider's password (ansible-vault encrypted, never plain)"),
    ("clouds.yaml (migplan_openstack_cloud)", "openstack 方式的凭据放在控制节点的 clouds.yaml 中",
     "the openstack provider's credentials live in clouds.yaml on the controller"),
]


def md(text: object) -> str:
    """Inventory text as literal Markdown: one line, no markup, no HTML."""
    flat = " ".join(str(text).split())
    flat = flat.replace("&", "&amp;").replace("<", "&lt;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", flat)


def _object(inventory: Inventory, action: Action) -> tuple[str, str]:
    """(name, department name) of an action's object."""
    records: Mapping[str, Any] = {"system": inventory.system_by_id, "network": inventory.network_by_id,
                                  "room": inventory.room_by_id}[action.kind]
    record = records[action.id]
    department = inventory.department_by_id.get(record.department)
    return record.name, department.name if department is not None else record.department


def _pool(inventory: Inventory, action: Action) -> str:
    if action.kind != "system" or action.action != "migrate" or action.target is None:
        return "—"
    pool = inventory.cloud_by_id.get(action.target)
    text = md(action.target) + (f" ({md(pool.name)})" if pool is not None else "")
    if action.dr_target:
        text += f" + DR {md(action.dr_target)}"
    return text


def _missing_site(actions: Sequence[Action], site: Mapping[str, Any]) -> list[str]:
    systems = site.get("systems") or {}
    return [action.id for action in actions if action.kind == "system"
            and not ((systems.get(action.id) or {}).get("source"))]


def wave_readme(period: str, identity: str, scenario: Scenario, inventory: Inventory, actions: Sequence[Action],
                cutovers: Sequence[Cutover], site: Mapping[str, Any]) -> str:
    rows_zh, rows_en = [], []
    for action, cutover in zip(actions, cutovers, strict=True):
        name, department = _object(inventory, action)
        key = (action.kind, action.action)
        common = f"| {md(department)} | {md(action.id)} | {md(name)} | {_pool(inventory, action)} | `{cutover.playbook}` |"
        rows_zh.append(f"| {cutover.step} | {_KIND_ZH[action.kind]} | {_ACTION_ZH[key]} " + common)
        rows_en.append(f"| {cutover.step} | {action.kind} | {_ACTION_EN[key]} " + common)
    missing = _missing_site(actions, site)
    defaults = site.get("defaults") or {}
    unset = [name for name in ("migplan_provider", "migplan_dns_file") if name not in defaults]
    missing_zh = ("\n> **尚未设置：** 站点文件没有给出这些系统的源主机变量：" + "、".join(md(i) for i in missing) + "。"
                  if missing else "")
    missing_en = ("\n> **Not set yet:** the site file gives no source host vars for: " + ", ".join(md(i) for i in missing) + "."
                  if missing else "")
    unset_zh = f"\n> 站点文件的 defaults 未设置 {', '.join(unset)}，将使用角色的默认值。" if unset else ""
    unset_en = f"\n> The site file's defaults do not set {', '.join(unset)}; the roles' defaults apply." if unset else ""
    table_head_zh = "| 序号 | 类型 | 动作 | 部门 | 对象 id | 名称 | 目标资源池 | 剧本 |\n|---|---|---|---|---|---|---|---|"
    table_head_en = "| step | kind | action | department | object id | name | target pool | playbook |\n|---|---|---|---|---|---|---|---|"
    variables_zh = "\n".join(f"- `{var}`：{zh}" for var, zh, _ in _DEFAULTS)
    variables_en = "\n".join(f"- `{var}`: {en}" for var, _, en in _DEFAULTS)
    per_system_zh = "\n".join(f"- `{var}`：{zh}" for var, zh, _ in _PER_SYSTEM)
    per_system_en = "\n".join(f"- `{var}`: {en}" for var, _, en in _PER_SYSTEM)
    vault_zh = "\n".join(f"- `{var}`：{zh}" for var, zh, _ in _VAULT)
    vault_en = "\n".join(f"- `{var}`: {en}" for var, _, en in _VAULT)
    return f"""# {period} 批次迁移剧本

由 migplan 依据方案 `{md(scenario.name)}` 生成（方案标识 `{identity}`）。本目录是一个完整的 Ansible
项目：角色在 `roles/` 中，没有任何绝对路径，可以复制到任何控制节点、在任何目录下运行，也可以直接作为
AWX/AAP 项目使用，控制节点无需安装 migplan。

## 本批次的割接（按执行顺序）

网络先迁（用户须能经电子政务外网访问系统），再迁系统，最后关停机房。

{table_head_zh}
{chr(10).join(rows_zh)}

## 需要设置的变量与密文

在生成时用 `migplan playbooks --site 站点文件` 给出，或直接编辑 `group_vars/all.yml` 与 `inventory.yml`。{missing_zh}{unset_zh}

全局（`group_vars/all.yml`）：
{variables_zh}

每个系统（站点文件 `systems.<id>`，写入 `inventory.yml` 与 `vars/`）：
{per_system_zh}

密文（只按名称引用，从不写入本目录）：
{vault_zh}

## 演练与正式执行

```sh
cd {period}                                             # 或在任何目录下写出本目录的路径
ansible-playbook -i inventory.yml site.yml --check --diff   # 演练（检查模式），不做任何改动
ansible-playbook -i inventory.yml site.yml                  # 正式执行
ansible-playbook -i inventory.yml <剧本>.yml                 # 只执行其中一个割接
```

用 migplan 执行可以留下运行日志并断点续跑（在本目录的上一级运行）：

```sh
migplan run --wave {period} --check --playbooks .   # 演练
migplan run --wave {period} --playbooks .           # 正式执行；失败时退出码 5，并给出失败的主机、任务与原因
```

作为 AWX/AAP 项目：项目指向本目录，剧本选 `site.yml`，清单从项目中的 `inventory.yml` 导入。

## 回退与续跑

- 系统迁移的割接与验证放在一个 block 中：任何一步失败，rescue 会停掉目标服务、把域名切回源主机、
  重新启动源服务并检查其健康，然后让该割接失败，整个批次停在这里。源数据从未被修改。
- 修好原因后再次运行 `migplan run --wave {period}`：运行日志（`journal-{period}.jsonl`）中已成功的割接
  （按批次、对象、动作和方案标识记录）会被跳过，从失败的那个割接继续。
- 如果重新生成了剧本（方案变了），旧日志与新剧本不符，`migplan run` 会拒绝续跑并说明原因；
  用 `--journal` 指定新的日志文件重新开始。
- 不用 migplan 时，用 `ansible-playbook ... <剧本>.yml` 逐个执行尚未完成的割接。

---

# Wave {period} playbooks

Written by migplan from scenario `{md(scenario.name)}` (plan identity `{identity}`). This folder is a whole
Ansible project: the roles are in `roles/`, there is no absolute path, and it runs from any directory, on a
controller without migplan, or as an AWX/AAP project.

## The cutovers of this wave, in order

Networks first (users must reach a system over the extranet), then systems, then rooms.

{table_head_en}
{chr(10).join(rows_en)}

## Variables and vault names to set

Give them with `migplan playbooks --site SITE.yaml` when generating, or edit `group_vars/all.yml` and
`inventory.yml`.{missing_en}{unset_en}

For the whole wave (`group_vars/all.yml`):
{variables_en}

Per system (the site file's `systems.<id>`, written to `inventory.yml` and `vars/`):
{per_system_en}

Secrets (referenced by name, never written here):
{vault_en}

## Check mode and the real run

```sh
cd {period}                                             # or give this folder's path from anywhere
ansible-playbook -i inventory.yml site.yml --check --diff   # check mode: changes nothing
ansible-playbook -i inventory.yml site.yml                  # the real run
ansible-playbook -i inventory.yml <playbook>.yml            # one cutover only
```

With migplan, for a run journal and resuming (run from the folder above this one):

```sh
migplan run --wave {period} --check --playbooks .
migplan run --wave {period} --playbooks .   # exit 5 on a failed cutover, naming host, task and message
```

As an AWX/AAP project: point the project at this folder, choose `site.yml`, source the inventory from
`inventory.yml` in the project.

## Rollback and resuming

- A system's cutover and verification run in one block: when any step fails, the rescue stops the target
  service, switches the name back to the source, starts the source service and checks its health, then
  fails the cutover, and the wave stops there. The source data is never changed.
- Fix the cause and run `migplan run --wave {period}` again: the cutovers the journal
  (`journal-{period}.jsonl`, keyed by wave, object, action and plan identity) records as done are skipped.
- If the playbooks were written again for another plan, the old journal does not match them and
  `migplan run` refuses to resume, saying why; start a new journal with `--journal`.
- Without migplan, run the cutovers not yet done one by one with `ansible-playbook ... <playbook>.yml`.
"""
