"""The YAML and JSON readers: correct (YAML 1.2 core schema, strings stay strings) and bounded
(issue 18, items 6, 8 and 10): every hostile document is one problem line, never a crash or a stall."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inventory.files import load_inventory, write_inventory
from inventory.yamlio import dump_yaml, parse_document, referee_yaml
from models.errors import InputError, ValidationFailed
from tests.builders import department, inventory, room, system


def _write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _one_line(error: pytest.ExceptionInfo[InputError]) -> str:
    message = str(error.value)
    assert "\n" not in message and "Traceback" not in message
    return message


@pytest.mark.parametrize("scalar", ["'2024-01-01'", '"2024-01-01"', "2024-01-01", "'2024-01-01 10:00:00'"])
def test_a_date_like_id_is_a_string(tmp_path: Path, scalar: str) -> None:
    path = _write(tmp_path, "a.yaml", f"id: {scalar}\nname: x\n")
    document, _ = parse_document(path)
    assert document["id"] == scalar.strip("'\"")


def test_yaml_1_2_core_schema() -> None:
    text = "a: yes\nb: on\nc: 1_000\nd: 0o10\ne: 0x1f\nf: 010\ng: ~\nh: 1e3\ni: 0b11\nj: True\n"
    document, _ = referee_yaml(Path("x.yaml"), text)
    assert document == {"a": "yes", "b": "on", "c": "1_000", "d": 8, "e": 31, "f": 10, "g": None, "h": 1000.0,
                        "i": "0b11", "j": True}


def test_both_readers_agree_on_the_core_schema(tmp_path: Path) -> None:
    text = "a: yes\nd: 0o10\ne: 0x1f\nf: 010\ng: ~\nh: 1e3\nj: True\nk: '2024-01-01'\nl: null\nm: -.5\n"
    fast, _ = parse_document(_write(tmp_path, "a.yaml", text))
    assert fast == referee_yaml(Path("x.yaml"), text)[0]


def test_a_date_like_id_round_trips_through_every_format(tmp_path: Path) -> None:
    """JSON -> CSV ledger -> YAML: the round trip that broke with yaml-rs's dates."""
    original = inventory([system("2024-01-01", name="2024-01-02", room="r1")], rooms=[room("r1")])
    write_inventory(original, tmp_path / "inv.json")
    from_json, _ = load_inventory(tmp_path / "inv.json")
    write_inventory(from_json, tmp_path / "ledger")
    from_csv, _ = load_inventory(tmp_path / "ledger")
    write_inventory(from_csv, tmp_path / "inv.yaml")
    from_yaml, _ = load_inventory(tmp_path / "inv.yaml")
    assert from_yaml.systems[0].id == "2024-01-01" and from_yaml.systems[0].name == "2024-01-02"
    assert from_yaml == from_json


NUMBERISH_TEXT = st.text(alphabet="0123456789_.+-eExXoObBnNaAiIfFtTrRuUlLsS~: ", max_size=8)
"""Words YAML readers may take for numbers, booleans or null: where yaml-rs and YAML 1.2 disagree."""


@pytest.mark.parametrize("text", ["_0", "-_7", "6_e4", "1e29_", "1_000", "0b11", "0X1F", "-0xE", "0O7", ".Nan", ".iNf"])
def test_words_yaml_rs_takes_for_numbers_stay_strings(tmp_path: Path, text: str) -> None:
    """Found by the round-trip property: yaml-rs reads each of these, written plain, as a number."""
    document = {"id": text}
    assert parse_document(_write(tmp_path, "w.yaml", dump_yaml(document)))[0] == document


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=40) | NUMBERISH_TEXT)
def test_strings_round_trip_through_yaml(text: str) -> None:
    """Any string migplan writes into YAML reads back as the same string, by either reader."""
    document = {"id": text, "items": [text], text: "key"}
    dumped = dump_yaml(document)
    assert referee_yaml(Path("x.yaml"), dumped)[0] == document
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "r.yaml"
        path.write_text(dumped, encoding="utf-8")
        assert parse_document(path)[0] == document


def test_billion_laughs_is_refused(tmp_path: Path) -> None:
    lines = ['a0: &a0 "lol"']
    for level in range(1, 12):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 10) + "]")
    path = _write(tmp_path, "bomb.yaml", "\n".join(lines) + "\n")
    with pytest.raises(ValidationFailed) as raised:
        parse_document(path)
    assert "aliases expand this document" in _one_line(raised)


def test_a_long_string_repeated_through_aliases_is_refused(tmp_path: Path) -> None:
    """2 MB repeated 3,000 times: yaml-rs used gigabytes and then panicked."""
    text = "s: &s " + "x" * 2_000_000 + "\nlist: [" + ", ".join(["*s"] * 3000) + "]\n"
    with pytest.raises(ValidationFailed, match="aliases expand"):
        parse_document(_write(tmp_path, "big.yaml", text))


def test_an_alias_inside_its_own_node_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValidationFailed, match="refers to the node that contains it"):
        parse_document(_write(tmp_path, "loop.yaml", "a: &a [1, *a]\n"))


def test_a_few_aliases_are_fine(tmp_path: Path) -> None:
    document, _ = parse_document(_write(tmp_path, "ok.yaml", "a: &n [1, 2]\nb: *n\n"))
    assert document == {"a": [1, 2], "b": [1, 2]}


@pytest.mark.parametrize("text", ["- " * 30_000 + "x\n", "[" * 30_000 + "]" * 30_000 + "\n",
                                  "a:\n" + "".join(" " * i + "- \n" for i in range(1, 200))])
def test_deep_yaml_is_one_line_not_a_crash(tmp_path: Path, text: str) -> None:
    with pytest.raises(ValidationFailed) as raised:
        parse_document(_write(tmp_path, "deep.yaml", text))
    _one_line(raised)


def test_deep_json_is_one_line(tmp_path: Path) -> None:
    for depth in (100, 1000, 100_000):
        path = _write(tmp_path, "deep.json", "[" * depth + "]" * depth)
        with pytest.raises(ValidationFailed) as raised:
            parse_document(path)
        assert "nested deeper" in _one_line(raised)


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_an_integer_of_5000_digits_is_one_line(tmp_path: Path, suffix: str) -> None:
    body = '{"vcpu": ' + "9" * 5000 + "}"
    with pytest.raises(ValidationFailed) as raised:
        parse_document(_write(tmp_path, "big" + suffix, body))
    assert "digits" in _one_line(raised) or "integer" in _one_line(raised)


def test_duplicate_json_keys_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValidationFailed, match="duplicate key 'vcpu'"):
        parse_document(_write(tmp_path, "dup.json", '{"vcpu": 1, "vcpu": 2}'))


def test_duplicate_yaml_keys_are_refused_with_the_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "dup.yaml", "a: &x 1\nvcpu: 1\nvcpu: 2\n")
    with pytest.raises(ValidationFailed) as raised:
        parse_document(path)
    assert _one_line(raised).startswith(f"{path}:3:") and "duplicate key 'vcpu'" in str(raised.value)
    with pytest.raises(ValidationFailed, match="duplicate"):
        parse_document(_write(tmp_path, "dup2.yaml", "vcpu: 1\nvcpu: 2\n"))


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_json_nan_is_refused(tmp_path: Path, constant: str) -> None:
    with pytest.raises(ValidationFailed, match=constant):
        parse_document(_write(tmp_path, "nan.json", f'{{"vcpu": {constant}}}'))


@pytest.mark.parametrize("suffix, body", [(".yaml", "format: migplan-inventory/1\nsystems: []\n"),
                                          (".json", '{"format": "migplan-inventory/1", "systems": []}')])
def test_a_byte_order_mark_is_accepted(tmp_path: Path, suffix: str, body: str) -> None:
    document, _ = parse_document(_write(tmp_path, "bom" + suffix, "\ufeff".encode() + body.encode()))
    assert document["format"] == "migplan-inventory/1"


def test_a_byte_order_mark_inventory_validates(tmp_path: Path) -> None:
    original = inventory([system("s1", room="r1")], rooms=[room("r1")], departments=[department("d1")])
    write_inventory(original, tmp_path / "inv.yaml")
    text = (tmp_path / "inv.yaml").read_bytes()
    (tmp_path / "bom.yaml").write_bytes(b"\xef\xbb\xbf" + text)
    loaded, _ = load_inventory(tmp_path / "bom.yaml")
    assert loaded == original


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "bad.yaml", "a: 1\nb: [1, 2\nc: 3\n")
    with pytest.raises(ValidationFailed) as raised:
        parse_document(path)
    assert str(raised.value).startswith(f"{path}:") and "invalid YAML" in str(raised.value)


def test_json_is_still_read(tmp_path: Path) -> None:
    document, _ = parse_document(_write(tmp_path, "a.json", json.dumps({"a": [1, 2.5, "x", None, True]})))
    assert document == {"a": [1, 2.5, "x", None, True]}
