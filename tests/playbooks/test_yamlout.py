"""What `yamlout` writes is read back by Ansible's own loader as the same data, and
Ansible's templating leaves every `Unsafe` string alone."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar

from playbooks.yamlout import Unsafe, dump, unsafe_tree

HOSTILE = [
    "{{ lookup('pipe', 'id') }}",
    "{% for x in range(3) %}x{% endfor %}",
    "{# comment #}",
    "$(rm -rf /) `reboot` ; | & > <",
    "it's \"quoted\" \\ back",
    "湘潭市 人社局 系统",
    "line one\nline two {{ 1 + 1 }}",
    "true", "yes", "null", "017", "1e3", "2024-01-01", "~", "",
    "- not a list", "key: value", "&anchor *alias !tag %directive @at",
]


@pytest.fixture()
def load(tmp_path: Path) -> Callable[[str], Any]:
    """Load like Ansible loads a playbook or vars file: from a file, trusted as template."""
    def load_text(text: str) -> Any:
        path = tmp_path / "vars.yml"
        path.write_text(text, encoding="utf-8")
        return DataLoader().load_from_file(str(path), cache="none", trusted_as_template=True)

    return load_text


@pytest.mark.parametrize("value", HOSTILE)
def test_unsafe_strings_load_back_unchanged_and_are_never_templated(value: str, load: Callable[[str], Any]) -> None:
    loaded = load(dump({"value": Unsafe(value), "nested": unsafe_tree({"list": [value], "map": {"k": value}})}))

    assert loaded == {"value": value, "nested": {"list": [value], "map": {"k": value}}}
    assert all(type(item) is not bool and isinstance(item, str)
               for item in (loaded["value"], loaded["nested"]["list"][0], loaded["nested"]["map"]["k"]))
    templar = Templar(loader=DataLoader(), variables={"x": 1})
    assert templar.template(loaded["value"]) == value
    assert templar.template(loaded["nested"]) == {"list": [value], "map": {"k": value}}


def test_non_strings_keep_their_types(load: Callable[[str], Any]) -> None:
    assert load(dump(unsafe_tree({"n": 3, "f": 1.5, "b": False, "none": None}))) == {
        "n": 3, "f": 1.5, "b": False, "none": None}


def test_plain_strings_are_templated_as_ansible_code(load: Callable[[str], Any]) -> None:
    # The control: the same loading path does template a string written without !unsafe.
    loaded = load(dump({"expression": "{{ 6 * 7 }}"}))
    assert Templar(loader=DataLoader()).template(loaded["expression"]) == 42
