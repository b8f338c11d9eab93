"""Chinese messages: the catalogue, the locale, help, click's errors and ours, --debug anywhere."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from models.errors import Problem
from planner.cli import cli
from planner.i18n import language_from_environment, problem_line, set_language, translate
from planner.i18n.zh import MESSAGES


@pytest.mark.parametrize(("environment", "expected"), [
    ({"LANG": "zh_CN.UTF-8"}, "zh"),
    ({"LANG": "C.UTF-8"}, "en"),
    ({"LANG": "zh_CN.UTF-8", "LC_ALL": "en_US.UTF-8"}, "en"),
    ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_TW.UTF-8"}, "zh"),
    ({}, "en"),
])
def test_language_follows_the_locale_as_posix_reads_it(environment: dict[str, str], expected: str) -> None:
    assert language_from_environment(environment) == expected


def test_templates_translate_with_their_values() -> None:
    set_language("zh")
    assert translate("/tmp/a b.yaml: no such file") == "/tmp/a b.yaml：文件不存在"
    assert translate("unknown department 'nobody'") == "未知的单位 'nobody'"
    assert translate("a message nobody translated") == "a message nobody translated"
    set_language("en")
    assert translate("/tmp/a.yaml: no such file") == "/tmp/a.yaml: no such file"


def test_catalogue_templates_keep_their_placeholders() -> None:
    import re

    for english, chinese in MESSAGES.items():
        assert sorted(re.findall(r"\{(\w+)\}", english)) == sorted(re.findall(r"\{(\w+)\}", chinese)), english


def test_problem_line_in_chinese_names_the_cell() -> None:
    problem = Problem("台账.xlsx", "系统!J3 等保级别", "sys-a", "mlps_level",
                      "input should be less than or equal to 4, found 5")
    set_language("zh")
    assert problem_line(problem) == "台账.xlsx（系统!J3 等保级别）：sys-a.mlps_level：应不大于 4，实际为 5"
    set_language("en")
    assert problem_line(problem) == str(problem)


def test_help_in_chinese_under_a_chinese_locale() -> None:
    result = CliRunner(env={"LANG": "zh_CN.UTF-8"}).invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert result.output.startswith("用法：migplan [选项] 命令 [参数]...")
    assert "编制城市政务 IT 向政务云和电子政务外网迁移的计划" in result.output
    assert "显示本帮助并退出" in result.output
    for line in result.output.splitlines():
        if line.startswith("  plan "):
            assert "规划情景" in line


def test_english_help_unchanged_with_lang_en() -> None:
    english = CliRunner(env={"LANG": "zh_CN.UTF-8"}).invoke(cli, ["--lang", "en", "plan", "--help"])
    plain = CliRunner().invoke(cli, ["plan", "--help"])
    assert english.output == plain.output
    assert english.output.startswith("Usage: migplan plan [OPTIONS] SCENARIO")


def test_bad_input_error_in_chinese(tmp_path: Path) -> None:
    missing = tmp_path / "缺失.yaml"
    result = CliRunner(env={"LANG": "zh_CN.UTF-8"}).invoke(cli, ["plan", str(missing)])
    assert result.exit_code == 2
    assert result.output == f"错误：{missing}：文件不存在\n"


def test_click_usage_error_in_chinese() -> None:
    result = CliRunner().invoke(cli, ["--lang", "zh", "plan"])
    assert result.exit_code == 2
    assert "用法：migplan plan [选项] SCENARIO" in result.output
    assert result.output.rstrip().endswith("错误：缺少参数 'SCENARIO'。")


def test_validation_problems_in_chinese(tmp_path: Path) -> None:
    path = tmp_path / "inv.yaml"
    path.write_text("format: migplan-inventory/1\ndepartments:\n  - {id: d1, name: D1}\n  - {id: d1, name: D1}\n",
                    encoding="utf-8")
    result = CliRunner().invoke(cli, ["inventory", "validate", str(path), "--lang", "zh"])
    assert result.exit_code == 2
    assert result.output == f"{path}:4：d1.id：departments 中编号重复（首次出现在 第 3 行）\n"


def test_debug_after_the_subcommand_shows_the_traceback(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["plan", str(tmp_path / "none.yaml"), "--debug"])
    assert result.exception is not None and type(result.exception).__name__ == "InputError"
    quiet = CliRunner().invoke(cli, ["plan", str(tmp_path / "none.yaml")])
    assert quiet.exit_code == 2 and isinstance(quiet.exception, SystemExit)


def test_missing_file_names_the_path_it_looked_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["inventory", "validate", "sub/../城市.yaml"])
    assert result.exit_code == 2
    assert result.output == f"error: sub/../城市.yaml: no such file ({tmp_path / '城市.yaml'})\n"


def test_progress_and_solver_lines_translate() -> None:
    set_language("zh")
    assert translate("incumbent 10,950.8 万元 (HiGHS), bound 10,900.0, gap 0.46%") == \
        "当前最好计划 10,950.8 万元（HiGHS），下界 10,900.0，间隙 0.46%"
    assert translate("no eligible pool: none it runs on is certified for 等保 level 4: certify one (mlps_max 4), "
                     "or review mlps_level") == ("无合适资源池：可运行的资源池都未通过等保 4 级测评："
                                                 "请为某个资源池取得测评（mlps_max 4），或复核 mlps_level")


def test_the_province_s_progress_lines_translate() -> None:
    """What a province's plan shows while it runs: the decomposition's rounds, the lift city by city, the searches'
    plans."""
    set_language("zh")
    assert translate("decomposition: bound 148,202.6 万元 after 29 rounds, 21 s") == "分解：29 轮后下界 148,202.6 万元，21 秒"
    assert translate("decomposition: bound 148,259.9 万元 with the MILP bound of block 1 of 15 (first pass, 1.6 s)") == \
        "分解：下界 148,259.9 万元（已计入第 1/15 块的整数规划下界，第一遍，用时 1.6 秒）"
    assert translate("decomposition: bound 148,906.9 万元 with the MILP bound of block 2 of 15 (second pass, 3.1 s)") == \
        "分解：下界 148,906.9 万元（已计入第 2/15 块的整数规划下界，第二遍，用时 3.1 秒）"
    assert translate("guided plan 153,147.1 万元 (the greedy following the LP's schedule) in 6.4 s") == \
        "引导计划 153,147.1 万元（按线性松弛进度表排程的贪心），用时 6.4 秒"
    assert translate("incumbent 10,833.3 万元 (RENS)") == "当前最好计划 10,833.3 万元（RENS）"


def test_the_words_inside_progress_lines_translate() -> None:
    """Where a plan came from and how the decomposition ended are values inside the lines: Chinese too."""
    set_language("zh")
    assert translate("incumbent 150,454.6 万元 (search)") == "当前最好计划 150,454.6 万元（搜索）"
    assert translate("incumbent 153,569.6 万元 (guided greedy), bound 148,169.0, gap 3.52%") == \
        "当前最好计划 153,569.6 万元（引导贪心），下界 148,169.0，间隙 3.52%"
    assert translate("decomposition: bound 148,169.0 万元 (stalled) after 23 rounds, 22 s") == \
        "分解：23 轮后下界 148,169.0 万元（停滞），22 秒"
    assert translate("decomposition: bound 413,314.3 万元 (not converged: block 7's LP: Time limit reached) after 15 "
                     "rounds, 412 s") == "分解：15 轮后下界 413,314.3 万元（未收敛：第 7 块的线性规划：达到时间限制），412 秒"
    assert translate("RENS plan 10,833.3 万元 (4,210 integer variables free) in 2.1 s") == \
        "RENS 计划 10,833.3 万元（4,210 个整数变量未固定），用时 2.1 秒"


TRANSLATED_COMMANDS = ("init", "inventory", "plan", "check", "report", "compare", "sample", "playbooks", "run",
                       "netbox", "progress", "diff", "bulletin")
"""Commands whose help and options are in the catalogue; a command added later stays English until it is added."""


def test_every_command_and_option_has_chinese_help() -> None:
    import inspect

    import click

    missing = []

    def walk(command: click.Command) -> None:
        texts = [inspect.cleandoc(command.help).partition("\f")[0]] if command.help else []
        texts += [param.help for param in command.params if getattr(param, "help", None)]  # type: ignore[attr-defined]
        missing.extend(text for text in texts if text not in MESSAGES)
        for sub in getattr(command, "commands", {}).values():
            walk(sub)

    assert isinstance(cli, click.Group)
    for name in TRANSLATED_COMMANDS:
        walk(cli.commands[name])
    assert missing == []


def test_a_list_inside_a_message_translates_item_by_item() -> None:
    set_language("zh")
    detail = ("cloud_adoption@2027 needs 0.60, best reachable 0.00; binding: "
              "team days short by 59 in 2026Q1, team days short by 24 in 2026Q2")
    assert translate(detail) == ("cloud_adoption@2027 要求 0.60，最多可达 0.00；起约束作用的限制："
                                 "团队人天在 2026Q1 缺 59；团队人天在 2026Q2 缺 24")
    assert translate("every scenario failed: a, b") == "所有情景都失败了：a, b"
    assert translate(f"scenario 'x' is infeasible: {detail} (and 2 more targets in plan.json)") == (
        "情景 'x' 不可行：cloud_adoption@2027 要求 0.60，最多可达 0.00；起约束作用的限制："
        "团队人天在 2026Q1 缺 59；团队人天在 2026Q2 缺 24（plan.json 中还有 2 个目标未满足）")


def test_scenario_field_problems_in_chinese(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("format: migplan-scenario/1\nname: x\ninventory: inventory.yaml\n"
                    "horizon: {start: 2026Q1, end: 2026Q5}\nsolver: {name: gurobi, time_limit_s: -1}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--lang", "zh", "plan", str(path)])
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        f"错误：{path}：horizon.end：'2026Q5' 不是 2024Q3 这样的季度",
        f"{path}：solver.name：应为 'highs', 'cbc' or 'greedy'",
        f"{path}：solver.time_limit_s：应大于 0",
    ]


def test_validate_summary_in_chinese(sample_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--lang", "zh", "inventory", "validate", str(sample_path)])
    assert result.exit_code == 0
    assert result.output.startswith(f"{sample_path}：校验通过（")
    assert "个单位；" in result.output and "个系统；" in result.output and "warnings" not in result.output


def test_the_completion_violation_translates_part_by_part() -> None:
    """The violation is composed (planner/completion.py, planner/explain.py): what is left, what binds, the
    earliest quarter, and whether the time limit came first; each part has its template."""
    set_language("zh")
    assert translate("complete_by 2025Q4: 6 systems of 3 departments left (xx-ybj 2, ld-ybj 2, sy-sjzy 2) "
                     "(not proven unreachable: the time limit came first); with today's limits not everything is "
                     "done by the horizon's end 2025Q4 (time limit: not proven)") == (
        "complete_by 2025Q4：3 个单位共遗留 6 个系统（xx-ybj 2, ld-ybj 2, sy-sjzy 2）（未证明无法达到：时间限制先到）"
        "；按现有限制，到规划期末 2025Q4 仍无法全部完成（时间用完：未证明）")
    assert translate("complete_by 2024Q2: 1 system and 1 room of 1 department left (d1 2); binding: pool p1 vCPU "
                     "short by 6 in 2024Q2; with today's limits everything is done by 2024Q4") == (
        "complete_by 2024Q2：1 个单位共遗留 1 个系统和1 个机房（d1 2）；起约束作用的限制：资源池 p1 的 vCPU 在 2024Q2 缺 6"
        "；按现有限制，最早可在 2024Q4 全部完成")
