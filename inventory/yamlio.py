"""YAML and JSON reading and writing, with line numbers for problems.

YAML is read correctly and within bounds by a referee: PyYAML on libyaml (its C
parser) with the YAML 1.2 core schema instead of PyYAML's YAML 1.1 one, so a
quoted scalar is always a string, and so are plain ``2024-01-01``, ``yes`` and
``1_000``. Before anything is built from its node tree, the tree is checked
without recursion for what would make a reader stall or crash: aliases expanding
past a multiple of the file's size (the "billion laughs"), an alias inside the
node it names, nesting deeper than ``MAX_DEPTH`` and duplicate keys.

yaml-rs (Rust) is some ten times faster, so it reads a document, with its date
parsing off (with it on, yaml-rs 0.1.6 reads even a quoted '2024-01-01' as a
date), when a cheap scan of the text finds nothing it gets wrong: no anchor,
alias or tag (it expands aliases without a bound on their size, and panics on
thousands of them), no ``1_000`` or ``0b1`` (numbers in YAML 1.1 only) and no
line long enough to hold deep nesting (it overflows its stack). Anything else,
and anything yaml-rs rejects, goes to the referee, whose messages carry the line.

JSON is read by the standard library, refusing duplicate keys, NaN and infinities
where a number belongs, nesting deeper than ``MAX_DEPTH`` and integers too long
to convert. Both accept a UTF-8 byte order mark.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
import yaml_rs

from inventory.outputs import write_file
from inventory.source import Locator, RawInventory, no_location
from models.errors import InputError, Problem, ValidationFailed, no_such_path

SafeLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SafeDumper: type = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
MAX_DEPTH = 64
"""Deepest nesting accepted in a YAML or JSON document; migplan's documents need fewer than ten levels."""
MAX_INTEGER_BITS = 3322
"""About 1,000 decimal digits: far past any quantity, and well under what Python can print."""
EXPANSION_FACTOR = 8
"""A YAML document may expand through aliases to at most this many times its size (plus ``EXPANSION_FLOOR``)."""
EXPANSION_FLOOR = 1_000_000
YAML_RS_LONGEST_LINE = 10_000
"""yaml-rs overflows its stack on some 20,000 levels of nesting on one line (``- - - …``)."""
_NODE_PROPERTY = re.compile(r"(?:^|[\s\[\]{},:])[&*!]", re.MULTILINE)
_NUMBERISH = frozenset("0123456789_.eE+-")
_RADIX_PREFIXES = ("0b", "0B", "0x", "0X", "0o", "0O")


def _yaml_rs_reads_it(text: str) -> bool:
    """Whether ``text`` has none of what yaml-rs reads wrongly or without a bound (cheap tests first)."""
    if any(mark in text for mark in "&*!") and _NODE_PROPERTY.search(text):
        return False  # an anchor, alias or tag: yaml-rs expands aliases without a bound on their size
    if any(prefix in text for prefix in _RADIX_PREFIXES) or _underscored_number(text):
        return False  # 1_000, 0b1, 0X1F, -0x1f: numbers to yaml-rs, text (or 0x/0o only) in YAML 1.2
    lowered = text.lower()
    if ".nan" in lowered or ".inf" in lowered:
        return False  # yaml-rs reads .Nan and .iNf as numbers too; YAML 1.2 only three spellings of each
    return len(text) < YAML_RS_LONGEST_LINE or max(map(len, text.split("\n"))) < YAML_RS_LONGEST_LINE


class Yaml12Loader(SafeLoader):  # type: ignore[misc, valid-type]
    """libyaml's parser with the YAML 1.2 core schema: null, bool, int and float by 1.2's rules, all else text."""

    yaml_implicit_resolvers: dict[Any, Any] = {}


_CORE_SCHEMA = (
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    ("tag:yaml.org,2002:float",
     r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
     list("-+.0123456789")),
)
for _tag, _pattern, _first in _CORE_SCHEMA:
    Yaml12Loader.add_implicit_resolver(_tag, re.compile(_pattern), _first)


def _construct_int(loader: Any, node: yaml.ScalarNode) -> int:
    text = str(loader.construct_scalar(node))
    try:
        if text.startswith("0o"):
            return int(text[2:], 8)
        if text.startswith("0x"):
            return int(text[2:], 16)
        return int(text, 10)
    except ValueError:  # past Python's 4,300 digits
        raise yaml.constructor.ConstructorError(
            None, None, f"integer of {len(text):,} digits is too long", node.start_mark) from None


def _construct_float(loader: Any, node: yaml.ScalarNode) -> float:
    text = str(loader.construct_scalar(node)).lower()
    if text.endswith(".inf"):
        return -math.inf if text.startswith("-") else math.inf
    if text == ".nan":
        return math.nan
    return float(text)


class Yaml12Dumper(SafeDumper):  # type: ignore[misc, valid-type]
    """PyYAML's dumper, quoting every string that YAML 1.1 or YAML 1.2 would read as something else."""


for _tag, _pattern, _first in _CORE_SCHEMA:
    Yaml12Dumper.add_implicit_resolver(_tag, re.compile(_pattern), _first)

Yaml12Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
Yaml12Loader.add_constructor("tag:yaml.org,2002:float", _construct_float)


def read_text(path: Path) -> str:
    """A UTF-8 text file, without its byte order mark if it has one."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise no_such_path(path) from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a file") from None
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from None
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror})") from None


def _problem(path: Path, line: int | str, message: str) -> ValidationFailed:
    return ValidationFailed([Problem(str(path), str(line), "", "", message)])


def _reject_duplicates(path: Path) -> Any:
    def build(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        document: dict[str, Any] = {}
        for key, value in pairs:
            if key in document:
                raise _problem(path, "", f"invalid JSON: duplicate key {key!r} in one object")
            document[key] = value
        return document

    return build


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number migplan accepts")


def parse_json(path: Path, text: str, allow_nan: bool = False) -> Any:
    """A JSON document, strictly: no duplicate keys, bounded depth and integer length, and no NaN or
    infinities unless ``allow_nan`` (a plan's numbers are the checker's to judge)."""
    try:
        document = json.loads(text, object_pairs_hook=_reject_duplicates(path),
                              parse_constant=float if allow_nan else _reject_constant)
    except json.JSONDecodeError as error:
        raise _problem(path, error.lineno, f"invalid JSON: {error.msg}") from None
    except RecursionError:
        raise _problem(path, "", f"invalid JSON: nested deeper than {MAX_DEPTH} levels") from None
    except ValueError as error:  # an integer past 4,300 digits, NaN, Infinity
        reason = str(error).splitlines()[0]
        raise _problem(path, "", f"invalid JSON: {reason}") from None
    _check_depth(path, document)
    return document


def _check_depth(path: Path, document: Any) -> None:
    """Refuse nesting deeper than ``MAX_DEPTH`` and integers too long to print (Python stops at 4,300 digits)."""
    pending: list[tuple[Any, int]] = [(document, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, (dict, list)):
            if depth > MAX_DEPTH:
                raise _problem(path, "", f"nested deeper than {MAX_DEPTH} levels")
            children = value.values() if isinstance(value, dict) else value
            pending.extend((child, depth + 1) for child in children)
        elif isinstance(value, int) and value.bit_length() > MAX_INTEGER_BITS:
            raise _problem(path, "", "an integer is too long (over 1,000 digits)")


def _underscored_number(text: str) -> bool:
    """A word of digits with an underscore in it (``1_000``, ``_7``, ``6_e4``): yaml-rs reads it as a number."""
    start = text.find("_")
    while start != -1:
        left, right = start, start + 1
        while left > 0 and text[left - 1] in _NUMBERISH:
            left -= 1
        while right < len(text) and text[right] in _NUMBERISH:
            right += 1
        word_starts = left == 0 or not text[left - 1].isalnum()
        word_ends = right == len(text) or not text[right].isalnum()
        if word_starts and word_ends and any(char.isdigit() for char in text[left:right]):
            return True
        start = text.find("_", right)
    return False


def parse_yaml(path: Path, text: str) -> tuple[Any, Locator]:
    """A YAML document (YAML 1.2 core schema) and a locator of its records' lines."""
    if _yaml_rs_reads_it(text):
        try:
            document = yaml_rs.loads(text, parse_datetime=False)
        except yaml_rs.YAMLDecodeError:
            pass  # the referee says where, in its words
        except BaseException as error:  # pyo3's PanicException is a BaseException
            if type(error).__name__ != "PanicException":
                raise
        else:
            _check_depth(path, document)
            return document, _yaml_locator(lambda: yaml.compose(text, Loader=Yaml12Loader))
    document, node = referee_yaml(path, text)
    return document, _yaml_locator(lambda: node)


def referee_yaml(path: Path, text: str) -> tuple[Any, yaml.Node | None]:
    """A YAML document (YAML 1.2 core schema) and its node tree, after the checks of ``check_nodes``."""
    loader = Yaml12Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        check_nodes(path, node, len(text))
        return loader.construct_document(node), node
    except yaml.YAMLError as error:
        raise ValidationFailed([_syntax_problem(path, error)]) from None
    except RecursionError:
        raise _problem(path, "", f"nested deeper than {MAX_DEPTH} levels") from None
    finally:
        loader.dispose()


def check_nodes(path: Path, root: yaml.Node, size: int) -> None:
    """Refuse a node tree that aliases would blow up, that refers to itself, nests too deep or repeats a key.

    One pass in post-order, with a stack instead of recursion: each node's expanded
    size (scalar characters plus one per node) is the sum over its children, so
    a node reached through a thousand aliases is measured once and counted a
    thousand times.
    """
    limit = EXPANSION_FACTOR * size + EXPANSION_FLOOR
    expanded: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, children_done = stack.pop()
        key = id(node)
        if children_done:
            on_path.discard(key)
            total = 1 + sum(expanded[id(child)] for child in _children(node))
            if total > limit:
                raise _problem(path, node.start_mark.line + 1,
                               f"aliases expand this document to over {total:,} characters, more than "
                               f"{EXPANSION_FACTOR} times its size (limit {limit:,})")
            expanded[key] = total
            continue
        if key in expanded:
            continue
        if key in on_path:
            raise _problem(path, node.start_mark.line + 1, "an alias refers to the node that contains it")
        if depth > MAX_DEPTH:
            raise _problem(path, node.start_mark.line + 1, f"nested deeper than {MAX_DEPTH} levels")
        if isinstance(node, yaml.ScalarNode):
            expanded[key] = 1 + len(node.value)
            continue
        if isinstance(node, yaml.MappingNode):
            _check_duplicate_keys(path, node)
        on_path.add(key)
        stack.append((node, depth, True))
        stack.extend((child, depth + 1, False) for child in _children(node))


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _check_duplicate_keys(path: Path, node: yaml.MappingNode) -> None:
    seen: dict[tuple[str, str], int] = {}
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            continue
        identity = (key_node.tag, key_node.value)
        line = key_node.start_mark.line + 1
        if identity in seen:
            raise _problem(path, line, f"invalid YAML: duplicate key {key_node.value!r} (first on line {seen[identity]})")
        seen[identity] = line


def parse_document(path: Path) -> tuple[Any, Locator]:
    """Parse a YAML or JSON file; a syntax error or an unbounded document is one problem line with its position."""
    text = read_text(path)
    if path.suffix.lower() == ".json":
        return parse_json(path, text), no_location
    return parse_yaml(path, text)


def _syntax_problem(path: Path, error: yaml.YAMLError) -> Problem:
    """One problem line for a YAML error, at the position the parser gives."""
    mark = getattr(error, "problem_mark", None)
    location = str(mark.line + 1) if mark is not None else ""
    reason = getattr(error, "problem", None) or str(error).splitlines()[-1]
    return Problem(str(path), location, "", "", f"invalid YAML: {reason}")


def _yaml_locator(compose: Callable[[], yaml.Node | None]) -> Locator:
    """Line numbers from the document's node tree, composed only when a problem needs one."""
    tree: list[yaml.Node | None] = []

    def locate(list_name: str, index: int, field_name: str) -> str:
        if not tree:
            tree.append(compose())
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
    return yaml.dump(document, Dumper=Yaml12Dumper, allow_unicode=True, sort_keys=False, width=120)


def write_document(document: Any, path: Path) -> None:
    """Write YAML or JSON by suffix, atomically (a failure leaves no half-written file)."""
    text = (
        json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        if path.suffix.lower() == ".json"
        else dump_yaml(document)
    )
    write_file(path, text)
