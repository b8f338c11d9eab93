"""``migplan init``: what a city needs to start on its own inventory.

A ledger template (台账模板.xlsx: one sheet per table, Chinese headers, a note on every header, a
drop-down on every enumerated or yes/no column, one example row per sheet), a commented scenario
(scenario.yaml) and a short README.md saying what to do next. The example rows form a tiny city
that imports and plans as it is, so that every step can be tried before the real data is in.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

from inventory.spreadsheet import CHINESE_VALUES, TABLES, Column
from models.errors import InputError
from models.inventory import RECORD_TYPES

LEDGER_NAME = "台账模板.xlsx"
SCENARIO_NAME = "scenario.yaml"
README_NAME = "README.md"
EXAMPLE_ROWS = 200
"""Rows below the header that get the drop-downs, enough for a city's departments and systems."""

# One note per column: what to write, in the words of the person filling the ledger.
NOTES: dict[str, dict[str, str]] = {
    "meta": {
        "key": "固定填 region（所属地区）；format 可不填。",
        "value": "所属地区名称，如 湘潭市。",
    },
    "departments": {
        "id": "单位编号，必填，唯一；机房、专网、系统用它指明所属单位。建议用拼音或英文缩写。",
        "name": "单位全称，必填，如 市人力资源社会保障局。",
        "level": "单位层级：市直、区县或园区（下拉选择），默认市直。",
        "region": "可选：所属区域。只有限定服务区域的资源池才用到。",
    },
    "rooms": {
        "id": "机房编号，必填，唯一。",
        "name": "机房名称，必填。",
        "department": "所属单位编号（单位表中的单位编号），必填。",
        "racks": "机柜数，用于关停清单。",
        "annual_cost_wan": "在用期间每年的费用（电力、空调、租金、运维），万元，必填。",
        "close_cost_wan": "关停的一次性费用，万元，必填。",
        "classified": "是否涉密机房（是/否）。涉密机房不纳入计划。",
        "state": "在用，或规划期前已关停。",
    },
    "networks": {
        "id": "专网编号，必填，唯一。",
        "name": "专网名称，必填。",
        "department": "所属单位编号，必填。",
        "classified": "是否涉密专网（是/否）。涉密专网不纳入计划。",
        "must_keep": "确需保留（是/否）：是 则与政务外网互联互通，而不是迁移。",
        "keep_reason": "确需保留的理由。",
        "endpoints": "需要割接的接入点数。",
        "bandwidth_mbps": "迁入政务外网后占用的带宽，Mbps，必填。",
        "annual_cost_wan": "作为专网运行每年的费用（专线等），万元，必填。",
        "migration_effort_days": "迁入政务外网的工作量，人天，必填。",
        "migration_cost_wan": "迁入政务外网的一次性费用，万元，必填。",
        "interconnect_effort_days": "互联的工作量，人天（确需保留的专网填写）。",
        "interconnect_cost_wan": "互联的一次性费用，万元（确需保留的专网填写）。",
        "state": "专网运行，或规划期前已迁移/已互联。",
    },
    "systems": {
        "id": "系统编号，必填，唯一。",
        "name": "系统名称，必填。",
        "department": "所属单位编号，必填。",
        "room": "目前所在机房编号；已上云的系统不填。",
        "networks": "用户访问系统经过的专网编号，多个用 ; 或 、 分隔。",
        "classified": "是否涉密系统（是/否）。涉密系统不上云。",
        "must_stay": "确需保留、暂不上云（是/否）。",
        "stay_reason": "确需保留的理由。",
        "retire": "拟撤并（是/否）：是 则停用，不迁移。",
        "mlps_level": "等保级别 1～4（也可填 三级、第三级），必填。",
        "arch": "目前的技术架构：x86、信创 或 不限。",
        "xinchuang_adapt_days": "x86 系统适配信创资源池的工作量，人天；无法适配时不填。",
        "vcpu": "上云后需要的 vCPU 核数，必填。",
        "memory_gb": "上云后需要的内存，GB，必填。",
        "storage_tb": "上云后需要的存储，TB，必填。",
        "data_tb": "割接时要迁移的数据量，TB。",
        "effort_days": "迁移工作量，人天（不含信创适配），必填。",
        "migration_cost_wan": "迁移的一次性费用，万元，必填。",
        "criticality": "重要程度：低、中、高。",
        "dr": "容灾方式：无、同城双活（另一可用区一份同样大小的副本）、异地灾备（另一可用区一份存储）。",
        "requires": "依赖系统编号：它们须不晚于本系统上云。多个用 ; 或 、 分隔。",
        "co_migrate": "同步迁移系统编号：与本系统同一季度迁移。",
        "cloud": "可选：指定资源池编号，或资源池类型（city/province/industry/hpc）。",
        "state": "未上云、已上云（填当前资源池）或已撤并。",
        "current_cloud": "已上云系统所在的资源池编号。",
        "hosts": "可选：目前运行的服务器名称或地址，供自动化剧本使用。",
    },
    "clouds": {
        "id": "资源池编号，必填，唯一。",
        "name": "资源池名称，必填。",
        "kind": "云类型：市级、省级、行业云、超算。",
        "arch": "资源池架构：x86 或 信创。",
        "mlps_max": "通过测评的最高等保级别 1～4，必填。",
        "industry": "行业云：可使用它的单位编号。",
        "region": "可选：只服务该区域的单位。",
        "zone": "可用区；容灾副本须在另一个可用区。",
        "vcpu_annual_cost_wan": "每个 vCPU 每年的运行费用，万元。",
    },
    "capacity": {
        "pool": "资源池编号（资源池表中的编号）。",
        "period": "从该季度起新增容量，如 2025Q1。",
        "vcpu": "新增 vCPU 核数。",
        "memory_gb": "新增内存，GB。",
        "storage_tb": "新增存储，TB。",
    },
    "extranet": {
        "period": "从该季度起新增带宽，如 2025Q1。",
        "bandwidth_mbps": "为迁入的专网新增的政务外网带宽，Mbps。",
    },
}


@dataclass(frozen=True)
class Example:
    """The tiny city of the example rows (one per sheet), in the ledger's Chinese values."""

    region: str
    start_year: int

    def rows(self) -> dict[str, list[list[Any]]]:
        first = f"{self.start_year}Q1"
        return {
            "meta": [["region", self.region]],
            "departments": [["renshe", "市人力资源社会保障局", "市直", self.region]],
            "rooms": [["room-renshe", "市人社局信息中心机房", "renshe", 12, 85, 12, "否", "在用"]],
            "networks": [["net-jinbao", "人社金保专网", "renshe", "否", "否", "", 120, 200, 180, 60, 40, 10, 8,
                          "专网运行"]],
            "systems": [["sys-shebao", "社会保险业务系统", "renshe", "room-renshe", "net-jinbao", "否", "否", "", "否",
                         3, "x86", 20, 32, 128, 6, 4, 25, 30, "高", "无", "", "", "", "未上云", "", ""]],
            "clouds": [["city-x86", f"{self.region}政务云 x86 资源池", "市级", "x86", 3, "", "", "zone-a", 0.12]],
            "capacity": [["city-x86", first, 2000, 8000, 400]],
            "extranet": [[first, 2000]],
        }


def _choices(table: str, column: Column) -> list[str] | None:
    """The drop-down of a column: yes/no, 等保级别, or the Chinese spellings of the field's values."""
    if column.kind == "bool":
        return ["是", "否"]
    if column.kind == "level":
        return ["1", "2", "3", "4"]
    if column.kind != "enum":
        return None
    annotation = RECORD_TYPES[table].model_fields[column.field].annotation
    values = get_args(annotation)
    return [CHINESE_VALUES[column.field].get(value, value) for value in values]


def write_ledger_template(path: Path, region: str, start_year: int) -> None:
    """The empty ledger with notes, drop-downs and an example row on every sheet."""
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from inventory.spreadsheet import column_widths

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    examples = Example(region, start_year).rows()
    bold = Font(bold=True)
    example_fill = PatternFill("solid", fgColor="FFF2CC")
    for name, table in TABLES.items():
        sheet = workbook.create_sheet(table.aliases[0])
        headers = [column.header for column in table.columns]
        sheet.append(headers)
        for row in examples[name]:
            sheet.append(row)
        for position, width in enumerate(column_widths(headers, examples[name], sample_rows=5, max_width=40), start=1):
            sheet.column_dimensions[get_column_letter(position)].width = width
        sheet.freeze_panes = "A2"
        for position, column in enumerate(table.columns, start=1):
            letter = get_column_letter(position)
            header = sheet.cell(row=1, column=position)
            header.font = bold
            note = NOTES[name].get(column.field, "")
            header.comment = Comment(f"{note}\n字段：{column.field}", "migplan", width=260, height=110)
            for row_number in range(2, 2 + len(examples[name])):
                sheet.cell(row=row_number, column=position).fill = example_fill
            choices = _choices(name, column)
            if choices:
                validation = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True,
                                            showErrorMessage=True, errorTitle=column.header,
                                            error="请从下拉列表中选择：" + "、".join(choices))
                validation.add(f"{letter}2:{letter}{EXAMPLE_ROWS + 1}")
                sheet.add_data_validation(validation)
    workbook.save(path)


SCENARIO_TEMPLATE = """\
# 情景：按什么条件规划。字段说明见 docs/formats.zh-CN.md 第二节。
# A scenario: what to plan for. Every field is described in docs/formats.md, section 2.
format: migplan-scenario/1
name: baseline                     # 简称，写入计划
description: {region}{start}-{end} 年迁移计划，三项指标年末不低于下限
inventory: inventory.yaml          # 资产清单，相对于本文件；由台账导入：
                                   #   migplan inventory import 台账模板.xlsx -o inventory.yaml
horizon: {{start: {start}Q1, end: {end}Q4}}   # 规划期（季度，含首尾）
targets:                           # 年末指标下限（比例，0～1）
  room_consolidation: {{{middle}: 0.5, {end}: 0.8}}   # 机房整合率
  network_migration:  {{{end}: 0.8}}                  # 专网迁移率
  cloud_adoption:     {{{middle}: 0.6, {end}: 0.8}}   # 系统上云率
  soft: false                      # true：未达下限按罚分计入成本，而不判为不可行
  # complete_by: {end}Q4           # 应迁尽迁/应上尽上的完成季度（默认规划期末；off 只考核下限）
kpi:
  count_interconnected_networks: false   # 已互联的专网是否计为已迁移
  count_retired_systems: true            # 撤并的系统是否计为已上云
resources:
  team_days_per_period: 400        # 每季度可用的迁移团队人天（删去此行为不限）
  budget_wan_per_year: {{{start}: 800, {middle}: 1000, {end}: 1000}}   # 每年一次性支出预算，万元
  freeze: []                       # 封网季度，如 [{middle}Q1]：该季度不安排任何动作
  max_cutovers_per_department_per_period: 3   # 每个单位每季度最多割接的系统数
# overrides:                       # 假设分析：按编号替换清单中对象的字段
#   clouds:
#     city-x86: {{capacity: {{{start}Q1: {{vcpu: 3000, memory_gb: 12000, storage_tb: 500}}}}}}
objective: min_cost                # 一次性费用 + 规划期内运行费用（见 docs/formats.zh-CN.md 第四节）
solver: {{name: highs, time_limit_s: 60, mip_gap: 0.005}}   # greedy 为手工排程基线（没有下界，未经证明）
"""

README_TEMPLATE = """\
# {region}政务 IT 迁移规划

本目录由 `migplan init` 生成。从模板到第一份计划：

1. 用 Excel 或 WPS 打开 `台账模板.xlsx`，按工作表填写：单位、机房、专网、系统、资源池、容量、政务外网、
   基本信息。黄色行是示例，请改成本市的数据（或删除）。每个表头都有批注说明要填什么，带下拉的列请从列表中选择。
2. 导入并校验台账（有问题时会逐条指出工作表、单元格和表头）：

       migplan inventory import 台账模板.xlsx -o inventory.yaml

3. 按需修改 `scenario.yaml`（规划期、指标下限、人天、预算、封网期），然后规划：

       migplan plan scenario.yaml -o out/

4. 生成报告（每个单位一页任务清单，可打印）：

       migplan report out/plan.json scenario.yaml -o out/report.html

字段和规则见 migplan 源码中的 docs/formats.zh-CN.md（English: docs/formats.md）。
提示信息默认跟随系统语言；`migplan --lang zh ...` 强制中文，`--lang en` 为英文。

---

English: fill in `台账模板.xlsx` (the yellow rows are examples), then
`migplan inventory import 台账模板.xlsx -o inventory.yaml`, edit `scenario.yaml`,
`migplan plan scenario.yaml -o out/` and `migplan report out/plan.json scenario.yaml -o out/report.html`.
"""


def init_project(directory: Path, region: str, start_year: int, force: bool = False) -> list[Path]:
    """Write the ledger template, the scenario template and the README into ``directory``; return them."""
    targets = [directory / LEDGER_NAME, directory / SCENARIO_NAME, directory / README_NAME]
    if not force:
        for target in targets:
            if target.exists():
                raise InputError(f"{target}: already exists (use --force to overwrite)")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(f"{directory}: cannot create folder ({error.strerror})") from None
    values = {"region": region, "start": start_year, "middle": start_year + 1, "end": start_year + 2}
    write_ledger_template(targets[0], region, start_year)
    targets[1].write_text(SCENARIO_TEMPLATE.format(**values), encoding="utf-8")
    targets[2].write_text(README_TEMPLATE.format(**values), encoding="utf-8")
    return targets
