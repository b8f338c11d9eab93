"""YAML for Ansible with inventory strings kept as data.

Ansible templates any string in a playbook, inventory or vars file that contains
`{{`, `{%` or `{#`. Ids and names from an inventory may contain exactly that, so
every such string is wrapped in `Unsafe` and written with the `!unsafe` tag, which
Ansible loads as a string it never templates. The dumper is PyYAML's safe dumper, so
quotes, newlines, backticks and non-ASCII text come out escaped, and no Python
object tag can appear.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml


class Unsafe(str):
    """A string Ansible must treat as data: written as `!unsafe '...'`."""

    __slots__ = ()


class AnsibleDumper(yaml.SafeDumper):
    """Safe dumper that knows `Unsafe` and never writes YAML anchors or aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Indent list items under their key, as yamllint (and so ansible-lint) expects;
        # the reason this is PyYAML's Python emitter rather than the faster C one.
        super().increase_indent(flow, False)



_STR_TAG = "tag:yaml.org,2002:str"


def _represent_unsafe(dumper: AnsibleDumper, value: Unsafe) -> yaml.ScalarNode:
    style = "'" if "\n" not in value else '"'
    # Ansible (2.19) resolves the type of an !unsafe scalar as if it were unquoted, so
    # `!unsafe 'true'` loads as a bool and `!unsafe '017'` as an int. A string that
    # reads as a bool, number, null or date holds no '{', so Ansible would not template
    # it anyway: it is written as a plain quoted string, which stays a string.
    if dumper.resolve(yaml.ScalarNode, str(value), (True, False)) != _STR_TAG:
        return dumper.represent_scalar(_STR_TAG, str(value), style=style)
    return dumper.represent_scalar("!unsafe", str(value), style=style)


AnsibleDumper.add_representer(Unsafe, _represent_unsafe)


def unsafe_tree(value: Any) -> Any:
    """Wrap every string value in a nested structure of dicts and lists in `Unsafe`;
    other scalars and mapping keys stay as they are (keys are variable names: see
    `plain_keys`)."""
    if isinstance(value, str):
        return Unsafe(value)
    if isinstance(value, Mapping):
        return {key: unsafe_tree(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [unsafe_tree(item) for item in value]
    return value


def dump(data: Any) -> str:
    return "---\n" + yaml.dump(
        data,
        Dumper=AnsibleDumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=1000,
        explicit_start=False,
    )


def write(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump(data), encoding="utf-8")
