"""Ledger workbooks and CSV folders: round trips, Chinese headers, formula guards, exact problem lines."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from inventory.files import load_inventory, write_inventory
from inventory.spreadsheet import join_list, split_list
from models.errors import ValidationFailed
from models.inventory import Department, Inventory, Room, System

HOSTILE_IDS = ["=cmd|' /C calc'!A0", "{{ jinja }}", "$(shell rm -rf /)", 'say "hi"', "系统 甲, 乙", "+1", "'quoted", "@at"]


def hostile_inventory() -> Inventory:
    departments = tuple(Department(id=f"d-{i}", name=name, region=name) for i, name in enumerate(HOSTILE_IDS))
    rooms = (Room(id="-room 1", name="=SUM(A1:A9)", department="d-0", annual_cost_wan=1.5, close_cost_wan=0.1),)
    systems = tuple(
        System(id=system_id, name=f"{system_id} 名称", department="d-1", room="-room 1", mlps_level=2, vcpu=4,
               memory_gb=8.5, storage_tb=0.1, effort_days=3, migration_cost_wan=1.25,
               requires=tuple(HOSTILE_IDS[:index]), stay_reason="=HYPERLINK(\"http://x\")")
        for index, system_id in enumerate(HOSTILE_IDS)
    )
    return Inventory(region="=湘潭", departments=departments, rooms=rooms, systems=systems)


@pytest.mark.parametrize("suffix", [".xlsx", ""])
def test_sample_round_trip_is_equal(sample_path: Path, tmp_path: Path, suffix: str) -> None:
    inventory, _ = load_inventory(sample_path)
    target = tmp_path / f"ledger{suffix}"
    write_inventory(inventory, target)
    again, warnings = load_inventory(target)
    assert warnings == []
    assert again == inventory


@pytest.mark.parametrize("suffix", [".xlsx", ""])
def test_hostile_round_trip_is_equal(tmp_path: Path, suffix: str) -> None:
    inventory = hostile_inventory()
    target = tmp_path / f"ledger{suffix}"
    write_inventory(inventory, target)
    again, _ = load_inventory(target)
    assert again == inventory


def test_workbook_holds_no_formula_and_has_chinese_frozen_filtered_headers(tmp_path: Path) -> None:
    target = tmp_path / "ledger.xlsx"
    write_inventory(hostile_inventory(), target)
    workbook = openpyxl.load_workbook(target)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    systems = workbook["systems"]
    assert [cell.value for cell in systems[1]][:4] == ["系统编号", "系统名称", "所属单位", "所在机房"]
    assert systems.freeze_panes == "A2"
    assert systems.auto_filter.ref.startswith("A1:")
    assert systems["A2"].quotePrefix


def test_csv_is_utf8_with_bom_and_guards_formulas(tmp_path: Path) -> None:
    write_inventory(hostile_inventory(), tmp_path / "ledger")
    raw = (tmp_path / "ledger" / "systems.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    cells = [cell for row in rows[1:] for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


def test_list_cells_split_on_every_separator_and_quote_when_needed() -> None:
    assert split_list("a; b；c,d，e、f") == ["a", "b", "c", "d", "e", "f"]
    items = ["a,b", ' lead', 'q"x', "plain"]
    assert split_list(join_list(items)) == items


def write_ledger(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


SYSTEM_HEADERS = ["系统编号", "系统名称", "所属单位", "所在机房", "等保级别", "是否涉密", "vCPU", "内存（GB）",
                  "存储(TB)", "迁移工作量(人天)", "迁移费用(万元)", "依赖系统", "同步迁移", "技术架构"]


def good_sheets() -> dict[str, list[list[object]]]:
    return {
        "单位": [["单位编号", "单位名称", "单位层级"], ["renshe", "市人社局", "市直"]],
        "机房": [["机房编号", "机房名称", "所属单位", "年运行费用(万元)", "关停费用(万元)"], ["r1", "机房", "renshe", "85", 12]],
        "系统": [
            ["湘潭市政务信息系统台账"],  # a title row above the header
            SYSTEM_HEADERS,
            ["sys-a", "社会保险业务系统", "renshe", "r1", "三级", "否", "32", 128, 6, 25, 30, "sys-b；sys-c", "sys-b", "信创"],
            ["sys-b", "社保数据库", "renshe", "r1", 3, "false", 16, 64, 2, 5, 5, "", "sys-a", "x86"],
            ["sys-c", "统一身份认证", "renshe", "r1", "2级", 0, 8, 16, 1, 5, 5, None, None, "通用"],
        ],
        "资源池": [["资源池编号", "资源池名称", "云类型", "技术架构", "最高等保级别"], ["xt-x86", "湘潭市政务云", "市级", "x86", 3]],
        "容量": [["资源池编号", "起始季度", "vCPU", "内存(GB)", "存储(TB)"], ["xt-x86", "2023q1", 100, 400, 10]],
        "政务外网": [["起始季度", "带宽(Mbps)"], ["2023Q1", "2000"]],
        "基本信息": [["项目", "值"], ["region", "湘潭市"]],
    }


def test_chinese_ledger_reads_with_conversions(tmp_path: Path) -> None:
    inventory, warnings = load_inventory(write_ledger(tmp_path / "ledger.xlsx", good_sheets()))
    assert warnings == []
    shebao = inventory.system_by_id["sys-a"]
    assert (shebao.mlps_level, shebao.vcpu, shebao.arch, shebao.requires) == (3, 32, "xinchuang", ("sys-b", "sys-c"))
    assert inventory.system_by_id["sys-c"].arch == "any"
    assert inventory.departments[0].level == "city"
    assert inventory.clouds[0].kind == "city"
    assert inventory.clouds[0].capacity[min(inventory.clouds[0].capacity)].vcpu == 100
    assert sum(inventory.extranet.bandwidth_mbps.values()) == 2000
    assert inventory.region == "湘潭市"


def ledger_problems(tmp_path: Path, sheets: dict[str, list[list[object]]]) -> list[str]:
    with pytest.raises(ValidationFailed) as failure:
        load_inventory(write_ledger(tmp_path / "ledger.xlsx", sheets))
    return [str(p).replace(str(tmp_path) + "/", "") for p in failure.value.problems]


def test_broken_ledger_names_sheet_cell_and_header(tmp_path: Path) -> None:
    sheets = good_sheets()
    sheets["系统"][2][4] = "五级"  # mlps_level
    sheets["系统"][3][6] = "许多"  # vcpu
    sheets["系统"][4][3] = "r9"  # room
    sheets["系统"].append(["sys-a", "重复", "nobody", "r1", 2, "也许", 4, 8, 1, 1, 1, None, None, "arm"])
    sheets["容量"].append(["ghost", "2024Q1", 1, 1, 1])
    sheets["容量"].append(["xt-x86", "2025Q5", 1, 1, 1])
    assert ledger_problems(tmp_path, sheets) == [
        "ledger.xlsx (容量!A3 资源池编号): ghost.pool: capacity for unknown pool 'ghost' (not on the clouds sheet)",
        "ledger.xlsx (系统!E3 等保级别): sys-a.mlps_level: input should be less than or equal to 4, found 5",
        "ledger.xlsx (系统!G4 vCPU): sys-b.vcpu: input should be a valid number, unable to parse string as a number, found '许多'",
        "ledger.xlsx (系统!F6 是否涉密): sys-a.classified: input should be a valid boolean, unable to interpret input, found '也许'",
        "ledger.xlsx (系统!N6 技术架构): sys-a.arch: input should be 'x86', 'xinchuang' or 'any', found 'arm'",
        "ledger.xlsx (容量!B4 起始季度): xt-x86.capacity.2025Q5: '2025Q5' is not a quarter like 2024Q3",
        "ledger.xlsx (系统!A6 系统编号): sys-a.id: duplicate id in systems (first at sheet 系统, row 3)",
        "ledger.xlsx (系统!C6 所属单位): sys-a.department: unknown department 'nobody'",
        "ledger.xlsx (系统!D5 所在机房): sys-c.room: unknown room 'r9'",
        # the duplicate sys-a names no partner, so the first looks one-sided too; fixing the duplicate fixes both
        "ledger.xlsx (系统!M3 同步迁移): warning: sys-a.co_migrate: co_migrate is one-sided: sys-b name(s) this system; added here too",
        "ledger.xlsx (系统!M6 同步迁移): warning: sys-a.co_migrate: co_migrate is one-sided: sys-b name(s) this system; added here too",
    ]


def test_unknown_column_is_one_problem_at_the_header(tmp_path: Path) -> None:
    sheets = good_sheets()
    sheets["单位"][0].append("备注说明")
    problems = ledger_problems_or_warnings(tmp_path, sheets)
    assert problems[0].startswith("ledger.xlsx (单位!D1 备注说明): 备注说明: unknown column; expected one of 单位编号 (id)")


def ledger_problems_or_warnings(tmp_path: Path, sheets: dict[str, list[list[object]]]) -> list[str]:
    try:
        load_inventory(write_ledger(tmp_path / "ledger.xlsx", sheets))
    except ValidationFailed as failure:
        return [str(p).replace(str(tmp_path) + "/", "") for p in failure.problems]
    return []


def test_csv_folder_problems_name_file_and_row(tmp_path: Path, sample_path: Path) -> None:
    inventory, _ = load_inventory(sample_path)
    folder = tmp_path / "ledger"
    write_inventory(inventory, folder)
    path = folder / "systems.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    lines[4] = lines[4].replace(",未上云,", ",lost,", 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    with pytest.raises(ValidationFailed) as failure:
        load_inventory(folder)
    system_id = lines[4].split(",")[0]
    assert [str(p).replace(str(tmp_path) + "/", "") for p in failure.value.problems] == [
        f"ledger (systems.csv!X5 状态): {system_id}.state: input should be 'legacy', 'cloud' or 'retired', found 'lost'"
    ]


def test_control_characters_never_reach_a_workbook(tmp_path: Path) -> None:
    """Validation refuses them (tests/inventory/test_validate.py); a model built by hand cannot hold them either."""
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="control character"):
        Department(id="d\x01", name="bell")


def test_formula_cells_use_their_computed_value_with_a_warning(tmp_path: Path) -> None:
    """A formula Excel has computed counts by its value (warning); one never computed is an error at its cell."""
    import zipfile

    sheets = good_sheets()
    sheets["系统"][2][6] = "=16*2"  # vcpu of sys-a
    sheets["系统"][3][6] = "=8*2"  # vcpu of sys-b
    path = write_ledger(tmp_path / "ledger.xlsx", sheets)
    # openpyxl writes no computed value; give the first formula the one Excel would have stored
    with zipfile.ZipFile(path) as original:
        members = {name: original.read(name) for name in original.namelist()}
    sheet_name = next(name for name, data in members.items() if b"16*2" in data)
    members[sheet_name] = members[sheet_name].replace(b"<f>16*2</f><v />", b"<f>16*2</f><v>32</v>")
    with zipfile.ZipFile(path, "w") as rewritten:
        for name, data in members.items():
            rewritten.writestr(name, data)
    with pytest.raises(ValidationFailed) as failure:
        load_inventory(path)
    lines = [str(p).replace(str(tmp_path) + "/", "") for p in failure.value.problems]
    assert "ledger.xlsx (系统!G3 vCPU): warning: vcpu: holds a formula; its value 32 (last computed by Excel) is used" in lines
    assert ("ledger.xlsx (系统!G4 vCPU): vcpu: holds a formula that was never computed; type the value, "
            "or open and save the workbook in Excel") in lines
