"""YAML and JSON reading and writing, with line numbers for problems.

Loading uses yaml-rs (a Rust YAML 1.2 parser, some thirty times faster than
PyYAML on a large inventory, and strict about duplicate keys); line numbers are
computed only when a problem needs one, by composing PyYAML's node tree on demand,
so a clean 10,000-system file pays nothing for them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml
import yaml_rs

from inventory.source import Locator, RawInventory, no_location
from models.errors import InputError, Problem, ValidationFailed, no_such_path

SafeLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SafeDumper: type = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise no_such_path(path) from None
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from None
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror})") from None


def parse_document(path: Path) -> tuple[Any, Locator]:
    """Parse a YAML or JSON file; a syntax error is one problem line with its position."""
    text = read_text(path)
    if path.suffix.lower() == ".json":
        try:
            return json.loads(text), no_location
        except json.JSONDecodeError as error:
            raise ValidationFailed(
                [Problem(str(path), str(error.lineno), "", "", f"invalid JSON: {error.msg}")]
            ) from None
    try:
        document = yaml_rs.loads(text)
    except yaml_rs.YAMLDecodeError as error:
        raise ValidationFailed([_syntax_problem(path, text, error)]) from None
    return document, _yaml_locator(text)


def _syntax_problem(path: Path, text: str, error: Exception) -> Problem:
    """One problem line for a YAML syntax error: PyYAML's position and wording where it sees one too."""
    try:
        yaml.compose(text, Loader=SafeLoader)
    except yaml.YAMLError as pyyaml_error:
        mark = getattr(pyyaml_error, "problem_mark", None)
        location = str(mark.line + 1) if mark is not None else ""
        reason = getattr(pyyaml_error, "problem", None) or str(pyyaml_error)
        return Problem(str(path), location, "", "", f"invalid YAML: {reason}")
    message = str(error)
    line = re.search(r"at line (\d+)", message)
    return Problem(str(path), line.group(1) if line else "", "", "", f"invalid YAML: {message.splitlines()[-1]}")


def _yaml_locator(text: str) -> Locator:
    """Line numbers from PyYAML's node tree, composed only when a problem needs one."""
    tree: list[yaml.Node | None] = []

    def locate(list_name: str, index: int, field_name: str) -> str:
        if not tree:
            tree.append(yaml.compose(text, Loader=SafeLoader))
        node = _child(tree[0], list_name)
        if isinstance(node, yaml.SequenceNode) and index < len(node.value):
            item = node.value[index]
            target = _child(item, field_name) if field_name else None
            chosen = target or item
            return str(chosen.start_mark.line + 1)
        return f"{list_name}[{index}]"

    return locate


def _child(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == key:
                return value_node
    return None


def read_raw(path: Path) -> RawInventory:
    document, locate = parse_document(path)
    if not isinstance(document, dict):
        raise ValidationFailed([Problem(str(path), "", "", "", "the file does not hold a mapping (an inventory document)")])
    return RawInventory(source=str(path), document=document, locate=locate)


def dump_yaml(document: Any) -> str:
    return yaml.dump(document, Dumper=SafeDumper, allow_unicode=True, sort_keys=False, width=120)


def write_document(document: Any, path: Path) -> None:
    """Write YAML or JSON by suffix, atomically (a failure leaves no half-written file)."""
    text = (
        json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        if path.suffix.lower() == ".json"
        else dump_yaml(document)
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)
