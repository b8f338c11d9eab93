"""The Chinese catalogue: English message (or template with ``{name}`` placeholders) -> Chinese.

Keys are the English texts exactly as the code writes them; see ``planner.i18n`` for the matching
rules. Keep placeholder names the same on both sides. An English text missing here is shown as is.
"""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # ---------------------------------------------------------------- help: the group and its options
    "Plan the move of a city's government IT onto the government cloud and the e-government extranet.\n\n"
    "A new city starts with `migplan init DIR`: a ledger template, a scenario template and a README.\n"
    "The file formats are described in docs/formats.md.":
        "编制城市政务 IT 向政务云和电子政务外网迁移的计划。\n\n"
        "新城市从 `migplan init 目录` 开始：生成台账模板、情景模板和说明。"
        "格式说明见 docs/formats.zh-CN.md。",
    "Show the version and exit.": "显示版本号并退出。",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show tracebacks on errors.": "出错时显示调用栈（可写在子命令之后）。",
    "Language of messages: zh (Chinese) or en (English); default from the locale (LANG).":
        "提示信息的语言：zh（中文）或 en（英文）；默认按系统区域设置（LANG）。",
    "Print machine-readable JSON instead of tables.": "输出机器可读的 JSON，而不是表格。",
    "No progress lines.": "不显示进度。",
    "Write into a non-empty folder migplan did not write (its files are kept).":
        "写入非 migplan 所写的非空目录（目录中已有的文件保留）。",
    "Accept an inventory without systems (otherwise exit 2).": "接受没有系统的清单（否则退出码 2）。",
    # init
    "Set up a city's project in DIR: a ledger template (台账模板.xlsx), a commented scenario and a README.":
        "在目录 DIR 中建立一个城市的项目：台账模板（台账模板.xlsx）、带注释的情景模板和说明文件。",
    "Overwrite files that already exist.": "覆盖已存在的文件。",
    "Name of the city (region), written into the template.": "城市（地区）名称，写入模板。",
    # inventory
    "Validate, show, import and export inventories.": "校验、查看、导入和导出资产清单。",
    "Check an inventory file (YAML, JSON, .xlsx ledger or CSV folder); exit 2 listing every problem.":
        "校验资产清单文件（YAML、JSON、.xlsx 台账或 CSV 文件夹）；有问题时全部列出并以退出码 2 结束。",
    "Counts by department, room, network and pool, and what is in scope for each KPI.":
        "按单位、机房、专网和资源池统计，并列出各项指标的考核范围。",
    "Read a ledger workbook (.xlsx) or CSV folder, validate it and write it as an inventory file.":
        "读取台账工作簿（.xlsx）或 CSV 文件夹，校验后写成资产清单文件。",
    "Inventory file to write (.yaml, .yml or .json).": "要写入的资产清单文件（.yaml、.yml 或 .json）。",
    "Write an inventory as a ledger workbook (.xlsx) or a folder of CSV files, Chinese headers.":
        "把资产清单写成台账工作簿（.xlsx）或 CSV 文件夹，中文表头和中文取值。",
    "Ledger to write: a .xlsx workbook, or a folder (no suffix) of CSV files.":
        "要写入的台账：.xlsx 工作簿，或 CSV 文件夹（不带后缀的名称）。",
    "Create or update the inventory's objects in NetBox (idempotent, resumable).":
        "在 NetBox 中创建或更新清单中的对象（幂等，可断点续传）。",
    "NetBox base URL (or NETBOX_URL). The token is read from NETBOX_TOKEN, never from the command line.":
        "NetBox 地址（或环境变量 NETBOX_URL）。令牌只从环境变量 NETBOX_TOKEN 读取，不从命令行读取。",
    "Mapping file (default: the bundled inventory/netbox/mapping.yaml).":
        "映射文件（默认为内置的 inventory/netbox/mapping.yaml）。",
    "Read the inventory from NetBox into a file.": "从 NetBox 读取资产清单并写入文件。",
    "Only show what push would write; write nothing.": "只显示推送将写入的内容，不写入。",
    "Also write changes to objects migplan did not create (adopted ones); without it such a push only shows its diff.":
        "同时写入对非 migplan 创建的对象（接管的对象）的改动；不加此选项时，这样的推送只显示差异。",
    "--diff and --commit exclude each other": "--diff 与 --commit 不能同时使用",
    "{count} changes touch objects migplan did not create: review them above, then run again with --commit":
        "有 {count} 处改动涉及非 migplan 创建的对象：请核对上面的差异，再加 --commit 重新运行",
    "nothing written (dry run); would be {summary}": "未写入（试运行）；将会：{summary}",
    "left out, as migplan does not manage them: {counts}; to plan with them, adopt them: "
    "`migplan netbox adopt --netbox URL --tenant-group ... --site ... --cluster-group ... -o draft.xlsx` (see README, NetBox)":
        "以下对象不受 migplan 管理，未读取：{counts}；如需纳入规划，请先接管："
        "`migplan netbox adopt --netbox URL --tenant-group ... --site ... --cluster-group ... -o draft.xlsx`（见 README 的 NetBox 一节）",
    "NetBox at {url} has no migplan schema yet (no tag {tag}): run `migplan netbox init` first":
        "NetBox（{url}）还没有 migplan 的字段定义（没有标签 {tag}）：请先运行 `migplan netbox init`",
    "Make existing NetBox objects migplan's (mp_id and tag only) and write a draft ledger to fill.":
        "接管 NetBox 中已有的对象（只添加 mp_id 和标签），并写出待填写的台账草稿。",
    "Adopt this tenant group's tenants as departments (repeatable).": "把该租户组的租户接管为单位（可重复）。",
    "Adopt this site's locations as rooms (repeatable).": "把该站点的位置接管为机房（可重复）。",
    "Adopt this cluster group's VMs as systems and its clusters of a pool type as pools (repeatable).":
        "把该集群组的虚拟机接管为信息系统，其中属于资源池类型的集群接管为资源池（可重复）。",
    "Adopt the tenants, locations, VRFs, clusters and VMs carrying this tag (repeatable).":
        "接管带有该标签的租户、位置、VRF、集群和虚拟机（可重复）。",
    "Adopt this VRF as a network (repeatable).": "把该 VRF 接管为专网（可重复）。",
    "Draft ledger to write (.xlsx): every managed object, the fields to fill marked 待填.":
        "要写出的台账草稿（.xlsx）：列出全部受管对象，需要填写的字段标为“待填”。",
    "{output}: {objects} objects, {cells} cells to fill (marked 待填)": "{output}：{objects} 个对象，{cells} 个单元格需要填写（标为“待填”）",
    "next: fill them, then `migplan inventory push {output} --netbox {url}` shows what it would write (custom fields "
    "only); add --commit to write it":
        "下一步：填写后运行 `migplan inventory push {output} --netbox {url}` 查看将写入的内容（只有自定义字段），"
        "再加 --commit 写入",
    "Inventory file to write (.yaml, .yml or .json); written only if the pull completes.":
        "要写入的资产清单文件（.yaml、.yml 或 .json）；只有读取完整时才写入。",
    # check, plan
    "Check a plan (hand-edited ones too) against every rule; exit 6 when it breaks any.":
        "按全部规则核验计划（包括手工修改过的计划）；违反任何规则时退出码为 6。",
    "Plan SCENARIO: write plan.json, plan.csv, kpis.csv and plan.xlsx and print a summary; exit 3 when infeasible.":
        "规划情景 SCENARIO：输出 plan.json、plan.csv、kpis.csv 和 plan.xlsx 并显示摘要；不可行时退出码为 3。",
    "Directory for plan.json, plan.csv, kpis.csv and plan.xlsx.": "存放 plan.json、plan.csv、kpis.csv 和 plan.xlsx 的目录。",
    "Override the scenario's solver.": "替换情景中指定的求解器。",
    "Solver time limit, seconds.": "求解时间上限（秒）。",
    "Relative MIP gap at which to stop.": "达到该相对间隙即停止求解。",
    "Solver threads (at most the machine's cores).": "求解线程数（至多为本机核数）。",
    "Earlier plan.json to re-plan from.": "据以滚动重排的上一版 plan.json。",
    "Keep the previous plan up to this quarter (e.g. 2024Q2) and re-plan the rest.":
        "保留上一版计划到该季度为止（如 2024Q2），重排其余部分。",
    "Do not give the solver the greedy plan as a start.": "不把贪心计划作为求解器的初始解。",
    # sample
    "Generate a synthetic inventory (DIR/inventory.yaml) and a baseline scenario (DIR/baseline.yaml).":
        "生成合成的资产清单（DIR/inventory.yaml）和基准情景（DIR/baseline.yaml）。",
    "How many cities (of Hunan's 14).": "城市数（湖南省共 14 个市州）。",
    "Same seed, same inventory.": "相同的种子生成相同的清单。",
    "Folder to write into.": "输出文件夹。",
    # playbooks, run
    "Write Ansible playbooks for every wave of PLAN.json.": "为 PLAN.json 的每个批次生成 Ansible 剧本。",
    "Write Ansible playbooks for every wave of PLAN.json; exit 6 for a plan that must not run.":
        "为 PLAN.json 的每个批次生成 Ansible 剧本；不应执行的计划以退出码 6 结束。",
    "Write playbooks even for a plan that is infeasible, made from another inventory, or rejected by `migplan check`, "
    "and into a non-empty folder migplan did not write.":
        "即使计划不可行、依据的是另一份清单或未通过 `migplan check`，也生成剧本；也允许写入并非 migplan 写出的非空文件夹。",
    "Run one wave through ansible-runner; stop at the first failed cutover (exit 5, naming the host,\n"
    "task and message); run again to resume from the journal.":
        "通过 ansible-runner 执行一个批次；遇到第一个失败的割接即停止（退出码 5，给出主机、任务和信息）；再次运行即按日志断点续跑。",
    "Folder to write one directory per wave into.": "输出文件夹，每个批次一个子目录。",
    "Site file: group defaults and per-object host vars (connection, paths, hooks).":
        "站点文件：分组默认值和每个对象的主机变量（连接方式、路径、钩子）。",
    "Run one wave through ansible-runner; stop at the first failed cutover; resume from the journal.":
        "通过 ansible-runner 执行一个批次；遇到第一个失败的割接即停止；可按日志断点续跑。",
    "The period to run, e.g. 2024Q2.": "要执行的季度，如 2024Q2。",
    "Ansible check mode: report, change nothing.": "Ansible 检查模式：只报告，不做任何改动。",
    "Only the cutover of this object id.": "只执行该对象编号的割接。",
    "Run journal (JSON lines); default out/journal-WAVE.jsonl next to the playbooks folder.":
        "执行日志（JSON Lines）；默认为剧本文件夹旁的 out/journal-WAVE.jsonl。",
    # progress, diff, bulletin (the quarter loop)
    "Where each planned object stands at the end of a quarter, by department; with -o, the inventory as it now stands.":
        "季度末每个计划对象的进展，按单位列出；加 -o 时同时写出当前状态的资产清单。",
    "The quarter just ended, e.g. 2024Q1: what is not done by then slipped.": "刚结束的季度，如 2024Q1：届时未完成的即为延误。",
    "Run journal file, or a folder of journal-*.jsonl (repeatable).": "执行日志文件，或含 journal-*.jsonl 的文件夹（可重复给出）。",
    "plan.xlsx with its 负责人/状态/实际完成季度 columns filled in.": "填好 负责人/状态/实际完成季度 列的 plan.xlsx。",
    "Write progress.json, progress.csv, the inventory as it now stands (inventory.yaml), a scenario reading it "
    "(scenario.yaml) and the plan as it ran (plan-as-run.json) for the re-plan.":
        "写出 progress.json、progress.csv、当前状态的资产清单（inventory.yaml）、读取它的情景（scenario.yaml）"
        "以及实际执行的计划（plan-as-run.json），供滚动重排使用。",
    "What changed between two plans: quarter, pool, added, dropped, cost and KPI forecast, each with its cause.":
        "两版计划之间的变化：季度、资源池、新增、删除、成本和指标预测，并给出每项变化的原因。",
    "progress.json of the old plan: slipped and failed objects get that cause.": "旧计划的 progress.json：延误和失败的对象以此为原因。",
    "The old plan's scenario (with --new-scenario: inventory and limit changes as causes).":
        "旧计划的情景（与 --new-scenario 一起给出时，清单和限制的变化作为原因）。",
    "The new plan's scenario.": "新计划的情景。",
    "Write the changes as CSV.": "把变化写成 CSV。",
    "Write the changes as an HTML section (for the report or the bulletin).": "把变化写成 HTML 片段（用于报告或通报）。",
    "The 季通报 of a quarter: KPIs against target, each department's work done and slipped, next quarter's work.\n\n"
    "PREVIOUS.json is the plan the quarter ran on; REPLANNED.json and SCENARIO.yaml the re-plan made after it.":
        "一个季度的季通报：指标与目标对比、各单位已完成和延误的工作、下季度的工作。\n\n"
        "PREVIOUS.json 是本季度执行的计划；REPLANNED.json 和 SCENARIO.yaml 是季度结束后的滚动重排。",
    "The quarter reported, e.g. 2024Q1.": "通报的季度，如 2024Q1。",
    "progress.json written by `migplan progress -o`.": "由 `migplan progress -o` 写出的 progress.json。",
    "Add the changes from PREVIOUS.json to REPLANNED.json.": "加上从 PREVIOUS.json 到 REPLANNED.json 的变化。",
    "Also print bulletin.pdf with headless Chromium.": "同时用无头 Chromium 输出 bulletin.pdf。",
    "Folder for bulletin.html, bulletin.xlsx (and bulletin.pdf).": "存放 bulletin.html、bulletin.xlsx（及 bulletin.pdf）的文件夹。",
    # netbox
    "NetBox as an inventory source: schema, adopting existing objects, plan write-back.":
        "以 NetBox 作为资产清单来源：字段定义、接管已有对象、计划回写。",
    "Create migplan's tag, site, cluster types, choice sets and custom fields (idempotent).":
        "创建 migplan 所需的标签、站点、集群类型、选项集和自定义字段（幂等）。",
    "Set each object's planned action, target pool and period; journal what changed.":
        "为每个对象写入计划动作、目标资源池和季度，并记录改动。",
    "Write the changes; without it only the diff is shown.": "写入改动；不加此选项只显示差异。",
    # report, compare
    "Write the plan report: one self-contained HTML file (charts inline, works offline).":
        "生成计划报告：一个独立的 HTML 文件（图表内嵌，可离线查看）。",
    "HTML file to write.": "要写入的 HTML 文件。",
    "Language of the report's labels.": "报告的语言。",
    "Language of the report's labels (default: --lang, else zh).": "报告的语言（默认与 --lang 相同，否则为中文）。",
    "Plan each SCENARIO in parallel and compare status, cost, KPIs and binding limits.":
        "并行规划每个情景，对比求解状态、成本、指标和紧约束。",
    "Directory for compare.csv, compare.svg, compare.html and a folder per scenario.":
        "存放 compare.csv、compare.svg、compare.html 以及每个情景子目录的目录。",
    "Scenarios solved at once (default: up to 4).": "同时求解的情景数（默认最多 4 个）。",
    "Plan the scenarios on a Ray cluster (default: RAY_ADDRESS; needs pip install 'migplan[ray]').":
        "在 Ray 集群上求解各情景（默认取 RAY_ADDRESS；需要 pip install 'migplan[ray]'）。",
    "Price a province's cities on a Ray cluster (default: RAY_ADDRESS; needs pip install 'migplan[ray]').":
        "在 Ray 集群上为全省各市的子问题定价和求界（默认取 RAY_ADDRESS；需要 pip install 'migplan[ray]'）。",
    "Override every scenario's solver.": "替换所有情景中指定的求解器。",
    "Solver time limit per scenario, seconds.": "每个情景的求解时间上限（秒）。",
    # ---------------------------------------------------------------- click's own messages
    "Error: ": "错误：",
    "error: ": "错误：",
    "warning: ": "警告：",
    "Aborted!": "已中止。",
    "interrupted": "已中断",
    "Try '{command} --help' for help.": "运行 '{command} --help' 查看帮助。",
    "Missing argument '{name}'.": "缺少参数 '{name}'。",
    "Missing option '{name}'.": "缺少选项 '{name}'。",
    "Missing command.": "缺少子命令。",
    "No such option: {name}": "没有这个选项：{name}",
    "No such option '{name}'.": "没有这个选项 '{name}'。",
    "No such option '{name}'. Did you mean '{other}'?": "没有这个选项 '{name}'。您是否想用 '{other}'？",
    "No such command '{name}'. Did you mean '{other}'?": "没有这个子命令 '{name}'。您是否想用 '{other}'？",
    "No such option: {name} Did you mean {other}?": "没有这个选项：{name}。您是否想用 {other}？",
    "No such command '{name}'.": "没有这个子命令 '{name}'。",
    "Got unexpected extra argument ({arguments})": "多余的参数（{arguments}）",
    "Got unexpected extra arguments ({arguments})": "多余的参数（{arguments}）",
    "Option '{name}' requires an argument.": "选项 '{name}' 需要一个值。",
    "Invalid value for '{name}': {message}": "'{name}' 的值无效：{message}",
    "'{value}' is not one of {choices}.": "'{value}' 不是 {choices} 之一。",
    "'{value}' is not a valid integer.": "'{value}' 不是有效的整数。",
    "'{value}' is not a valid float.": "'{value}' 不是有效的数字。",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    # ---------------------------------------------------------------- errors from files and options
    "{path}: no such file": "{path}：文件不存在",
    "{path}: is a file; give a folder to write into": "{path}：这是一个文件；请给出要写入的文件夹",
    "{path}: is a folder; give a file name to write": "{path}：这是一个文件夹；请给出要写入的文件名",
    "{path}: the folder is not empty and migplan did not write it; "
    "choose an empty or new folder, or add --force to write into it":
        "{path}：该文件夹不为空且不是 migplan 写的；请换一个空的或新的文件夹，或加 --force 写入",
    "{path}: cannot write there: {ancestor} is a file, not a folder": "{path}：无法写入：{ancestor} 是文件，不是文件夹",
    "{path}: cannot write there ({reason})": "{path}：无法写入（{reason}）",
    "{path}: no such file ({resolved})": "{path}：文件不存在（查找的是 {resolved}）",
    "{path}: no such folder": "{path}：文件夹不存在",
    "{path}: no such folder ({resolved})": "{path}：文件夹不存在（查找的是 {resolved}）",
    "{path}: not UTF-8 text ({reason} at byte {position})": "{path}：不是 UTF-8 文本（第 {position} 字节：{reason}）",
    "{path}: cannot read ({reason})": "{path}：无法读取（{reason}）",
    "{path}: cannot write ({reason})": "{path}：无法写入（{reason}）",
    "{path}: cannot create folder ({reason})": "{path}：无法创建文件夹（{reason}）",
    "{path}: not a readable .xlsx workbook ({reason})": "{path}：不是可读取的 .xlsx 工作簿（{reason}）",
    "{path}: neither UTF-8 nor GB18030 text": "{path}：既不是 UTF-8 也不是 GB18030 文本",
    "{path}: no .csv files (expected {names})": "{path}：没有 .csv 文件（应为 {names}）",
    "{path}: unknown inventory format (use .yaml, .yml, .json, .xlsx or a CSV folder)":
        "{path}：无法识别的清单格式（请用 .yaml、.yml、.json、.xlsx 或 CSV 文件夹）",
    "{path}: unknown inventory format (use .yaml, .yml, .json, .xlsx or a folder for CSV)":
        "{path}：无法识别的清单格式（请用 .yaml、.yml、.json、.xlsx 或 CSV 文件夹）",
    "{path}: import writes an inventory file; use .yaml, .yml or .json":
        "{path}：导入的结果是资产清单文件，请用 .yaml、.yml 或 .json",
    "{path}: export writes a .xlsx workbook or a folder (a name without suffix)":
        "{path}：导出的结果是 .xlsx 工作簿或文件夹（不带后缀的名称）",
    "{path}: the file does not hold a mapping (a scenario document)": "{path}：文件内容不是映射（应为情景文档）",
    "{path}: the file does not hold a JSON object (a plan document)": "{path}：文件内容不是 JSON 对象（应为计划文档）",
    "{path}:{line}: invalid JSON: {reason}": "{path}:{line}：JSON 格式错误：{reason}",
    "{path}: {field}: missing required field": "{path}：{field}：缺少必填字段",
    "{path}: {field}: unknown field (check the spelling against docs/formats.md)":
        "{path}：{field}：未知字段（请对照 docs/formats.zh-CN.md 检查拼写）",
    "{path}: targets.{kpi}: year {year} is outside the horizon {horizon}":
        "{path}：targets.{kpi}：{year} 年不在规划期 {horizon} 内",
    "{path}: resources.budget_wan_per_year: year {year} is outside the horizon":
        "{path}：resources.budget_wan_per_year：{year} 年不在规划期内",
    "{path}: overrides.{name}: unknown list (one of {names})": "{path}：overrides.{name}：未知列表（应为 {names} 之一）",
    "{path}: overrides.{name}.{object_id}: no such id in the inventory":
        "{path}：overrides.{name}.{object_id}：清单中没有这个编号",
    # a scenario's field problems: the message inside is translated on its own
    "{path}.yaml: {field}: {message}": "{path}.yaml：{field}：{message}",
    "{path}.yml: {field}: {message}": "{path}.yml：{field}：{message}",
    "--previous and --frozen-until go together": "--previous 和 --frozen-until 必须同时使用",
    "--frozen-until: {reason}": "--frozen-until：{reason}",
    "'{text}' is not a quarter like 2024Q3": "'{text}' 不是 2024Q3 这样的季度",
    "no scenario files to compare": "没有可对比的情景文件",
    "skipping {path}: an inventory, not a scenario": "跳过 {path}：这是资产清单，不是情景",
    "every scenario failed: {names}": "所有情景都失败了：{names}",
    "scenario '{name}' is infeasible: {detail}": "情景 '{name}' 不可行：{detail}",
    "scenario '{name}' is infeasible: {detail} (and {count} more targets in plan.json)":
        "情景 '{name}' 不可行：{detail}（plan.json 中还有 {count} 个目标未满足）",
    "{path}: the plan breaks {count} rule(s) of the contract": "{path}：计划违反了 {count} 条规则",
    "the {solver} solver stopped without a plan after {seconds} s (raise solver.time_limit_s or try --solver cbc)":
        "{solver} 求解器运行 {seconds} 秒后停止，没有得到计划（请增大 solver.time_limit_s 或改用 --solver cbc）",
    "warning: the plan is for scenario '{plan}', not '{scenario}'": "警告：该计划属于情景 '{plan}'，而不是 '{scenario}'",
    "warning: the plan was made for a different inventory (inventory_sha256 differs)":
        "警告：该计划是按另一份资产清单生成的（inventory_sha256 不同）",
    "{path}: already exists (use --force to overwrite)": "{path}：已存在（加 --force 覆盖）",
    "{path}: no such wave (generate it with `migplan playbooks`)": "{path}：没有这个批次（请先用 `migplan playbooks` 生成）",
    "ansible-playbook not found: install ansible-core": "找不到 ansible-playbook：请安装 ansible-core",
    "wave {wave} has no cutover for '{limit}'": "批次 {wave} 中没有 '{limit}' 的割接",
    "no NetBox token: set {variable}": "没有 NetBox 令牌：请设置环境变量 {variable}",
    "{path}: netbox.token_env: environment variable {variable} is not set": "{path}：netbox.token_env：环境变量 {variable} 未设置",
    "give exactly one of 'inventory' (a file) or 'netbox' (a server)": "'inventory'（文件）和 'netbox'（服务器）必须且只能给出一个",
    "end {end} is before start {start}": "结束季度 {end} 早于开始季度 {start}",
    # ---------------------------------------------------------------- problems in inventories
    "missing required field": "缺少必填字段",
    "unknown field (check the spelling against docs/formats.md)": "未知字段（请对照 docs/formats.zh-CN.md 检查拼写）",
    "must be a list of records": "应为记录列表",
    "must be a mapping of fields": "应为字段映射",
    "must be '{expected}', found '{found}'": "应为 '{expected}'，实际为 '{found}'",
    "must be a finite number, found {value}": "应为有限的数，实际为 {value}",
    "unknown top-level key; expected one of {names}": "未知的顶层键；应为 {names} 之一",
    "duplicate id in {name} (first at {first})": "{name} 中编号重复（首次出现在 {first}）",
    "unknown department '{value}'": "未知的单位 '{value}'",
    "unknown room '{value}'": "未知的机房 '{value}'",
    "unknown network '{value}'": "未知的专网 '{value}'",
    "unknown system '{value}'": "未知的系统 '{value}'",
    "unknown cloud '{value}'": "未知的资源池 '{value}'",
    "a system cannot name itself": "系统不能引用自身",
    "unknown pool or pool kind '{value}' (kinds: {kinds})": "未知的资源池或资源池类型 '{value}'（类型：{kinds}）",
    "requires forms a cycle: {cycle} (remove one of these requirements)": "依赖关系形成环：{cycle}（请删除其中一个依赖）",
    "co_migrate is one-sided: {names} name(s) this system; added here too":
        "同步迁移只在一方填写：{names} 引用了本系统；已在此处补上",
    "runs in room '{room}', which is closed (set the room open or move the system)":
        "所在机房 '{room}' 已关停（请把机房改为在用，或修改系统所在机房）",
    "state is cloud, so current_cloud must name its pool": "状态为已上云，当前资源池（current_cloud）必须填写",
    "state is legacy, so room must name where it runs today": "状态为未上云，所在机房（room）必须填写",
    "input should be a valid number, unable to parse string as a number, found {value}": "应为数字，实际为 {value}",
    "input should be a valid integer, found {value}": "应为整数，实际为 {value}",
    "input should be a valid integer, unable to parse string as an integer, found {value}": "应为整数，实际为 {value}",
    "input should be a valid boolean, unable to interpret input, found {value}": "应为 是/否，实际为 {value}",
    "input should be a valid boolean, found {value}": "应为 是/否，实际为 {value}",
    "input should be a valid string, found {value}": "应为文本，实际为 {value}",
    "input should be a valid list, found {value}": "应为列表，实际为 {value}",
    "input should be less than or equal to {limit}, found {value}": "应不大于 {limit}，实际为 {value}",
    "input should be greater than or equal to {limit}, found {value}": "应不小于 {limit}，实际为 {value}",
    "input should be greater than {limit}, found {value}": "应大于 {limit}，实际为 {value}",
    "input should be {choices}, found {value}": "应为 {choices}，实际为 {value}",
    # pydantic's own sentences, as the scenario reader passes them on
    "Value error, {message}": "{message}",
    "Input should be a valid number, unable to parse string as a number": "应为数字",
    "Input should be a valid integer, unable to parse string as an integer": "应为整数",
    "Input should be a valid integer": "应为整数",
    "Input should be a valid boolean, unable to interpret input": "应为 true 或 false",
    "Input should be a valid dictionary": "应为映射（键: 值）",
    "Input should be a valid list": "应为列表",
    "Input should be a valid string": "应为文本",
    "Input should be greater than {limit}": "应大于 {limit}",
    "Input should be greater than or equal to {limit}": "应不小于 {limit}",
    "Input should be less than or equal to {limit}": "应不大于 {limit}",
    "Input should be {choices}": "应为 {choices}",
    "Extra inputs are not permitted": "不允许的字段",
    "must be a number, found {value}": "应为数字，实际为 {value}",
    "must be text, found {value}": "应为文本，实际为 {value}",
    "holds a control character ({character}) at position {position}; remove it": "第 {position} 个字符是控制字符（{character}），请删除",
    "the file does not hold a mapping (an inventory document)": "文件内容不是映射（应为资产清单文档）",
    "invalid JSON: duplicate key {key} in one object": "JSON 格式错误：同一对象中键 {key} 重复",
    "invalid YAML: duplicate key {key} (first on line {line})": "YAML 格式错误：键 {key} 重复（首次出现在第 {line} 行）",
    "invalid YAML: {reason}": "YAML 格式错误：{reason}",
    "invalid JSON: {reason}": "JSON 格式错误：{reason}",
    "{path}: is a folder, not a file": "{path}：是文件夹，不是文件",
    "no systems: the systems list (a ledger's systems sheet) is missing or empty": "没有系统：系统列表（台账的系统表）缺失或为空",
    "no systems: the systems list (a ledger's systems sheet) is missing or empty; pass --allow-empty if that is meant":
        "没有系统：系统列表（台账的系统表）缺失或为空；如确实如此，请加 --allow-empty",
    "{start}-{end} is {count} quarters; migplan plans at most {limit} (ten years)": "{start}-{end} 共 {count} 个季度；migplan 最多规划 {limit} 个季度（十年）",
    "no header row found (expected headers such as {headers})": "找不到表头行（应有 {headers} 等表头）",
    "unknown column; expected one of {columns}": "未知的列；应为以下之一：{columns}",
    "second column for {name}; keep one": "{name} 有两列；请只保留一列",
    "unknown key; expected format or region": "未知的项目；应为 format 或 region",
    "missing period (a quarter like 2024Q1)": "缺少季度（如 2024Q1）",
    "second bandwidth row for {period}; merge them": "{period} 有两行带宽；请合并",
    "capacity for unknown pool '{pool}' (not on the clouds sheet)": "未知资源池 '{pool}' 的容量（资源池表中没有）",
    "ignored: not a ledger table ({names})": "已忽略：不是台账表（应为 {names}）",
    "second {name} table (first is {first}); merge them": "第二张 {name} 表（第一张是 {first}）；请合并",
    "holds a formula that was never computed; type the value, or open and save the workbook in Excel":
        "为公式，且从未计算过；请直接填写数值，或用 Excel 打开并保存后再导入",
    "holds a formula; its value {value} (last computed by Excel) is used":
        "为公式；使用 Excel 最后一次计算的结果 {value}",
    # ---------------------------------------------------------------- why an object stays (planner.policy, graph, solve)
    "classified": "涉密",
    "must stay": "确需保留",
    "must stay: {reason}": "确需保留：{reason}",
    "no eligible pool: it runs on 信创 and there is no 信创 pool: add one": "无合适资源池：系统运行于信创，但没有信创资源池：请增加一个",
    "no eligible pool: it runs on x86, there is no x86 pool and it has no xinchuang_adapt_days: add an x86 pool, or give xinchuang_adapt_days":
        "无合适资源池：系统运行于 x86，没有 x86 资源池，且未填信创适配工作量：请增加 x86 资源池，或填写 xinchuang_adapt_days",
    "no eligible pool: the inventory has no pool: add one": "无合适资源池：清单中没有资源池：请增加一个",
    "no eligible pool: none it runs on is certified for 等保 level {level}: certify one (mlps_max {maximum}), or review mlps_level":
        "无合适资源池：可运行的资源池都未通过等保 {level} 级测评：请为某个资源池取得测评（mlps_max {maximum}），或复核 mlps_level",
    "no eligible pool: its cloud pin {pin} excludes every pool it may use: change `cloud`, or add such a pool":
        "无合适资源池：指定云 {pin} 排除了所有可用资源池：请修改 `cloud`，或增加此类资源池",
    "no eligible pool: industry clouds and pool regions exclude every pool it runs on: add a pool serving its department's region, or set the department's region":
        "无合适资源池：行业云和资源池服务区域排除了所有可运行的资源池：请增加服务该部门所在区域的资源池，或设置部门的区域",
    "no eligible pool pair: {arch}-only with active-active needs two such pools in different zones: add a {arch_again} pool in a second zone, or change `dr`":
        "无合适资源池组合：仅 {arch} 且同城双活，需要两个位于不同可用区的此类资源池：请在第二个可用区增加 {arch_again} 资源池，或修改 `dr`",
    "no eligible pool pair: its backup needs an eligible pool in another zone than its primary: add a pool in a second zone, or change `dr`":
        "无合适资源池组合：异地灾备需要主资源池之外另一可用区的合适资源池：请在第二个可用区增加资源池，或修改 `dr`",
    "co_migrate partner {partner} stays: it moves once {partner_again} can (see {partner_once_more}'s reason), or drop the co_migrate link":
        "同步迁移系统 {partner} 保留：待 {partner_again} 可迁移后随之迁移（原因见 {partner_once_more}），或取消 co_migrate 关联",
    "reached through network {network}, which stays ({reason}): give its users another way in and take {network_again} out of `networks`, or mark it must_stay":
        "经由专网 {network} 访问，该专网保留（{reason}）：请为用户提供其他访问方式并从 `networks` 中移除 {network_again}，或将系统标记为 must_stay",
    "requires {system}, which stays: it moves once {system_again} can, or drop {system_once_more} from `requires`":
        "依赖的系统 {system} 保留：待 {system_again} 可迁移后再迁移，或从 `requires` 中移除 {system_once_more}",
    "hosts staying systems: {systems}: it closes once they can move": "承载保留的系统：{systems}；待其可迁移后关停",
    "hosts staying systems: {systems}": "承载保留的系统：{systems}",
    "on cloud pool {pool} before the horizon": "规划期前已在资源池 {pool} 上",
    "retired before the horizon": "规划期前已撤并",
    "migrated before the horizon": "规划期前已迁移",
    "interconnected before the horizon": "规划期前已互联",
    "closed before the horizon": "规划期前已关停",
    "not scheduled within the horizon": "规划期内未安排",
    # ---------------------------------------------------------------- violations (planner.explain)
    "{constraint} needs {required}, best reachable {reached}; binding: {limits}": "{constraint} 要求 {required}，最多可达 {reached}；起约束作用的限制：{limits}",
    "{constraint} needs {required}, best reachable {reached}; no amount of capacity, team, budget or cutover slack reaches it (check freezes, stays and dependencies)":
        "{constraint} 要求 {required}，最多可达 {reached}；放宽容量、人天、预算或割接上限都无法达到（请检查封网期、保留对象和依赖关系）",
    "pool {pool} {resource} short by {amount} in {period}": "资源池 {pool} 的 {resource} 在 {period} 缺 {amount}",
    "extranet bandwidth short by {amount} Mbps in {period}": "外网带宽在 {period} 缺 {amount} Mbps",
    "team days short by {amount} in {period}": "团队人天在 {period} 缺 {amount}",
    "budget short by {amount} 万元 in {year}": "{year} 年预算缺 {amount} 万元",
    "cutover cap of department {department} short by {amount} in {period}": "单位 {department} 的割接上限在 {period} 缺 {amount}",
    "{constraint} needs {required}, best reachable {reached}": "{constraint} 要求 {required}，最多可达 {reached}",
    "{constraint} needs {required}, soft target {reached}": "{constraint} 要求 {required}，软目标实际达到 {reached}",
    "{constraint} needs {required}, best reachable {reached} (time limit: not proven best)":
        "{constraint} 要求 {required}，最多可达 {reached}（时间用完：未证明为最好）",
    # The completion rule's violation (planner/completion.py, planner/explain.py), composed of parts.
    "complete_by {due}: {counted} of {departments} left ({most})": "complete_by {due}：{departments}共遗留 {counted}（{most}）",
    "{most} and {count} more": "{most}，另有 {count} 个单位",
    "{first}, {second} and {third}": "{first}、{second}和{third}",
    "{first} and {second}": "{first}和{second}",
    "1 system": "1 个系统",
    "1 network": "1 个专网",
    "1 room": "1 个机房",
    "1 department": "1 个单位",
    "{detail} (soft: each costs a penalty)": "{detail}（软目标：每个遗留对象计罚分）",
    "{detail} (not proven unreachable: the time limit came first)": "{detail}（未证明无法达到：时间限制先到）",
    "{detail} (time limit: not proven best)": "{detail}（时间用完：未证明为最好）",
    "{detail}; binding: {limits}": "{detail}；起约束作用的限制：{limits}",
    "{detail}; binding (time limit: amounts not proven smallest): {limits}":
        "{detail}；起约束作用的限制（时间用完：缺口未证明为最小）：{limits}",
    "{detail}; with today's limits everything is done by {quarter}": "{detail}；按现有限制，最早可在 {quarter} 全部完成",
    "{detail}; with today's limits everything is done by {quarter} (time limit: not proven earliest)":
        "{detail}；按现有限制，可在 {quarter} 全部完成（时间用完：未证明为最早）",
    "{detail}; with today's limits not everything is done by the horizon's end {quarter}":
        "{detail}；按现有限制，到规划期末 {quarter} 仍无法全部完成",
    "{detail}; with today's limits not everything is done by the horizon's end {quarter} (time limit: not proven)":
        "{detail}；按现有限制，到规划期末 {quarter} 仍无法全部完成（时间用完：未证明）",
    "{constraint} needs {required}, best reachable {reached}; binding (time limit: amounts not proven smallest): {limits}":
        "{constraint} 要求 {required}，最多可达 {reached}；起约束作用的限制（时间用完：缺口未证明为最小）：{limits}",
    # ---------------------------------------------------------------- summaries and progress
    "loading {path}": "正在读取 {path}",
    "{groups} move groups, {quarters} quarters open for cutovers": "{groups} 个迁移组，{quarters} 个季度可安排割接",
    "model built: {variables} variables, {constraints} constraints in {seconds} s":
        "模型已建立：{variables} 个变量，{constraints} 个约束，用时 {seconds} 秒",
    "incumbent {cost} 万元 ({source}), bound {bound}, gap {gap}": "当前最好计划 {cost} 万元（{source}），下界 {bound}，间隙 {gap}",
    "incumbent {cost} 万元 ({source}), bound {bound}": "当前最好计划 {cost} 万元（{source}），下界 {bound}",
    "warm start {cost} 万元": "初始解 {cost} 万元",
    "search: {count} neighbourhoods, {better} better plans": "搜索：{count} 个邻域，{better} 个更好的计划",
    "infeasible: re-solving with elastic limits to find what binds (at most {seconds} s)":
        "不可行：放宽限制重新求解，找出起约束作用的限制（最多 {seconds} 秒）",
    "decomposition: {detail}": "分解：{detail}",
    "decomposition: {blocks} blocks linked by {rows} rows": "分解：{blocks} 个块，由 {rows} 行联结",
    "decomposition: bound {bound} 万元 after {rounds} rounds, {seconds} s": "分解：{rounds} 轮后下界 {bound} 万元，{seconds} 秒",
    "decomposition: bound {bound} 万元 ({state}) after {rounds} rounds, {seconds} s":
        "分解：{rounds} 轮后下界 {bound} 万元（{state}），{seconds} 秒",
    "decomposition: bound {bound} 万元 moved less than {share} in {rounds} rounds: stopping":
        "分解：下界 {bound} 万元，{rounds} 轮内上升不足 {share}：停止",
    "searching from the decomposition's LP point (bound {bound} 万元, {rounds} rounds)":
        "从分解的线性松弛解开始搜索（下界 {bound} 万元，{rounds} 轮）",
    "searching from the decomposition's newer LP point (bound {bound} 万元, {rounds} rounds)":
        "改按分解更新的线性松弛解搜索（下界 {bound} 万元，{rounds} 轮）",
    "incumbent {cost} 万元 ({source})": "当前最好计划 {cost} 万元（{source}）",
    "LP relaxation {value} 万元 in {seconds} s": "线性松弛 {value} 万元，用时 {seconds} 秒",
    "RENS plan {cost} 万元 ({free}) in {seconds} s": "RENS 计划 {cost} 万元（{free}），用时 {seconds} 秒",
    "RENS: no better plan in {seconds} s ({free}); searching around the best":
        "RENS：{seconds} 秒内没有更好的计划（{free}）；在最好的计划附近继续搜索",
    "{count} integer variables free": "{count} 个整数变量未固定",
    # where a plan came from, and how the decomposition ended: the values inside the lines above
    "search": "搜索",
    "guided greedy": "引导贪心",
    "warm start": "初始解",
    "the LP relaxation": "已达线性松弛",
    "stalled": "停滞",
    "not converged": "未收敛",
    "not converged: {reason}": "未收敛：{reason}",
    "block {block}'s LP: {status}": "第 {block} 块的线性规划：{status}",
    "the master LP: {status}": "主问题的线性规划：{status}",
    "Time limit reached": "达到时间限制",
    "guided plan {cost} 万元 (the greedy following the LP's schedule) in {seconds} s":
        "引导计划 {cost} 万元（按线性松弛进度表排程的贪心），用时 {seconds} 秒",
    "decomposition: bound {bound} 万元 with the MILP bound of block {block} of {blocks} (first pass, {seconds} s)":
        "分解：下界 {bound} 万元（已计入第 {block}/{blocks} 块的整数规划下界，第一遍，用时 {seconds} 秒）",
    "decomposition: bound {bound} 万元 with the MILP bound of block {block} of {blocks} (second pass, {seconds} s)":
        "分解：下界 {bound} 万元（已计入第 {block}/{blocks} 块的整数规划下界，第二遍，用时 {seconds} 秒）",
    "decomposition: bound {bound} 万元 with the blocks' MILP bounds, {seconds} s":
        "分解：计入各块的整数规划下界后下界为 {bound} 万元，{seconds} 秒",
    "loading {plan} and {scenario}": "正在读取 {plan} 和 {scenario}",
    "planning {count} systems with {solver}": "正在用 {solver} 规划 {count} 个系统",
    "writing plan files into {path}": "正在写入计划文件到 {path}",
    "writing {path}": "正在写入 {path}",
    "wrote {paths}": "已写入 {paths}",
    "wrote {path} ({size} KB in {seconds} s)": "已写入 {path}（{size} KB，用时 {seconds} 秒）",
    "{path}: written": "{path}：已写入",
    "{path}: inventory.yaml ({count} systems) and baseline.yaml": "{path}：inventory.yaml（{count} 个系统）和 baseline.yaml",
    "Language of the table and the pages (default: --lang, else zh).": "对比表和页面的语言（默认与 --lang 相同，否则为中文）。",
    "wrote {count} department workbooks into {path}": "已在 {path} 中写入 {count} 个单位的任务清单",
    "Folder for one workbook per department (default: departments/ beside the report).":
        "每个单位一个工作簿的输出文件夹（默认为报告旁的 departments/）。",
    "The plan this one replaces: add a section of the changes (migplan diff).":
        "被本计划取代的上一版计划：在报告中增加“方案调整”一节（同 migplan diff）。",
    "With --previous: progress.json of the previous plan, for the causes of the changes.":
        "与 --previous 一起使用：上一版计划的 progress.json，用于说明调整的原因。",
    "Write the plan report: one self-contained HTML file (charts inline, works offline, a printable page per\n"
    "department), and one workbook per department with its tasks.":
        "生成计划报告：一个独立的 HTML 文件（图表内嵌，可离线查看，每个单位一页可打印），并为每个单位生成一份任务清单工作簿。",
    "{path}: valid ({counts})": "{path}：校验通过（{counts}）",
    "{count} departments": "{count} 个单位",
    "{count} rooms": "{count} 个机房",
    "{count} networks": "{count} 个专网",
    "{count} systems": "{count} 个系统",
    "{count} clouds": "{count} 个资源池",
    "{count} warnings": "{count} 条警告",
    "{path}: {systems} systems, {rooms} rooms, {networks} networks": "{path}：{systems} 个系统，{rooms} 个机房，{networks} 个专网",
    "planning {count} scenarios in {jobs} processes": "正在用 {jobs} 个进程规划 {count} 个情景",
    "planning {count} scenarios on the Ray cluster {address}": "正在 Ray 集群 {address} 上规划 {count} 个情景",
    "{name}: {status} in {seconds} s ({done}/{total} done)": "{name}：{status}，用时 {seconds} 秒（已完成 {done}/{total}）",
}
