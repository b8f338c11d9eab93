"""Synthetic but realistic inventories for samples, tests and benchmarks, deterministic by seed.

A city has ~50 municipal departments, its counties and parks, about one machine room
per department plus shared and classified ones, ~13 private networks and systems drawn
from the sector topics of the digital-government plan. Pools follow "1+1+N+14": one
x86 and one 信创 pool per city (two zones), shared provincial pools, a 医保 industry
cloud per city and a supercomputing (hpc) pool. Capacities and the baseline scenario's
resources are sized from the demand with ``HEADROOM`` so that the 80% targets are
reachable with slack.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Any

from models.inventory import Capacity, CloudPool, Department, Extranet, Inventory, Network, Room, System
from models.period import Period

HEADROOM = 1.45
"""Capacity, team days and budget over what the baseline needs."""
PROVINCE_HEADROOM = 1.8
"""The provincial pools' capacity over their nominal demand: they are the only home of 等保 4 systems and
of most DR copies, and the cheapest x86 pool, so every eligible system can move (应迁尽迁) with room to spare."""
CAPACITY_STEPS: tuple[tuple[str, float], ...] = (("2023Q1", 0.55), ("2024Q2", 0.25), ("2025Q1", 0.20))
"""When new pool capacity and extranet bandwidth arrive, as shares of the total."""
BUDGET_SHARES: dict[int, float] = {2023: 0.3, 2024: 0.4, 2025: 0.3}
TIGHT_BUDGET_FACTOR = 0.3
"""tight-budget: this share of all one-off costs, far below what 80% needs."""

CITIES: tuple[tuple[str, str], ...] = (
    ("湘潭市", "xt"), ("长沙市", "cs"), ("株洲市", "zz"), ("衡阳市", "hy"), ("邵阳市", "sy"), ("岳阳市", "yy"),
    ("常德市", "cd"), ("张家界市", "zjj"), ("益阳市", "iy"), ("郴州市", "chz"), ("永州市", "yz"), ("怀化市", "hh"),
    ("娄底市", "ld"), ("湘西州", "xx"),
)
MUNICIPAL: tuple[tuple[str, str], ...] = (
    ("zfb", "市人民政府办公室"), ("fgw", "市发展和改革委员会"), ("jyj", "市教育局"), ("kjj", "市科学技术局"),
    ("gxj", "市工业和信息化局"), ("gaj", "市公安局"), ("mzj", "市民政局"), ("sfj", "市司法局"), ("czj", "市财政局"),
    ("renshe", "市人力资源和社会保障局"), ("zrzy", "市自然资源和规划局"), ("sthj", "市生态环境局"),
    ("zjj", "市住房和城乡建设局"), ("jtj", "市交通运输局"), ("slj", "市水利局"), ("nyj", "市农业农村局"),
    ("swj", "市商务局"), ("wlj", "市文化旅游广电体育局"), ("wjw", "市卫生健康委员会"), ("tyjr", "市退役军人事务局"),
    ("yjj", "市应急管理局"), ("sjj", "市审计局"), ("gzw", "市国有资产监督管理委员会"), ("scjg", "市市场监督管理局"),
    ("tjj", "市统计局"), ("ybj", "市医疗保障局"), ("lyj", "市林业局"), ("cgj", "市城市管理和综合执法局"),
    ("xfj", "市信访局"), ("jgsw", "市机关事务管理局"), ("sjzy", "市数据资源局（市政务服务中心）"), ("rfb", "市人民防空办公室"),
    ("tax", "国家税务总局市税务局"), ("qxj", "市气象局"), ("gjj", "市住房公积金管理中心"), ("ggzy", "市公共资源交易中心"),
    ("jrj", "市地方金融监督管理局"), ("xczx", "市乡村振兴局"), ("cl", "市残疾人联合会"), ("zgh", "市总工会"),
    ("fl", "市妇女联合会"), ("twsw", "共青团市委"), ("zzb", "市委组织部"), ("xcb", "市委宣传部"), ("zfw", "市委政法委"),
    ("jw", "市纪委监委"), ("dag", "市档案馆"), ("rmt", "市融媒体中心"), ("xfzd", "市消防救援支队"), ("kx", "市科学技术协会"),
)
XIANGTAN_COUNTIES: tuple[tuple[str, str, str], ...] = (
    ("yuhu", "雨湖区人民政府", "county"), ("yuetang", "岳塘区人民政府", "county"), ("xtx", "湘潭县人民政府", "county"),
    ("xiangxiang", "湘乡市人民政府", "county"), ("shaoshan", "韶山市人民政府", "county"),
    ("gaoxin", "湘潭高新技术产业开发区管委会", "park"), ("jingkai", "湘潭经济技术开发区管委会", "park"),
)
GENERIC_COUNTIES: tuple[tuple[str, str, str], ...] = (
    ("q1", "{city}城东区人民政府", "county"), ("q2", "{city}城西区人民政府", "county"), ("x1", "{city}第一县人民政府", "county"),
    ("x2", "{city}第二县人民政府", "county"), ("gx", "{city}高新区管委会", "park"),
)
# (id, name, department, classified, must_keep, keep_reason)
NETWORKS: tuple[tuple[str, str, str, bool, bool, str], ...] = (
    ("net-jinbao", "人社金保专网", "renshe", False, False, ""),
    ("net-yibao", "医保专网", "ybj", False, False, ""),
    ("net-weijian", "卫健专网", "wjw", False, False, ""),
    ("net-ziran", "自然资源专网", "zrzy", False, False, ""),
    ("net-shuili", "水利专网", "slj", False, False, ""),
    ("net-jinshen", "审计金审专网", "sjj", False, False, ""),
    ("net-caizheng", "财政专网", "czj", False, False, ""),
    ("net-gongan-video", "公安视频专网", "gaj", False, True, "公安视频图像信息按规定独立组网，与政务外网边界互联"),
    ("net-neiwang", "电子政务内网", "zfb", True, False, ""),
    ("net-jiaoyu", "教育专网", "jyj", False, False, ""),
    ("net-shuiwu", "税务专网", "tax", False, True, "税务系统垂直管理，由总局统一组网"),
    ("net-yingji", "应急指挥专网", "yjj", False, False, ""),
    ("net-shichang", "市场监管专网", "scjg", False, False, ""),
)
# Sector topics of the plan: (topic, department, system names); the first topic holds the shared platforms.
TOPICS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("公共支撑", "sjzy", ("统一身份认证平台", "政务数据共享交换平台", "电子证照库", "统一电子印章系统", "政务大数据中心平台")),
    ("政务服务一网通办", "sjzy", ("一网通办受理平台", "12345政务服务便民热线系统", "好差评系统", "政务服务网上大厅", "一件事一次办系统")),
    ("一网统管", "cgj", ("城市运行管理服务平台", "数字城管系统", "智慧停车管理平台")),
    ("智慧人社", "renshe", ("社会保险业务系统", "就业服务信息系统", "劳动监察系统", "社保卡服务系统", "人事考试管理系统")),
    ("智慧医保", "ybj", ("医保结算系统", "医保智能监控系统", "医保经办服务系统", "医保基金监管系统")),
    ("健康湘潭", "wjw", ("全民健康信息平台", "公共卫生应急管理系统", "电子健康档案系统", "基层医疗卫生信息系统")),
    ("不动产登记", "zrzy", ("不动产登记系统", "国土空间基础信息平台", "规划审批管理系统")),
    ("公共资源交易", "ggzy", ("公共资源交易平台", "电子招投标系统")),
    ("智慧教育", "jyj", ("教育资源公共服务平台", "学籍管理系统", "招生考试系统")),
    ("智慧交通", "jtj", ("交通运输综合执法系统", "公交智能调度系统", "道路运输管理系统")),
    ("城市运行管理", "zjj", ("建筑市场监管平台", "住房保障管理系统", "燃气安全监管系统")),
    ("应急指挥", "yjj", ("应急指挥综合平台", "安全生产监管系统", "自然灾害监测预警系统")),
    ("生态环境监测", "sthj", ("生态环境监测平台", "污染源在线监控系统", "大气污染扩散模拟系统")),
    ("市场监管", "scjg", ("市场主体登记系统", "食品安全追溯系统", "特种设备监管系统")),
    ("信用湘潭", "fgw", ("公共信用信息平台", "项目审批监管平台")),
    ("智慧水利", "slj", ("水利综合监管平台", "防汛抗旱指挥系统", "水资源管理系统")),
    ("智慧农业", "nyj", ("农业农村大数据平台", "农产品质量安全监管系统")),
    ("智慧财政", "czj", ("预算管理一体化系统", "国库集中支付系统", "非税收入管理系统")),
    ("智慧审计", "sjj", ("审计业务管理系统", "大数据审计分析平台")),
    ("智慧民政", "mzj", ("社会救助信息系统", "养老服务管理系统", "婚姻登记系统")),
    ("平安湘潭", "gaj", ("警务综合平台", "视频图像共享平台", "人口信息管理系统", "交通违法处理系统")),
    ("智慧税务", "tax", ("税收征管系统", "电子税务局")),
    ("智慧司法", "sfj", ("公共法律服务平台", "社区矫正管理系统")),
    ("文化旅游", "wlj", ("智慧旅游服务平台", "文化市场监管系统")),
    ("智慧商务", "swj", ("商务运行监测系统", "外贸综合服务平台")),
    ("统计监测", "tjj", ("统计联网直报系统",)),
    ("智慧气象", "qxj", ("气象数值预报系统", "气象信息服务平台")),
    ("住房公积金", "gjj", ("住房公积金管理系统",)),
    ("退役军人服务", "tyjr", ("退役军人服务管理系统",)),
    ("智慧林业", "lyj", ("森林防火监测系统", "林权管理系统")),
    ("信访", "xfj", ("网上信访系统",)),
    ("机关事务", "jgsw", ("公务用车管理系统", "公共机构节能监管系统")),
    ("数字机关", "zfb", ("协同办公系统", "政务督查系统", "涉密公文处理系统")),
    ("工业互联网", "gxj", ("工业经济运行监测系统", "中小企业服务平台")),
    ("智慧党建", "zzb", ("干部管理信息系统", "党员管理信息系统")),
    ("政法协同", "zfw", ("政法协同办案平台", "综治信息系统")),
    ("人民防空", "rfb", ("人防指挥信息系统",)),
    ("纪检监察", "jw", ("纪检监察业务系统", "廉政档案系统")),
)
COUNTY_SYSTEMS: tuple[str, ...] = ("政务服务平台", "网格化社会治理系统", "协同办公系统", "城市运行指挥系统")
SYSTEM_VARIANTS: tuple[str, ...] = ("", "（二期）", "（移动端）", "（县区版）", "（数据分析）", "（对外服务）")
HPC_TOPICS = {"生态环境监测", "智慧气象"}
MUST_STAY_DEPARTMENTS = {"gaj": "公安业务按规定部署在公安网机房", "tax": "税务系统垂直管理，部署在总局云",
                         "qxj": "气象业务系统由省气象局统一部署"}
CLASSIFIED_DEPARTMENTS = ("zfb", "gaj", "jw", "zzb", "zfw", "rfb")


@dataclass
class _Pools:
    """The pools a city's systems may go to, by role."""

    city_x86: str
    city_xc: str
    industry: str


def generate(cities: int = 1, systems_per_city: int = 300, seed: int = 1) -> Inventory:
    """An inventory of ``cities`` cities (Xiangtan first) with about ``systems_per_city`` systems each."""
    rng = random.Random(seed)
    departments: list[Department] = []
    rooms: list[Room] = []
    networks: list[Network] = []
    systems: list[System] = []
    pools: list[dict[str, Any]] = [
        _pool("hn-x86", "湖南省政务云 x86 资源池", "province", "x86", 4, zone="hn-a", rate=0.10),
        _pool("hn-xc", "湖南省政务云 信创资源池", "province", "xinchuang", 4, zone="hn-b", rate=0.11),
        _pool("hn-hpc", "国家超级计算长沙中心", "hpc", "x86", 3, zone="hn-hpc", rate=0.08),
    ]
    for city_index in range(cities):
        city, code = CITIES[city_index]
        prefix = "" if cities == 1 else f"{code}-"
        city_pools = _Pools(f"{code}-x86", f"{code}-xc", f"{prefix}yb-cloud")
        pools += [
            _pool(city_pools.city_x86, f"{city}政务云 x86 资源池", "city", "x86", 3, zone=f"{code}-a", region=city, rate=0.12),
            _pool(city_pools.city_xc, f"{city}政务云 信创资源池", "city", "xinchuang", 3, zone=f"{code}-b", region=city, rate=0.14),
            _pool(city_pools.industry, f"湖南医保行业云（{city}）", "industry", "x86", 3, zone="hn-yb",
                  industry=f"{prefix}ybj", rate=0.10),
        ]
        _generate_city(rng, city, code, prefix, systems_per_city, city_pools, departments, rooms, networks, systems)
    demand = _nominal_demand(systems, {p["id"]: p for p in pools}, {d.id: d.region or "" for d in departments})
    for pool in pools:
        existing, new = demand.get(pool["id"], (Capacity(), Capacity()))
        headroom = PROVINCE_HEADROOM if pool["kind"] == "province" else HEADROOM
        pool["capacity"] = _capacity_steps(existing, new, headroom)
    bandwidth = sum(n.bandwidth_mbps for n in networks if not n.classified and not n.must_keep)
    extranet = Extranet(bandwidth_mbps={
        Period.parse(period): round(bandwidth * HEADROOM * share) for period, share in CAPACITY_STEPS
    })
    return Inventory(
        region="湖南省" if cities > 1 else CITIES[0][0],
        departments=tuple(departments), rooms=tuple(rooms), networks=tuple(networks),
        systems=tuple(systems), clouds=tuple(CloudPool.model_validate(p) for p in pools), extranet=extranet,
    )


def _pool(pool_id: str, name: str, kind: str, arch: str, mlps_max: int, *, zone: str, rate: float,
          region: str | None = None, industry: str | None = None) -> dict[str, Any]:
    return {"id": pool_id, "name": name, "kind": kind, "arch": arch, "mlps_max": mlps_max, "industry": industry,
            "region": region, "zone": zone, "vcpu_annual_cost_wan": rate}


def _generate_city(rng: random.Random, city: str, code: str, prefix: str, systems_per_city: int, pools: _Pools,
                   departments: list[Department], rooms: list[Room], networks: list[Network],
                   systems: list[System]) -> None:
    short = city.rstrip("市州")
    counties = XIANGTAN_COUNTIES if code == "xt" else tuple(
        (slug, name.format(city=short), level) for slug, name, level in GENERIC_COUNTIES)
    for slug, name in MUNICIPAL:
        departments.append(Department(id=prefix + slug, name=name.replace("市", short + "市", 1) if name.startswith("市") else name,
                                      level="city", region=city))
    for slug, name, level in counties:
        departments.append(Department(id=prefix + slug, name=name, level=level, region=city))  # type: ignore[arg-type]
    room_of: dict[str, str] = {}
    for slug, name in MUNICIPAL + tuple((s, n) for s, n, _ in counties):
        room_id = f"{prefix}room-{slug}"
        rooms.append(Room(id=room_id, name=f"{name}信息中心机房", department=prefix + slug,
                          racks=rng.randint(2, 20), annual_cost_wan=round(rng.uniform(15, 120), 1),
                          close_cost_wan=round(rng.uniform(3, 25), 1)))
        room_of[slug] = room_id
    shared_room = f"{prefix}room-shared"
    rooms.append(Room(id=shared_room, name=f"{short}市电子政务中心共享机房", department=prefix + "sjzy", racks=40,
                      annual_cost_wan=260, close_cost_wan=45))
    classified_rooms = {slug: f"{prefix}room-secret-{slug}" for slug in CLASSIFIED_DEPARTMENTS}
    for slug, room_id in classified_rooms.items():
        rooms.append(Room(id=room_id, name=f"{dict(MUNICIPAL)[slug]}涉密机房", department=prefix + slug, racks=4,
                          annual_cost_wan=40, close_cost_wan=10, classified=True))
    network_of: dict[str, str] = {}
    for net_id, name, slug, classified, must_keep, reason in NETWORKS:
        network_of.setdefault(slug, prefix + net_id)
        endpoints = rng.randint(20, 300)
        networks.append(Network(
            id=prefix + net_id, name=name, department=prefix + slug, classified=classified, must_keep=must_keep,
            keep_reason=reason, endpoints=endpoints, bandwidth_mbps=rng.choice((50, 100, 200, 300, 500)),
            annual_cost_wan=round(endpoints * rng.uniform(0.3, 0.8), 1), migration_effort_days=round(endpoints * 0.4 + 15),
            migration_cost_wan=round(endpoints * rng.uniform(0.1, 0.3) + 5, 1), interconnect_effort_days=10,
            interconnect_cost_wan=round(rng.uniform(5, 15), 1)))
    catalogue = [(topic, slug, name) for topic, slug, names in TOPICS for name in names]
    catalogue += [("区县治理", slug, county_name.removesuffix("人民政府").removesuffix("管委会") + system)
                  for slug, county_name, _ in counties for system in COUNTY_SYSTEMS]
    first_code = CITIES[0][1]
    province_platform = f"{first_code}-sys-sjzy-1" if prefix and code != first_code else None
    _generate_systems(rng, prefix, systems_per_city, catalogue, room_of, shared_room, classified_rooms,
                      network_of, pools, systems, province_platform)


def _size(rng: random.Random) -> tuple[int, int, float]:
    vcpu = rng.choices((4, 8, 16, 32, 64, 128), weights=(25, 30, 22, 13, 7, 3))[0]
    memory = vcpu * rng.choice((2, 4, 4, 8))
    storage = round(min(200.0, rng.lognormvariate(0.5, 1.0) * vcpu / 16 + 0.2), 1)
    return vcpu, memory, storage


def _generate_systems(rng: random.Random, prefix: str, count: int, catalogue: list[tuple[str, str, str]],
                      room_of: dict[str, str], shared_room: str, classified_rooms: dict[str, str],
                      network_of: dict[str, str], pools: _Pools, systems: list[System],
                      province_platform: str | None = None) -> None:
    movable: list[str] = []  # systems others may require: they will reach a cloud
    platform_ids: list[str] = []
    per_department: dict[str, int] = {}
    first = len(systems)
    position = 0
    while len(systems) - first < count:
        topic, slug, base_name = catalogue[position % len(catalogue)]
        variant = SYSTEM_VARIANTS[(position // len(catalogue)) % len(SYSTEM_VARIANTS)]
        round_number = position // (len(catalogue) * len(SYSTEM_VARIANTS))
        name = base_name + variant + (f"（{round_number + 1}）" if round_number else "")
        position += 1
        per_department[slug] = per_department.get(slug, 0) + 1
        system_id = f"{prefix}sys-{slug}-{per_department[slug]}"
        is_platform = topic == "公共支撑" and position <= 2
        roll = rng.random()
        classified = not is_platform and slug in CLASSIFIED_DEPARTMENTS and roll < 0.6 or "涉密" in name
        must_stay = not classified and slug in MUST_STAY_DEPARTMENTS and rng.random() < 0.85
        retire = not (classified or must_stay or is_platform) and rng.random() < 0.08
        on_cloud = not (classified or must_stay or retire) and not is_platform and rng.random() < 0.05
        mlps = rng.choices((1, 2, 3, 4), weights=(5, 50, 40, 5))[0]
        arch = rng.choices(("x86", "any", "xinchuang"), weights=(80, 12, 8))[0]
        adapt = rng.randint(5, 40) if arch == "x86" and rng.random() < 0.3 else None
        vcpu, memory, storage = _size(rng)
        effort = round(5 + vcpu / 4 + rng.uniform(0, 20))
        criticality = "high" if mlps >= 3 and rng.random() < 0.4 else rng.choice(("low", "medium", "medium"))
        dr = "none"
        if criticality == "high" and not classified:
            dr = "backup" if mlps == 4 or rng.random() < 0.6 else "active-active"
        cloud_pin = None
        if topic in HPC_TOPICS and "模拟" in name or "数值预报" in name:
            cloud_pin, mlps, arch, adapt, dr = "hpc", min(mlps, 3), "x86", None, "none"
        elif slug == "ybj" and rng.random() < 0.5:
            cloud_pin, mlps, arch, adapt = "industry", min(mlps, 3), "x86", None
            dr = "none" if dr == "active-active" else dr
        room = (classified_rooms[slug] if classified
                else None if on_cloud
                else shared_room if slug not in room_of or rng.random() < 0.1 and not must_stay
                else room_of[slug])
        # A non-classified system never runs on the classified 内网 (the policy would block it, and a room with
        # it): the draw stays, so that a seed gives the same city as before for every other department.
        nets = (prefix + "net-neiwang",) if classified else (
            (network_of[slug],) if slug in network_of and rng.random() < 0.7
            and network_of[slug] != prefix + "net-neiwang" else ())
        requires: list[str] = []
        if is_platform and province_platform is not None and position == 1:
            # 统一身份认证: a city's own platform federates with the one of the province's first city.
            requires.append(province_platform)
        if not classified and not is_platform:
            requires += rng.sample(platform_ids, k=min(len(platform_ids), rng.choice((0, 1, 1, 2))))
            if movable and rng.random() < 0.25:
                candidate = rng.choice(movable[-30:])
                if candidate not in requires:
                    requires.append(candidate)
        common: dict[str, Any] = dict(
            department=prefix + slug, room=room, networks=nets, classified=classified, must_stay=must_stay,
            stay_reason=MUST_STAY_DEPARTMENTS.get(slug, "") if must_stay else "", retire=retire,
            mlps_level=mlps, arch=arch, criticality=criticality, dr=dr, cloud=cloud_pin,
            state="cloud" if on_cloud else "legacy", current_cloud=(pools.city_x86 if arch == "x86" else pools.city_xc)
            if on_cloud else None,
        )
        pair = (not (classified or must_stay or retire or on_cloud) and rng.random() < 0.1
                and len(systems) - first + 1 < count)
        database_id = f"{system_id}-db"
        systems.append(System(
            id=system_id, name=name, xinchuang_adapt_days=adapt, vcpu=vcpu, memory_gb=memory, storage_tb=storage,
            data_tb=round(storage * rng.uniform(0.3, 0.8), 2), effort_days=effort,
            migration_cost_wan=round(3 + effort * rng.uniform(0.4, 0.9), 1), requires=tuple(requires),
            co_migrate=(database_id,) if pair else (), **common))
        if pair:
            db_vcpu, db_memory, db_storage = _size(rng)
            db_effort = round(5 + db_vcpu / 4 + rng.uniform(0, 15))
            # Every other pair of an x86 application that cannot be adapted has its database on 信创
            # already: the pair moves in one quarter into two pools (co_migrate is the same period).
            mixed = arch == "x86" and adapt is None and cloud_pin is None and per_department[slug] % 2 == 1
            systems.append(System(
                id=database_id, name=name + "数据库", xinchuang_adapt_days=adapt, vcpu=db_vcpu, memory_gb=db_memory,
                storage_tb=db_storage * 2, data_tb=round(db_storage * 1.5, 2), effort_days=db_effort,
                migration_cost_wan=round(3 + db_effort * 0.6, 1), requires=tuple(requires),
                co_migrate=(system_id,), **{**common, "arch": "xinchuang" if mixed else arch}))
        if not (classified or must_stay or retire):
            movable.append(system_id)
            if is_platform:
                platform_ids.append(system_id)


def _nominal_demand(systems: list[System], pools: dict[str, dict[str, Any]],
                    region_of: dict[str, str]) -> dict[str, tuple[Capacity, Capacity]]:
    """Per pool: what already runs there and what a plausible plan would put there (DR copies included)."""
    existing: dict[str, list[float]] = {}
    new: dict[str, list[float]] = {}

    def add(table: dict[str, list[float]], pool_id: str, vcpu: float, memory: float, storage: float) -> None:
        totals = table.setdefault(pool_id, [0.0, 0.0, 0.0])
        totals[0] += vcpu
        totals[1] += memory
        totals[2] += storage

    city_pool = {(p["region"], p["arch"]): p["id"] for p in pools.values() if p["kind"] == "city"}
    for index, system in enumerate(systems):
        if system.classified or system.must_stay or system.retire:
            continue
        if system.state == "cloud" and system.current_cloud is not None:
            add(existing, system.current_cloud, system.vcpu, system.memory_gb, system.storage_tb)
            continue
        region = region_of[system.department]
        primary = _nominal_pool(system, index, pools, city_pool, region)
        add(new, primary, system.vcpu, system.memory_gb, system.storage_tb)
        if system.dr != "none":
            copy = _other_zone_pool(pools[primary], pools, city_pool, region, same_arch=system.dr == "active-active")
            if system.dr == "active-active":
                add(new, copy, system.vcpu, system.memory_gb, system.storage_tb)
            else:
                add(new, copy, 0, 0, system.storage_tb)
    return {
        pool_id: (Capacity(**dict(zip(("vcpu", "memory_gb", "storage_tb"), existing.get(pool_id, [0, 0, 0])))),
                  Capacity(**dict(zip(("vcpu", "memory_gb", "storage_tb"), new.get(pool_id, [0, 0, 0])))))
        for pool_id in pools
    }


def _nominal_pool(system: System, index: int, pools: dict[str, dict[str, Any]],
                  city_pool: dict[tuple[str, str], str], region: str) -> str:
    if system.cloud == "hpc":
        return "hn-hpc"
    if system.cloud == "industry":
        return next(p["id"] for p in pools.values() if p["kind"] == "industry" and p["industry"] == system.department)
    # half of the adaptable x86 systems are counted on 信创, as a plan favouring 信创 would move them
    wants_xinchuang = system.arch in ("xinchuang", "any") or (system.xinchuang_adapt_days is not None and index % 2 == 0)
    if system.mlps_level >= 4 or system.cloud == "province":
        return "hn-xc" if wants_xinchuang else "hn-x86"
    return city_pool[(region, "xinchuang" if wants_xinchuang else "x86")]


def _other_zone_pool(primary: dict[str, Any], pools: dict[str, dict[str, Any]], city_pool: dict[tuple[str, str], str],
                     region: str, same_arch: bool) -> str:
    """Where a DR copy nominally goes: an active-active copy runs the primary's build, so it needs
    the primary's architecture in another zone; a backup takes the other provincial pool."""
    if primary["kind"] == "city":
        return "hn-xc" if primary["arch"] == "xinchuang" else "hn-x86"
    if same_arch and primary["id"] in ("hn-x86", "hn-xc"):
        return city_pool[(region, primary["arch"])]
    return "hn-xc" if primary["id"] == "hn-x86" else "hn-x86"


def _capacity_steps(existing: Capacity, new: Capacity, headroom: float) -> dict[str, dict[str, float]]:
    steps: dict[str, dict[str, float]] = {}
    for position, (period, share) in enumerate(CAPACITY_STEPS):
        carry = existing if position == 0 else Capacity()
        steps[period] = {
            field: float(math.ceil(getattr(carry, field) + getattr(new, field) * headroom * share))
            for field in ("vcpu", "memory_gb", "storage_tb")
        }
    return steps


# ---------------------------------------------------------------- scenarios


def one_off_totals(inventory: Inventory) -> dict[str, float]:
    """What the in-scope objects would cost and take if every one of them moved."""
    in_scope = [s for s in inventory.systems if not (s.classified or s.must_stay or s.retire) and s.state == "legacy"]
    networks = [n for n in inventory.networks if not n.classified and n.state == "private"]
    rooms = [r for r in inventory.rooms if not r.classified and r.state == "open"]
    return {
        "effort_days": sum(s.effort_days for s in in_scope)
        + sum((s.xinchuang_adapt_days or 0) for s in in_scope) / 2
        + sum(n.interconnect_effort_days if n.must_keep else n.migration_effort_days for n in networks),
        "cost_wan": sum(s.migration_cost_wan for s in in_scope)
        + sum(n.interconnect_cost_wan if n.must_keep else n.migration_cost_wan for n in networks)
        + sum(r.close_cost_wan for r in rooms),
        "max_systems_per_department": max(
            (sum(1 for s in in_scope if s.department == d.id) for d in inventory.departments), default=0),
    }


def baseline_scenario(inventory: Inventory, inventory_path: str, name: str = "baseline",
                      budget_factor: float = HEADROOM) -> dict[str, Any]:
    """A 2023-2025 scenario against the 80% targets with resources sized from the inventory."""
    totals = one_off_totals(inventory)
    freeze = ["2024Q1"]
    working_periods = 12 - len(freeze)
    return {
        "format": "migplan-scenario/1",
        "name": name,
        "description": "2023-2025 plan against the 80% targets (机房整合, 专网迁移, 上云)",
        "inventory": inventory_path,
        "horizon": {"start": "2023Q1", "end": "2025Q4"},
        "targets": {
            "room_consolidation": {2024: 0.5, 2025: 0.8},
            "network_migration": {2024: 0.4, 2025: 0.8},
            "cloud_adoption": {2024: 0.5, 2025: 0.8},
            "soft": False,
        },
        "kpi": {"count_interconnected_networks": True, "count_retired_systems": True},
        "resources": {
            "team_days_per_period": float(math.ceil(totals["effort_days"] * HEADROOM / working_periods)),
            "budget_wan_per_year": {year: float(math.ceil(totals["cost_wan"] * budget_factor * share))
                                    for year, share in BUDGET_SHARES.items()},
            "freeze": freeze,
            "max_cutovers_per_department_per_period": max(
                3, math.ceil(totals["max_systems_per_department"] * HEADROOM / working_periods)),
        },
        "objective": "min_cost",
        "solver": {"name": "highs", "time_limit_s": 60, "mip_gap": 0.005},
    }
