#!/usr/bin/env python3
"""make_seed.py — writes the seed city of 云岚市 (a fictional city) into seeds/*.csv.

Deterministic: a fixed random seed and fixed per-unit plans, python3 standard library only.
Run `python3 seeds/make_seed.py [--out DIR]` from anywhere; the files land beside this
script, or in DIR.
The CSV files are shaped like real office exports (docs/data.md): GB18030 or UTF-8
with a BOM, Chinese headers, CRLF in some, mixed date forms, quoted multi-line summaries,
full-width digits and thousands separators in a few cells. seeds/README.md describes each
file; seeds/expect.py re-reads the files independently and computes the expected outcomes.
"""
import csv
import datetime as dt
import io
import os
import random
from fractions import Fraction
import sys
import zipfile
from xml.sax.saxutils import escape

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = HERE
CITY = "云岚市"
rng = random.Random(20201231)

# ---------------------------------------------------------------- units
# Codes: S01-S04 streets (街道), T01-T06 townships (乡镇), Z01 the development zone,
# D01-D23 city departments (市直部门).
STREETS = [("S01", "城东街道"), ("S02", "城西街道"), ("S03", "南湖街道"), ("S04", "北山街道")]
TOWNS = [("T01", "柳溪镇"), ("T02", "石桥镇"), ("T03", "白沙镇"), ("T04", "青石乡"),
         ("T05", "金牛镇"), ("T06", "黄桥镇")]
ZONE = ("Z01", "云岚经济技术开发区", "云岚经开区;经开区")
DEPTS = [  # code, full name, aliases (the short names the work-points document uses)
    ("D01", "云岚市应急管理局", "市应急管理局;应急局"),
    ("D02", "云岚市自然资源和规划局", "市自然资源和规划局;市自规局"),
    ("D03", "云岚市住房和城乡建设局", "市住建局;住建局"),
    ("D04", "云岚市发展和改革委员会", "市发改委;发改委"),
    ("D05", "云岚市公安局", "市公安局"),
    ("D06", "云岚市水务局", "市水务局"),
    ("D07", "云岚市气象局", "市气象局"),
    ("D08", "云岚市交通运输局", "市交通运输局;交通局"),
    ("D09", "云岚市民政局", "市民政局"),
    ("D10", "云岚市商务局", "市商务局"),
    ("D11", "云岚市农业农村局", "市农业农村局"),
    ("D12", "云岚市城市管理局", "市城管局;城管局"),
    ("D13", "云岚市文化和旅游局", "市文旅局;文旅局"),
    ("D14", "云岚市消防救援大队", "市消防救援大队;消防救援大队"),
    ("D15", "云岚市市场监督管理局", "市市场监管局;市场监管局"),
    ("D16", "云岚市房产服务中心", "市房产服务中心"),
    ("D17", "云岚市数据资源管理局", "市数据资源局"),
    ("D18", "云岚市生态环境分局", "市生态环境分局"),
    ("D19", "云岚市财政局", "市财政局"),
    ("D20", "云岚市卫生健康委员会", "市卫健委;市卫生健康委员会"),
    ("D21", "云岚市经济和信息化局", "市经信局;经信局"),
    ("D22", "云岚市教育体育局", "市教体局;教体局"),
    ("D23", "云岚市统计局", "市统计局"),  # named in no work item: not department-scored
]
LOCAL = [c for c, _ in STREETS] + [c for c, _ in TOWNS] + [ZONE[0]]
NAME = dict(STREETS + TOWNS + [(ZONE[0], ZONE[1])] + [(c, n) for c, n, _ in DEPTS])
SHORT = {c: a.split(";")[0] for c, _, a in DEPTS}
SHORT[ZONE[0]] = "云岚经开区"

# ---------------------------------------------------------------- cell writers
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
EXCEL_EPOCH = dt.date(1899, 12, 30)


def fmt_date(d, style):
    """One date in one of the forms offices use."""
    if style == "iso":
        return d.isoformat()
    if style == "slash":
        return f"{d.year}/{d.month}/{d.day}"
    if style == "dot":
        return f"{d.year}.{d.month}.{d.day}"
    if style == "cn":
        return f"{d.year}年{d.month}月{d.day}日"
    if style == "compact":
        return d.strftime("%Y%m%d")
    if style == "serial":
        return str((d - EXCEL_EPOCH).days)
    raise ValueError(style)


def fmt_dt(t, style, seconds=False):
    """A date-time: the date in `style`, then ' H:MM' or ' HH:MM:SS'."""
    if style == "serial":
        raise ValueError("no serials for date-times")
    clock = f"{t.hour:02d}:{t.minute:02d}:{t.second:02d}" if seconds else f"{t.hour}:{t.minute:02d}"
    return f"{fmt_date(t.date(), style)} {clock}"


def write_csv(name, header, rows, encoding, crlf, trailer=""):
    """Writes rows under header; encoding 'gb18030', 'utf-8-sig' (BOM) or 'utf-8'."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n" if crlf else "\n")
    w.writerow(header)
    w.writerows(rows)
    data = buf.getvalue() + trailer
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data.encode(encoding))
    return len(rows)


def yn(v, style):
    return {"cn": ("是", "否"), "yn": ("Y", "N"), "01": ("1", "0")}[style][0 if v else 1]


# ---------------------------------------------------------------- accidents
SECTOR_CN = {"road": "道路运输", "construction": "建筑施工", "hazchem": "危险化学品",
             "mining": "非煤矿山", "industry": "工贸", "fire": "火灾",
             "special_equipment": "特种设备", "gas": "城镇燃气", "fireworks": "烟花爆竹",
             "waterway": "水上交通", "agri_machinery": "农业机械", "other": "其他"}
# sector weights of the ordinary (一般) production accidents, per year: construction and
# special equipment rise in 2020, business road transport falls.
SECTOR_W = {
    2018: {"road": 9, "construction": 6, "industry": 6, "special_equipment": 2, "mining": 1,
           "hazchem": 1, "fire": 1, "waterway": 1, "agri_machinery": 1, "other": 2},
    2019: {"road": 9, "construction": 5, "industry": 6, "special_equipment": 2, "mining": 1,
           "hazchem": 1, "fire": 1, "waterway": 1, "agri_machinery": 2, "other": 2},
    2020: {"road": 6, "construction": 7, "industry": 5, "special_equipment": 3, "mining": 1,
           "hazchem": 1, "fire": 1, "waterway": 1, "agri_machinery": 1, "other": 1},
}
# Counted accidents (production, not written off) per unit and half year:
# (accidents H1, deaths H1, accidents H2, deaths H2); deaths include missing persons and
# are the values after the corrections file.
PLAN = {
    2018: {"S01": (2, 2, 2, 2), "S02": (1, 1, 2, 3), "S03": (2, 1, 2, 2), "S04": (1, 1, 2, 2),
           "T01": (3, 5, 2, 2), "T02": (2, 2, 2, 1), "T03": (1, 1, 2, 2), "T04": (1, 1, 1, 1),
           "T05": (0, 0, 1, 1), "T06": (3, 2, 2, 2), "Z01": (2, 2, 3, 3)},
    2019: {"S01": (2, 2, 2, 2), "S02": (2, 1, 1, 1), "S03": (1, 1, 2, 2), "S04": (2, 2, 2, 1),
           "T01": (3, 3, 3, 3), "T02": (2, 2, 2, 2), "T03": (2, 11, 2, 2), "T04": (1, 1, 1, 0),
           "T05": (0, 0, 0, 0), "T06": (2, 2, 3, 3), "Z01": (3, 3, 3, 4)},
    2020: {"S01": (1, 1, 2, 1), "S02": (2, 2, 1, 1), "S03": (0, 0, 1, 1), "S04": (1, 1, 3, 3),
           "T01": (2, 2, 2, 2), "T02": (3, 4, 2, 2), "T03": (1, 1, 1, 1), "T04": (1, 1, 0, 0),
           "T05": (0, 0, 0, 0), "T06": (2, 2, 2, 1), "Z01": (2, 2, 2, 2)},
}
# Special accidents, counted within PLAN. Keys: unit, year, half, and overrides.
SPECIAL = [
    dict(unit="T01", year=2018, half=1, sector="road", deaths=3, injuries=4, loss=86.0,
         level="较大", tag="road3",
         summary="一辆运送建材的货车在柳溪镇境内县道与对向客车相撞，造成3人死亡、4人受伤。"),
    dict(unit="S02", year=2018, half=2, sector="industry", deaths=2, serious=1, loss=120.0,
         level="较大", tag="misrated",  # figures give 一般: the intended level warning
         summary="城西某五金厂冲压车间发生机械伤害, 初报\"3人死亡\", 后核实为2人死亡、1人重伤;"
                 "\n街道按初报定为较大事故上报。"),
    dict(unit="S04", year=2018, half=1, status="late"),
    dict(unit="T06", year=2018, half=2, status="late"),
    dict(unit="T02", year=2018, half=2, status="omitted", deaths=0, injuries=2),
    # 2019
    dict(unit="T03", year=2019, half=1, month=4, sector="hazchem", deaths=9, missing=1,
         serious=6, injuries=14, loss=3260.0, tag="major",
         summary="白沙镇某化工企业硝化车间发生爆炸，造成9人死亡、1人失踪、6人重伤，"
                 "厂区周边部分民房玻璃受损。\n事故调查组已成立，\"三同时\"落实情况正在核查。"),
    dict(unit="Z01", year=2019, half=2, sector="industry", deaths=3, injuries=2, loss=410.0,
         level="较大", tag="z3",
         summary="经开区某铸造企业有限空间作业时发生中毒窒息，3人死亡（含2名施救人员）。"),
    dict(unit="S04", year=2019, half=1, sector="gas", deaths=0, serious=12, injuries=9,
         loss=380.0, tag="gas12",
         summary="北山街道一餐饮店液化气瓶泄漏引发爆燃，造成12人重伤、9人轻伤。"),
    dict(unit="S02", year=2019, half=2, status="late"),
    dict(unit="T06", year=2019, half=1, status="late"),
    dict(unit="T04", year=2019, half=2, status="omitted", deaths=0, injuries=1),
    # 2020
    dict(unit="T02", year=2020, half=1, month=3, sector="construction", deaths=3, deaths0=2,
         serious=1, injuries=3, loss=260.0, close_days=75, tag="t2fix",
         summary="石桥镇某安置房项目脚手架局部坍塌，造成2人死亡、1人重伤；\n"
                 "重伤者经抢救无效死亡，死亡人数核报为3人。"),
    dict(unit="S03", year=2020, half=2, month=8, sector="fire", deaths=1, injuries=2,
         loss=1250.0, level="较大", tag="fire1250",
         summary="南湖街道某物流仓库发生火灾，过火面积约4,600平方米，1人死亡，"
                 "直接经济损失1250万元。"),
    dict(unit="T06", year=2020, half=1, month=5, sector="mining", deaths=1, status="concealed",
         report_day=(10, 19), tag="concealed",
         summary="黄桥镇某采石场发生高处坠落，企业私了未报告，10月经群众举报查实（瞒报）。"),
    dict(unit="S04", year=2020, half=2, status="late"),
    dict(unit="T02", year=2020, half=1, status="late", deaths=1),
    dict(unit="Z01", year=2020, half=1, status="late", sector="special_equipment", deaths=1,
         deaths0=2, tag="zfix",
         summary="经开区某机械厂叉车倾覆，初报2人死亡，经核查其中1人为重伤，死亡人数核减为1人。"),
    dict(unit="S02", year=2020, half=2, status="omitted", sector="construction", deaths=1,
         deaths0=0, tag="s2fix",
         summary="城西街道某小区外墙维修作业人员坠落，当日送医，15日后死亡，街道未及时报告。"),
    dict(unit="S04", year=2020, half=2, month=9, sector="industry", deaths=0, injuries=1,
         close_days=None, tag="open"),
    dict(unit="S01", year=2020, half=2, month=7, sector="construction", deaths=1,
         tag="resend"),
    dict(unit="T01", year=2020, half=1, month=6, sector="special_equipment", deaths=1,
         close_days=80, tag="late_close"),
]
# Not counted: non-business road and fire accidents (production = no) and one written off.
EXTRA = {
    2018: [("S01", "road", 1), ("T01", "road", 2), ("T04", "road", 1), ("T06", "road", 1),
           ("Z01", "road", 1), ("S03", "fire", 1)],
    2019: [("S02", "road", 1), ("T02", "road", 1), ("T03", "road", 2), ("T05", "road", 1),
           ("S04", "fire", 1), ("T06", "road", 1)],
    2020: [("S01", "road", 1), ("T01", "road", 1), ("T02", "road", 2), ("T05", "road", 1),
           ("Z01", "road", 1), ("T03", "fire", 2), ("S03", "road", 1)],
}
WRITTEN_OFF = dict(unit="T01", year=2020, half=2, month=8, sector="other", deaths=1,
                   written_off=True, tag="written_off",
                   summary="柳溪镇某厂区内发生人员死亡，经公安机关侦查认定为刑事案件，"
                           "按规定予以核销。")

PLACES = {"S01": "城东", "S02": "城西", "S03": "南湖", "S04": "北山", "T01": "柳溪",
          "T02": "石桥", "T03": "白沙", "T04": "青石", "T05": "金牛", "T06": "黄桥",
          "Z01": "经开区"}
WHAT = {"road": ["货车追尾", "客车侧翻", "危货车辆碰撞", "渣土车碾压行人"],
        "construction": ["高处坠落", "物体打击", "基坑坍塌", "塔吊倾覆"],
        "industry": ["机械伤害", "有限空间中毒", "触电", "粉尘爆燃"],
        "special_equipment": ["电梯剪切", "叉车碰撞", "起重机械伤害"],
        "mining": ["边坡坍塌", "爆破飞石伤人"], "hazchem": ["储罐泄漏", "动火作业闪爆"],
        "fire": ["厂房火灾", "仓库火灾"], "waterway": ["渔船翻沉", "运砂船碰撞"],
        "agri_machinery": ["拖拉机侧翻", "收割机伤人"], "other": ["人员溺亡", "触电"],
        "gas": ["燃气爆燃"], "fireworks": ["烟花爆竹爆炸"]}


def derive_level(a):
    d, s, loss = a["deaths"] + a["missing"], a["serious"], a["loss"]
    if d >= 30 or s >= 100 or loss >= 10000:
        return "特别重大"
    if d >= 10 or s >= 50 or loss >= 5000:
        return "重大"
    if d >= 3 or s >= 10 or loss >= 1000:
        return "较大"
    return "一般"


def pick(weights):
    keys = sorted(weights)
    return rng.choices(keys, [weights[k] for k in keys])[0]


def rand_day(year, half, month=None):
    """A day away from the half-year and year edges and from the 60-day edge of B5."""
    if month is None:
        month = rng.randint(1, 6) if half == 1 else rng.randint(7, 12)
    lo, hi = 1, 28
    if month == 6:
        hi = 26
    if month == 7:
        lo = 4
    if month == 12:
        hi = 20
    if month == 1:
        lo = 3
    if month == 10:
        hi = 25  # deadline of B5 (occurred + 60 days <= 31 Dec) stays clear of 1 Nov
    if month == 11:
        lo = 8
    return dt.date(year, month, rng.randint(lo, hi))


def new_accident(unit, year, half, **kw):
    day = rand_day(year, half, kw.get("month"))
    t = dt.datetime.combine(day, dt.time(rng.randint(6, 21), rng.choice([0, 10, 15, 20, 30, 40, 45, 50])))
    sector = kw.get("sector") or pick(SECTOR_W[year])
    deaths = kw.get("deaths", 1)
    a = dict(unit=unit, year=year, half=half, t=t, sector=sector, deaths=deaths,
             deaths0=kw.get("deaths0", deaths), missing=kw.get("missing", 0),
             serious=kw.get("serious", rng.choice([0, 0, 0, 1, 2])),
             injuries=kw.get("injuries", rng.choice([0, 0, 1, 1, 2, 3])),
             loss=kw.get("loss", round(rng.uniform(8, 180), 1)),
             level=kw.get("level", ""), status=kw.get("status", "normal"),
             production=kw.get("production", True), written_off=kw.get("written_off", False),
             tag=kw.get("tag", ""), summary=kw.get("summary"))
    if a["level"] and a["tag"] != "misrated":
        assert a["level"] == derive_level(a), a
    # reporting: within 1-2 hours, late by a day or more, omitted or concealed found later
    if a["status"] == "normal":
        rep = t + dt.timedelta(minutes=rng.randint(25, 110))
    elif a["status"] == "late":
        rep = t + dt.timedelta(hours=rng.randint(20, 70))
    elif a["status"] == "omitted":
        rep = t + dt.timedelta(days=rng.randint(12, 25))
    else:
        m, d_ = kw["report_day"]
        rep = dt.datetime(year, m, d_, 9, 30)
    a["reported"] = rep.replace(second=0)
    close_days = kw.get("close_days", rng.randint(28, 55))
    if "close_days" not in kw and a["status"] in ("omitted", "concealed"):
        close_days = None if a["status"] == "concealed" else rng.randint(30, 50)
    a["closed"] = day + dt.timedelta(days=close_days) if close_days else None
    if a["closed"] and a["closed"] > dt.date(2020, 12, 31):
        a["closed"] = None  # still open at the data cut-off
    if a["summary"] is None:
        a["summary"] = f"{PLACES[unit]}{rng.choice(WHAT[sector])}，" + (
            f"造成{deaths + a['missing']}人死亡。" if deaths else "造成人员受伤，无死亡。")
    return a


def deaths_split(n, d):
    """d deaths over n ordinary accidents: each 0, 1 or 2 (ordinary stays 一般)."""
    assert d <= 2 * n, (n, d)
    out = [0] * n
    for i in range(d):
        out[i % n] += 1
    rng.shuffle(out)
    return out


def build_accidents():
    by_year = {}
    for year in (2018, 2019, 2020):
        rows = []
        for unit in LOCAL:
            plan = PLAN[year][unit]
            for half, (n, d) in ((1, plan[0:2]), (2, plan[2:4])):
                specs = [s for s in SPECIAL if (s["unit"], s["year"], s["half"]) == (unit, year, half)]
                n_left, d_left = n, d
                for s in specs:
                    kw = {k: v for k, v in s.items() if k not in ("unit", "year", "half")}
                    if "deaths" not in kw:
                        kw["deaths"] = 0 if d_left == 0 else (1 if d_left - 1 <= 2 * (n_left - 1) else 2)
                    a = new_accident(unit, year, half, **kw)
                    rows.append(a)
                    n_left -= 1
                    d_left -= a["deaths"] + a["missing"]
                assert n_left >= 0 and d_left >= 0, (unit, year, half, n_left, d_left)
                for k in deaths_split(n_left, d_left):
                    rows.append(new_accident(unit, year, half, deaths=k))
        for unit, sector, deaths in EXTRA[year]:
            rows.append(new_accident(unit, year, rng.choice([1, 2]), sector=sector, deaths=deaths,
                                     production=False, serious=0))
        if year == 2020:
            w = dict(WRITTEN_OFF)
            rows.append(new_accident(w.pop("unit"), year, w.pop("half"), **{k: v for k, v in w.items() if k != "year"}))
        rows.sort(key=lambda a: a["t"])
        for i, a in enumerate(rows, 1):
            a["id"] = f"SG{year}-{i:03d}"
        by_year[year] = rows
    return by_year


def acc_row(a, cols, quirks):
    """One accident as the cells of `cols` (canonical names), in this file's forms."""
    i = int(a["id"][-3:])
    out = []
    for c in cols:
        if c == "id":
            v = a["id"]
        elif c == "occurred_at":
            style = quirks["date_styles"][i % len(quirks["date_styles"])]
            v = fmt_date(a["t"].date(), style) if style == "serial" else fmt_dt(a["t"], style)
        elif c == "reported_at":
            v = fmt_dt(a["reported"], quirks["rep_style"], seconds=quirks.get("seconds", False))
        elif c == "unit":
            v = SHORT.get(a["unit"], NAME[a["unit"]]) if i % 3 == 0 else (
                a["unit"] if i % 3 == 1 else NAME[a["unit"]])
        elif c == "sector":
            v = SECTOR_CN[a["sector"]] if i % 2 else a["sector"]
            if a["sector"] == "road" and i % 4 == 1:
                v = "道路交通"
        elif c == "deaths":
            v = str(a["deaths" if quirks.get("final", True) else "deaths0"])
            if quirks.get("fullwidth") and i in quirks["fullwidth"]:
                v = v.translate(FULLWIDTH)
        elif c == "missing":
            v = str(a["missing"]) if a["missing"] or i % 2 else ""
        elif c == "serious_injuries":
            v = str(a["serious"])
        elif c == "injuries":
            v = str(a["injuries"])
        elif c == "direct_loss":
            if quirks.get("loss_yuan"):
                yuan = int(round(a["loss"] * 10000))
                v = f"{yuan:,}" if yuan >= 1000000 else str(yuan)
            else:
                v = f"{a['loss']:g}"
        elif c == "level":
            v = a["level"]
        elif c == "report_status":
            cn = {"normal": "正常", "late": "迟报", "omitted": "漏报", "concealed": "瞒报"}
            v = cn[a["status"]] if quirks.get("status_cn", True) else a["status"]
            if a["status"] == "normal" and i % 5 == 0:
                v = ""
        elif c == "closed_on":
            v = fmt_date(a["closed"], quirks["close_style"]) if a["closed"] else ""
        elif c == "production":
            v = yn(a["production"], quirks["bool"])
        elif c == "written_off":
            v = yn(True, quirks["bool"]) if a["written_off"] else ""
        elif c == "summary":
            v = a["summary"]
        else:
            raise KeyError(c)
        out.append(v)
    return out


def write_accidents(acc):
    n = {}
    # 2018: GB18030, CRLF, Chinese dates with times, 万元 loss, two blank lines at the end.
    h = ["事故编号", "发生时间", "报告时间", "属地", "行业领域", "死亡人数", "失踪人数", "重伤人数",
         "受伤人数", "直接经济损失(万元)", "事故等级", "报告情况", "结案日期", "生产经营性", "简要经过"]
    cols = ["id", "occurred_at", "reported_at", "unit", "sector", "deaths", "missing",
            "serious_injuries", "injuries", "direct_loss", "level", "report_status",
            "closed_on", "production", "summary"]
    q = dict(date_styles=["cn", "slash", "iso"], rep_style="slash", close_style="cn", bool="cn")
    rows = [acc_row(a, cols, q) for a in acc[2018]]
    n["accidents_2018.csv"] = write_csv("accidents_2018.csv", h, rows, "gb18030", True, "\r\n\r\n")
    # 2019: UTF-8 with BOM, LF, Excel serials among the dates, Y/N booleans, trailing spaces.
    h = ["编号", "事故时间", "上报时间", "所属单位", "行业", "死亡", "失踪", "重伤", "受伤",
         "直接经济损失", "等级", "报送情况", "结案日期", "是否生产经营性", "是否核销", "事故简况"]
    cols = ["id", "occurred_at", "reported_at", "unit", "sector", "deaths", "missing",
            "serious_injuries", "injuries", "direct_loss", "level", "report_status",
            "closed_on", "production", "written_off", "summary"]
    q = dict(date_styles=["serial", "iso", "dot", "compact"], rep_style="iso", close_style="serial",
             bool="yn", seconds=True)
    rows = [acc_row(a, cols, q) for a in acc[2019]]
    for r in rows[::7]:
        r[3] = r[3] + "  "  # trailing spaces from a hand-typed cell
    n["accidents_2019.csv"] = write_csv("accidents_2019.csv", h, rows, "utf-8-sig", False)
    # 2020: GB18030, CRLF, loss in yuan (元) with thousands separators, full-width digits,
    # the deaths as first reported (the corrections file revises three of them).
    h = ["事故编号", "发生日期", "报告时间", "乡镇街道", "事故类别", "死亡人数", "失踪人数", "重伤人数",
         "轻伤人数", "直接经济损失(元)", "事故等级", "报告情况", "结案日期", "生产经营性", "核销", "摘要"]
    fw = {int(a["id"][-3:]) for a in acc[2020] if a["deaths"] == a["deaths0"]}
    fw = set(sorted(fw)[3:30:9])
    q = dict(date_styles=["iso", "slash", "cn", "compact"], rep_style="iso", close_style="compact",
             bool="01", final=False, loss_yuan=True, fullwidth=fw)
    # 白沙镇 (T03) sends its own accidents as a workbook (write_district_book): they are not
    # in the city's file
    rows = [acc_row(a, cols, q) for a in acc[2020] if a["unit"] != DISTRICT]
    n["accidents_2020.csv"] = write_csv("accidents_2020.csv", h, rows, "gb18030", True)
    n[DISTRICT_BOOK] = write_district_book([a for a in acc[2020] if a["unit"] == DISTRICT])
    # Corrections, sent in 2021 by the provincial system: canonical headers, UTF-8, LF.
    cols = ["id", "occurred_at", "reported_at", "unit", "sector", "deaths", "missing",
            "serious_injuries", "injuries", "direct_loss", "level", "report_status",
            "closed_on", "production", "written_off", "summary"]
    q = dict(date_styles=["iso"], rep_style="iso", close_style="iso", bool="cn",
             status_cn=False, seconds=True)
    fixes = [a for a in acc[2020] if a["tag"] in ("t2fix", "zfix", "s2fix", "resend")]
    rows = [acc_row(a, cols, q) for a in fixes]
    n["accidents_2020_corrections.csv"] = write_csv("accidents_2020_corrections.csv", cols, rows,
                                                    "utf-8", False)
    return n


# ---------------------------------------------------------------- a district's workbook
# 白沙镇 keeps its 2020 accidents in Excel, as a township office does: a title row and a
# 填报单位 row above the header, the township's name merged down over its rows, real dates
# and numbers, a 合计 row and a 填表人 line below. Written here from raw XML (Python's
# standard library only), stored uncompressed with fixed timestamps: the same bytes on
# every machine.
DISTRICT = "T03"
DISTRICT_BOOK = "accidents_2020_白沙镇.xlsx"


def xlsx_col(k):
    s = ""
    k += 1
    while k:
        k, r = divmod(k - 1, 26)
        s = chr(65 + r) + s
    return s


def excel_serial(t):
    """Days since 1899-12-30 (Excel's 1900 system, past February 1900) with the time."""
    if isinstance(t, dt.datetime):
        d = t - dt.datetime(1899, 12, 30)
        return d.days + d.seconds / 86400
    return (t - EXCEL_EPOCH).days


def write_xlsx(name, sheet, rows, merges, widths):
    """rows: lists of cells: None, str, int/float, or (style, value) with style 1 a date,
    2 a date-time, 3 bold text (titles and header)."""
    strings, index = [], {}
    xml_rows = []
    for r, row in enumerate(rows, start=1):
        cells = []
        for k, v in enumerate(row):
            if v is None or v == "":
                continue
            ref = f"{xlsx_col(k)}{r}"
            style, v = v if isinstance(v, tuple) else (0, v)
            st = f' s="{style}"' if style else ""
            if isinstance(v, str):
                if v not in index:
                    index[v] = len(strings)
                    strings.append(v)
                cells.append(f'<c r="{ref}"{st} t="s"><v>{index[v]}</v></c>')
            else:
                num = excel_serial(v) if isinstance(v, (dt.date, dt.datetime)) else v
                cells.append(f'<c r="{ref}"{st}><v>{num!r}</v></c>')
        xml_rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    cols = "".join(f'<col min="{k + 1}" max="{k + 1}" width="{w}" customWidth="1"/>' for k, w in enumerate(widths))
    sheet_xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {ns} xmlns:r="{rel}">'
                 f'<cols>{cols}</cols><sheetData>{"".join(xml_rows)}</sheetData>'
                 f'<mergeCells count="{len(merges)}">' + "".join(f'<mergeCell ref="{m}"/>' for m in merges) +
                 '</mergeCells></worksheet>')
    sst = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst {ns} count="{len(strings)}" '
           f'uniqueCount="{len(strings)}">' + "".join(f"<si><t>{escape(t)}</t></si>" for t in strings) + "</sst>")
    styles = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet {ns}>'
              '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy/m/d h:mm"/></numFmts>'
              '<fonts count="2"><font><sz val="11"/><name val="宋体"/></font><font><b/><sz val="11"/><name val="宋体"/></font></fonts>'
              '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
              '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
              '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
              '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
              '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
              '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
              '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
              '<cellStyles count="1"><cellStyle name="常规" xfId="0" builtinId="0"/></cellStyles></styleSheet>')
    workbook = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook {ns} xmlns:r="{rel}">'
                f'<sheets><sheet name="{escape(sheet)}" sheetId="1" r:id="rId1"/></sheets></workbook>')
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    wb_rels = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{pkg}">'
               f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
               f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
               f'<Relationship Id="rId3" Type="{rel}/styles" Target="styles.xml"/></Relationships>')
    rels = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{pkg}">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml."
    types = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             '<Default Extension="xml" ContentType="application/xml"/>'
             f'<Override PartName="/xl/workbook.xml" ContentType="{ct}sheet.main+xml"/>'
             f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{ct}worksheet+xml"/>'
             f'<Override PartName="/xl/sharedStrings.xml" ContentType="{ct}sharedStrings+xml"/>'
             f'<Override PartName="/xl/styles.xml" ContentType="{ct}styles+xml"/></Types>')
    with zipfile.ZipFile(os.path.join(OUT, name), "w", zipfile.ZIP_STORED) as z:
        for part, text in (("[Content_Types].xml", types), ("_rels/.rels", rels), ("xl/workbook.xml", workbook),
                           ("xl/_rels/workbook.xml.rels", wb_rels), ("xl/styles.xml", styles),
                           ("xl/sharedStrings.xml", sst), ("xl/worksheets/sheet1.xml", sheet_xml)):
            info = zipfile.ZipInfo(part, date_time=(2021, 1, 5, 9, 0, 0))
            info.external_attr = 0o644 << 16
            z.writestr(info, text.encode("utf-8"))


def write_district_book(accs):
    """The township's accidents of 2020 as its workbook; returns the number of rows."""
    h = ["事故编号", "发生时间", "报告时间", "属地", "行业领域", "死亡人数", "失踪人数", "重伤人数",
         "受伤人数", "直接经济损失(元)", "事故等级", "报告情况", "结案日期", "生产经营性", "核销", "简要经过"]
    status = {"normal": "正常", "late": "迟报", "omitted": "漏报", "concealed": "瞒报"}
    name = NAME[DISTRICT]
    rows = [[(3, f"{name}2020年生产安全事故台账")],
            [f"填报单位：{name}人民政府"] + [None] * 11 + ["填报日期：2021年1月5日"],
            [(3, c) for c in h]]
    for k, a in enumerate(accs):
        rows.append([a["id"], (2, a["t"]), (2, a["reported"]), name if k == 0 else None,
                     SECTOR_CN[a["sector"]], a["deaths0"], a["missing"], a["serious"], a["injuries"],
                     int(round(a["loss"] * 10000)), a["level"], status[a["status"]],
                     (1, a["closed"]) if a["closed"] else None, "是" if a["production"] else "否",
                     "是" if a["written_off"] else None, a["summary"]])
    total = len(rows) + 1
    rows.append(["合计", None, None, None, None] +
                [sum(a[k] for a in accs) for k in ("deaths0", "missing", "serious", "injuries")] +
                [sum(int(round(a["loss"] * 10000)) for a in accs)])
    rows.append(["填表人：陈静", None, None, None, None, None, None, None, None, None, None, None, "审核：周伟"])
    first = 4
    merges = ["A1:P1", "A2:L2", "M2:P2", f"D{first}:D{first + len(accs) - 1}"]
    assert total == first + len(accs)
    write_xlsx(DISTRICT_BOOK, "事故台账", rows, merges,
               [13, 16, 16, 10, 10, 9, 9, 9, 9, 16, 9, 9, 12, 11, 6, 36])
    return len(accs)


# ---------------------------------------------------------------- inspections
# per unit: (inspections 2019, plan 2019, rectification 2019, inspections 2020, plan 2020,
# rectification 2020); plan None = the target is missing (a `problems` row).
INSP = {"S01": (300, 275, .97, 325, 310, .98), "S02": (225, 250, .86, 262, 300, .90),
        "S03": (188, 188, .95, 219, 212, .97), "S04": (262, 288, .92, 300, 290, .93),
        "T01": (325, 312, .96, 375, 350, .97), "T02": (288, 310, .84, 312, 325, .88),
        "T03": (350, 325, .90, 400, 375, .96), "T04": (150, 188, .79, 175, 200, .83),
        "T05": (138, 125, .99, 162, None, .99), "T06": (250, 250, .93, 275, 275, .95),
        "Z01": (450, 438, .94, 500, 475, .97)}
INSPECTOR = {"road": "D08", "construction": "D03", "hazchem": "D01", "mining": "D01",
             "industry": "D01", "fire": "D14", "special_equipment": "D15", "gas": "D12",
             "fireworks": "D01", "waterway": "D08", "agri_machinery": "D11", "other": "D01"}
TRADE = ["机械制造", "五金制品", "建材", "纺织", "食品", "化工", "物流", "建筑工程", "塑料制品",
         "木业", "印务", "电子科技", "汽车配件", "石材", "家具"]
SUFFIX = ["有限公司", "有限责任公司", "厂", "股份有限公司"]
ISECT = {"industry": 30, "construction": 18, "hazchem": 8, "road": 8, "special_equipment": 8,
         "fire": 10, "gas": 6, "mining": 3, "fireworks": 2, "waterway": 2, "agri_machinery": 2,
         "other": 3}


def build_inspections(year):
    rows = []
    for unit in LOCAL:
        n = INSP[unit][0 if year == 2019 else 3]
        rate = INSP[unit][2 if year == 2019 else 5]
        firms = [f"{CITY}{PLACES[unit]}{rng.choice(['', '鑫', '宏', '恒', '华', '盛', '通'])}"
                 f"{rng.choice(['达', '源', '泰', '丰', '隆', '安', '兴'])}{rng.choice(TRADE)}"
                 f"{rng.choice(SUFFIX)}" for _ in range(max(20, n // 4))]
        for _ in range(n):
            day = dt.date(year, 1, 2) + dt.timedelta(days=rng.randint(0, 360))
            if day == dt.date(2020, 2, 29):
                day = dt.date(2020, 2, 28)
            found = rng.choice([0, 1, 1, 2, 2, 3, 3, 4, 5, 6, 8])
            fixed = sum(1 for _ in range(found) if rng.random() < rate)
            major = 1 if found and rng.random() < 0.04 else 0
            pen = 1 if found >= 3 and rng.random() < 0.35 else 0
            fine = rng.choice([5000, 10000, 20000, 30000, 50000, 80000]) if pen else 0
            sector = pick(ISECT)
            rows.append(dict(unit=unit, day=day, sector=sector, firm=rng.choice(firms),
                             kind=rng.choice(["plan"] * 5 + ["random"] * 3 + ["special", "complaint", "other"]),
                             found=found, major=major, fixed=fixed, pen=pen, fine=fine,
                             suspended=bool(major and rng.random() < 0.5),
                             inspector=INSPECTOR[sector]))
    rows.sort(key=lambda r: (r["day"], r["unit"]))
    for i, r in enumerate(rows, 1):
        r["id"] = f"JC{year}-{i:05d}"
    return rows


def write_inspections(ins):
    n = {}
    kinds = {"plan": "计划", "random": "双随机", "special": "专项", "complaint": "举报", "other": "其他"}
    # 2019: GB18030, CRLF, fines in 万元, Chinese kinds, one row of empty cells at the end.
    h = ["检查编号", "检查日期", "乡镇街道", "行业领域", "被检查单位", "检查类型", "发现隐患数",
         "重大隐患数", "已整改隐患数", "行政处罚数", "罚款(万元)", "责令停产停业", "执法单位"]
    styles = ["slash", "cn", "serial", "iso", "slash"]
    rows = []
    for k, r in enumerate(ins[2019]):
        rows.append([r["id"], fmt_date(r["day"], styles[k % 5]),
                     NAME[r["unit"]] if k % 2 else r["unit"],
                     SECTOR_CN[r["sector"]], r["firm"], kinds[r["kind"]], str(r["found"]),
                     str(r["major"]), str(r["fixed"]), str(r["pen"]),
                     f"{r['fine'] / 10000:g}" if r["fine"] else "", "是" if r["suspended"] else "否",
                     SHORT[r["inspector"]]])
    n["inspections_2019.csv"] = write_csv("inspections_2019.csv", h, rows, "gb18030", True,
                                          "," * (len(h) - 1) + "\r\n")
    # 2020: UTF-8 with BOM, LF, fines in 元 with thousands separators, full-width counts,
    # English kinds, column order changed, an unused column is left out.
    h = ["检查时间", "检查编号", "属地", "行业", "企业名称", "检查方式", "隐患数", "重大隐患",
         "整改隐患数", "处罚", "罚款金额", "停产整顿", "检查单位"]
    styles = ["iso", "compact", "iso", "dot", "serial", "iso"]
    rows = []
    for k, r in enumerate(ins[2020]):
        found = str(r["found"])
        if k % 97 == 5:
            found = found.translate(FULLWIDTH)
        rows.append([fmt_date(r["day"], styles[k % 6]), r["id"],
                     SHORT[r["unit"]] if r["unit"] == "Z01" and k % 2 else r["unit"],
                     r["sector"], r["firm"], r["kind"], found, str(r["major"]), str(r["fixed"]),
                     str(r["pen"]), f"{r['fine']:,}" if r["fine"] else "0",
                     "Y" if r["suspended"] else "", NAME[r["inspector"]]])
    n["inspections_2020.csv"] = write_csv("inspections_2020.csv", h, rows, "utf-8-sig", False)
    return n


# ---------------------------------------------------------------- targets and assessments
# per unit and year: deaths_cap, accidents_cap, drills_min (inspections_plan from INSP)
TARGET = {
    2019: {"S01": (4, 5, 2), "S02": (3, 4, 2), "S03": (3, 4, 2), "S04": (3, 4, 2),
           "T01": (5, 6, 2), "T02": (4, 5, 2), "T03": (4, 5, 2), "T04": (2, 3, 2),
           "T05": (1, 2, 1), "T06": (5, 6, 2), "Z01": (6, 7, 3)},
    2020: {"S01": (3, 4, 2), "S02": (2, 3, 2), "S03": (2, 3, 2), "S04": (3, 4, 2),
           "T01": (5, 5, 2), "T02": (3, 4, 2), "T03": (4, 4, 2), "T04": (3, 2, 2),
           "T05": (1, 1, 1), "T06": (5, 5, 2), "Z01": (7, 6, 3)},
}
# per unit and year: drills, training_score (2020 only), bonus (absent when None)
ASSESS = {
    2019: {"S01": (3, None, 2), "S02": (1, None, None), "S03": (2, None, 1), "S04": (2, None, None),
           "T01": (4, None, 4), "T02": (1, None, None), "T03": (2, None, None), "T04": (0, None, None),
           "T05": (1, None, 1.5), "T06": (2, None, None), "Z01": (3, None, 2)},
    2020: {"S01": (3, 5, 2), "S02": (2, 4, None), "S03": (2, 4.5, 1), "S04": (2, 4, None),
           "T01": (3, 5, 3), "T02": (1, 3.5, None), "T03": (2, 5, 6), "T04": (1, 3, None),
           "T05": (1, 4.5, 1), "T06": (2, 4, 2), "Z01": (4, 5, 2.5)},
}


def write_targets():
    n = {}
    names = ["deaths_cap", "accidents_cap", "inspections_plan", "drills_min"]
    for year, enc, crlf, h in ((2019, "gb18030", True, ["年度", "单位", "指标", "目标值"]),
                               (2020, "utf-8-sig", True, ["年度", "被考核单位", "指标", "值"])):
        rows = []
        for unit in LOCAL:
            dc, ac, dm = TARGET[year][unit]
            plan = INSP[unit][1 if year == 2019 else 4]
            for ind, v in zip(names, (dc, ac, plan, dm)):
                if v is None:
                    continue
                rows.append([str(year), NAME[unit] if year == 2019 else unit, ind,
                             f"{v:,}" if ind == "inspections_plan" and year == 2019 else str(v)])
        n[f"targets_{year}.csv"] = write_csv(f"targets_{year}.csv", h, rows, enc, crlf)
    return n


def task_list():
    """The 23 work items of the 2020 work points: (no, title, lead, cooperating codes)."""
    towns = [c for c, _ in STREETS] + [c for c, _ in TOWNS]
    local = towns + ["Z01"]
    sup = ["D03", "D05", "D08", "D10", "D11", "D12", "D13", "D14", "D15", "D21", "D22"]
    return [
        (1, "把安全发展要求写进城市各类规划", "D02", ["D03", "D04", "D05", "D01", "D06", "D07", "D08", "D09"]),
        (2, "建立城市安全风险辨识评估与“一张图”", "D01", ["D05", "D03", "D08", "D10", "D11", "D12", "D13", "D14"]),
        (3, "管控交通、建筑、特种设备等重点领域风险", "D01", ["D05", "D08", "D03", "D15", "D16", "D14"] + local),
        (4, "推进应急管理信息化平台对接与数据共享", "D01", ["D17", "D05", "D06", "D02", "D18", "D07"] + local),
        (5, "健全自然灾害监测预警与灾情报送", "D01", ["D07", "D02", "D06", "D11"] + towns),
        (6, "完善应急物资储备和协议储备", "D01", ["D19", "D04", "D10", "D20", "D15"]),
        (7, "修订防汛抗旱预案，做好汛前检查", "D01", ["D06", "D03", "D02", "D07", "D11"] + towns),
        (8, "按计划开展安全生产执法检查", "D01", sup + local),
        (9, "开展危险化学品安全提升行动", "D01", ["D04", "D21", "D05", "D18", "D03", "D08", "D22", "D10"] + local),
        (10, "整治露天矿山和尾矿库隐患", "D01", ["D02", "D21"] + local),
        (11, "严格工贸行业重点领域专项治理", "D01", ["D21"] + local),
        (12, "按期调查事故并追究责任", "D01", sup + local),
        (13, "修订总体应急预案，组织预案演练", "D01", ["D05", "D03", "D08", "D14", "D20", "D22"] + local),
        (14, "加强综合性和专业救援队伍建设", "D01", ["D14", "D20", "D04", "D08", "D05", "D03", "D09"] + local),
        (15, "落实24小时值班，杜绝迟报漏报", "D01", ["D05", "D08", "D14", "D20"] + local),
        (16, "厘清部门安全监管职责清单", "D01", sup + local),
        (17, "发挥安委会办公室综合协调作用", "D01", ["D05", "D03", "D08", "D15", "D14"] + local),
        (18, "推动安全生产领域改革重点任务落地", "D01", ["D04", "D19", "D03", "D08"] + local),
        (19, "修订目标责任考核办法，定期通报", "D01", ["D03", "D08", "D15"] + local),
        (20, "评估“十三五”规划，编制“十四五”应急规划", "D01", ["D04"]),
        (21, "开展安全生产月和“七进”宣传", "D01", ["D13", "D22", "D20"] + local),
        (22, "推进企业安全生产标准化和责任保险", "D01", ["D21", "D03", "D08", "D15"] + local),
        (23, "加强应急管理干部队伍建设", "D01", ["D19"]),
    ]


# Departments' completion of the items (task.<no>): a base level per department, varied per
# item; two values are missing on purpose (D05 on item 9, D12 on item 16).
TASK_BASE = {"D01": 0.95, "D02": 0.9, "D03": 0.85, "D04": 1.0, "D05": 0.9, "D06": 1.0, "D07": 1.0,
             "D08": 0.8, "D09": 0.9, "D10": 0.75, "D11": 0.9, "D12": 0.7, "D13": 0.85, "D14": 1.0,
             "D15": 0.9, "D16": 0.6, "D17": 0.8, "D18": 0.95, "D19": 1.0, "D20": 0.95, "D21": 0.85,
             "D22": 0.9}
TASK_MISSING = {("D05", 9), ("D12", 16)}
# Fixed on purpose: 云岚市文化和旅游局 ties 云岚市卫生健康委员会 (94.00) at rank 6, the edge of
# the 优秀 quota of the 22 departments (6): both stay 优秀.
TASK_FIXED = {("D13", 2): 1.0, ("D13", 8): 0.9, ("D13", 12): 0.95, ("D13", 16): 0.9,
              ("D13", 21): 0.95}


def keep_clear_of_half_cent(dept, nos, lead, twentieths):
    """Nudges one completion value until the department's score (100 x weighted mean,
    docs/scoring.md) is not exactly half a cent: rounding such a score depends on
    floating-point summation order, which no test should."""
    w = {no: 2 if (dept, no) in lead else 1 for no in nos}
    while True:
        got = sum(w[no] * twentieths[no] for no in nos if (dept, no) not in TASK_MISSING)
        score = Fraction(100 * got, 20 * sum(w.values()))
        if (score * 100).denominator != 2:
            return
        last = [no for no in nos if (dept, no) not in TASK_MISSING][-1]
        twentieths[last] += -1 if twentieths[last] > 0 else 1


def write_tasks_and_assessments():
    n = {}
    tasks = task_list()
    seps = ["、", ";", "，", "、"]  # the separators data.md lists for unit lists
    rows = []
    for no, title, lead, coop in tasks:
        sep = seps[no % len(seps)]
        names = [SHORT.get(c, NAME[c]) if c != "Z01" else "云岚经开区" for c in coop]
        rows.append([str(2020), str(no), title, SHORT[lead], sep.join(names)])
    n["tasks_2020.csv"] = write_csv("tasks_2020.csv", ["年度", "序号", "工作任务", "牵头单位", "协同单位"],
                                    rows, "utf-8-sig", True)
    for year in (2019, 2020):
        rows = []
        for unit in LOCAL:
            drills, training, bonus = ASSESS[year][unit]
            rows.append([str(year), "年度", NAME[unit], "drills", str(drills), "全年组织综合及专项演练"])
            if year == 2020 and unit in ("S01", "T01", "Z01"):
                rows.append([str(year), "H1", NAME[unit], "drills", str(max(1, drills - 2)), "上半年进度"])
            if training is not None:
                rows.append([str(year), "annual", unit, "training_score", f"{training:g}", ""])
            if bonus is not None:
                why = "获省级安全生产先进集体表彰" if bonus >= 3 else "市级通报表扬"
                rows.append([str(year), "年度", unit, "bonus", f"{bonus:g}", why])
        if year == 2020:
            roles = {}
            for no, _, lead, coop in tasks:
                for c in [lead] + coop:
                    if c.startswith("D"):
                        roles.setdefault(c, []).append(no)
            lead = {(t[2], t[0]) for t in tasks}
            for dept in sorted(roles):
                nos = sorted(set(roles[dept]))
                twentieths = {}  # completion in steps of 0.05, as integers 0..20
                for no in nos:
                    v = TASK_BASE[dept] + rng.choice([-0.1, -0.05, 0, 0, 0.05, 0.1])
                    twentieths[no] = min(20, max(0, round(TASK_FIXED.get((dept, no), v) * 20)))
                keep_clear_of_half_cent(dept, nos, lead, twentieths)
                for no in nos:
                    if (dept, no) in TASK_MISSING:
                        continue
                    v = twentieths[no] / 20
                    rows.append([str(year), "annual", SHORT[dept], f"task.{no}", f"{v:g}",
                                 "按序时完成" if v >= 1 else "部分完成"])
        h = ["年度", "考核期", "被考核单位", "指标", "值", "说明"]
        n[f"assessments_{year}.csv"] = write_csv(f"assessments_{year}.csv", h, rows,
                                                 "gb18030" if year == 2019 else "utf-8", year == 2019)
    return n


def write_units():
    rows = []
    for code, name in STREETS:
        rows.append([code, name, "街道", ""])
    for code, name in TOWNS:
        rows.append([code, name, "乡镇", ""])
    rows.append([ZONE[0], ZONE[1], "开发区", ZONE[2]])
    for code, name, aliases in DEPTS:
        rows.append([code, name, "市直部门" if code in ("D14", "D16") else "部门",
                     aliases.replace(";", "、") if code in ("D20",) else aliases])
    return {"units.csv": write_csv("units.csv", ["单位代码", "单位名称", "单位类型", "别名"], rows,
                                   "utf-8-sig", True)}


def main():
    global OUT
    if len(sys.argv) == 3 and sys.argv[1] == "--out":
        OUT = sys.argv[2]
    elif len(sys.argv) != 1:
        sys.exit("usage: make_seed.py [--out DIR]")
    counts = {}
    counts.update(write_units())
    acc = build_accidents()
    counts.update(write_accidents(acc))
    ins = {2019: build_inspections(2019), 2020: build_inspections(2020)}
    counts.update(write_inspections(ins))
    counts.update(write_targets())
    counts.update(write_tasks_and_assessments())
    for name in sorted(counts):
        print(f"{name}: {counts[name]} rows")


if __name__ == "__main__":
    main()
