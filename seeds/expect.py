#!/usr/bin/env python3
"""expect.py — the expected outcomes of the seed city, computed from its files alone.

An independent check, not the engine: it re-reads seeds/*.csv the way docs/data.md
describes (encodings, header aliases, date and number forms, unit aliases), and 白沙镇's
workbook (zipfile and ElementTree: shared strings, date formats, merged cells, the title
rows above the header and the 合计 / 填表人 rows below skipped), applies the
corrections file, and prints the figures that seeds/README.md records and that tests pin:
row counts, revisions, double decline (scripts/double_decline.lua) and the 2019/2020 sample
scoring schemes (docs/scoring.md). Python 3 standard library only.
Usage: python3 seeds/expect.py [--json] [--before-corrections]
(--before-corrections: the state before accidents_2020_corrections.csv was imported)
"""
import csv
import datetime as dt
import io
import json
import math
import os
import re
import sys
import xml.etree.ElementTree as ET
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))

# ---------------------------------------------------------------- reading
ALIASES = {
    "units": {"code": ["单位代码", "代码"], "name": ["单位名称", "名称", "单位"],
              "kind": ["类型", "单位类型"], "aliases": ["别名"]},
    "accidents": {"id": ["事故编号", "编号"], "occurred_at": ["发生时间", "事故时间", "发生日期"],
                  "reported_at": ["报告时间", "上报时间"], "unit": ["属地", "所属单位", "乡镇街道", "单位"],
                  "sector": ["行业领域", "行业", "事故类别"], "deaths": ["死亡人数", "死亡"],
                  "missing": ["失踪人数", "失踪"], "serious_injuries": ["重伤人数", "重伤"],
                  "injuries": ["受伤人数", "轻伤人数", "受伤"],
                  "direct_loss": ["直接经济损失", "直接经济损失(万元)", "直接经济损失(元)"],
                  "level": ["事故等级", "等级"], "report_status": ["报告情况", "报送情况"],
                  "closed_on": ["结案日期"], "production": ["生产经营性", "是否生产经营性"],
                  "written_off": ["核销", "是否核销"], "summary": ["简要经过", "事故简况", "摘要"]},
    "inspections": {"id": ["检查编号", "编号"], "inspected_on": ["检查日期", "检查时间"],
                    "unit": ["属地", "乡镇街道", "单位"], "sector": ["行业领域", "行业"],
                    "enterprise": ["企业名称", "检查对象", "被检查单位"], "kind": ["检查类型", "检查方式"],
                    "hazards_found": ["发现隐患数", "隐患数", "发现隐患"],
                    "major_hazards": ["重大隐患数", "重大隐患"],
                    "hazards_rectified": ["已整改隐患数", "整改隐患数", "已整改"],
                    "penalty_cases": ["行政处罚数", "立案数", "处罚"],
                    "fine": ["罚款金额", "罚款(元)", "罚款(万元)"], "suspended": ["责令停产停业", "停产整顿"],
                    "inspector": ["执法单位", "检查单位"]},
    "assessments": {"year": ["年度"], "period": ["考核期", "期间"], "unit": ["被考核单位", "单位"],
                    "indicator": ["指标", "考核指标", "指标代码"], "value": ["值", "数值", "得分"],
                    "evidence": ["佐证", "说明", "备注"]},
    "targets": {"year": ["年度"], "unit": ["单位", "被考核单位"], "indicator": ["指标"],
                "value": ["目标值", "值"]},
    "tasks": {"year": ["年度"], "no": ["序号"], "title": ["工作任务", "任务"], "lead": ["牵头单位"],
              "cooperating": ["协同单位", "配合单位"]},
}
SECTORS = {"road": ["道路运输", "道路交通"], "construction": ["建筑施工"], "hazchem": ["危险化学品"],
           "mining": ["非煤矿山"], "industry": ["工贸"], "fire": ["火灾", "消防"],
           "special_equipment": ["特种设备"], "gas": ["城镇燃气"], "fireworks": ["烟花爆竹"],
           "waterway": ["水上交通", "渔业船舶"], "agri_machinery": ["农业机械"], "other": ["其他"]}
SECTOR_OF = {k: k for k in SECTORS}
SECTOR_OF.update({a: k for k, v in SECTORS.items() for a in v})
KIND = {"乡镇": "township", "街道": "street", "开发区": "zone", "经开区": "zone", "部门": "department",
        "市直部门": "department"}
STATUS = {"正常": "normal", "按时": "normal", "迟报": "late", "漏报": "omitted", "谎报": "false",
          "瞒报": "concealed", "": "normal"}
FW = str.maketrans("０１２３４５６７８９－＋．，", "0123456789-+.,")
WARNINGS = []


def decode(raw):
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8"), "utf-8-bom"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("gb18030"), "gb18030"


XNS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
TRAILERS = ("合计", "总计", "小计", "填表人", "制表", "审核", "注", "说明")


def xlsx_grid(path):
    """The first sheet of a workbook as rows of text (dates ISO, whole numbers without
    '.0'), every cell of a merged area holding the area's top-left value."""
    z = zipfile.ZipFile(path)
    sst = [("".join(t.text or "" for t in si.iter(XNS + "t")))
           for si in ET.fromstring(z.read("xl/sharedStrings.xml")).iter(XNS + "si")]
    st = ET.fromstring(z.read("xl/styles.xml"))
    fmts = {int(f.get("numFmtId")): f.get("formatCode") for f in st.iter(XNS + "numFmt")}
    xfs = [int(x.get("numFmtId", 0)) for x in st.find(XNS + "cellXfs")]

    def is_date(style):
        fid = xfs[style]
        return 14 <= fid <= 22 or (fid in fmts and re.search(r"[ymdh]", fmts[fid]))

    sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
    grid = {}
    for c in sheet.iter(XNS + "c"):
        ref = c.get("r")
        col = 0
        for ch in re.match(r"[A-Z]+", ref).group():
            col = col * 26 + ord(ch) - 64
        row = int(re.search(r"\d+", ref).group())
        v = c.find(XNS + "v")
        if v is None:
            continue
        if c.get("t") == "s":
            text = sst[int(v.text)]
        elif is_date(int(c.get("s", 0))):
            x = float(v.text)
            t = dt.datetime(1899, 12, 30) + dt.timedelta(seconds=round(x * 86400))
            text = t.date().isoformat() if t.time() == dt.time() else t.isoformat(" ")
        else:
            x = float(v.text)
            text = str(int(x)) if x == int(x) else repr(x)
        grid[(row, col)] = text
    for m in sheet.iter(XNS + "mergeCell"):
        a, b = m.get("ref").split(":")
        (r1, c1), (r2, c2) = [(int(re.search(r"\d+", x).group()),
                               sum((ord(ch) - 64) * 26 ** k for k, ch in enumerate(reversed(re.match(r"[A-Z]+", x).group()))))
                              for x in (a, b)]
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                if (r, c) != (r1, c1) and (r1, c1) in grid:
                    grid.setdefault((r, c), grid[(r1, c1)])
    nrows = max(r for r, _ in grid)
    ncols = max(c for _, c in grid)
    return [[grid.get((r, c), "") for c in range(1, ncols + 1)] for r in range(1, nrows + 1)]


def is_alias(dataset, h):
    return any(h.lower() == c or h in al for c, al in ALIASES[dataset].items())


def read(dataset, name):
    """Rows of one file as dicts of canonical name -> trimmed text; (rows, encoding, scale)."""
    if name.endswith(".xlsx"):
        grid = xlsx_grid(os.path.join(HERE, name))
        # the header: the first row whose every cell names a column; titles above it
        top = next(k for k, r in enumerate(grid) if all(is_alias(dataset, h.strip()) for h in r if h.strip())
                   and sum(1 for h in r if h.strip()) > 2)
        rows = [r for r in grid[top:] if not next((c for c in r if c.strip()), "").startswith(TRAILERS)]
        enc = "xlsx"
    else:
        text, enc = decode(open(os.path.join(HERE, name), "rb").read())
        rows = list(csv.reader(io.StringIO(text, newline="")))
    header = [h.strip() for h in rows[0]]
    scale = {}
    cols = []
    for h in header:
        canon = None
        for c, al in ALIASES[dataset].items():
            if h.lower() == c or h in al:
                canon = c
        if canon is None:
            raise SystemExit(f"{name}: unknown header {h!r}")
        if h.endswith("(万元)") and canon == "fine":
            scale[canon] = 10000
        if h.endswith("(元)") and canon == "direct_loss":
            scale[canon] = 1 / 10000
        cols.append(canon)
    out = []
    for r in rows[1:]:
        if not any(c.strip() for c in r):
            continue  # blank row
        assert len(r) == len(cols), (name, r)
        out.append({c: v.strip() for c, v in zip(cols, r)})
    return out, enc, scale


def num(s, default=0.0):
    s = s.translate(FW).replace(",", "")
    return float(s) if s else default


def date(s):
    """ISO date or date-time text from any of the accepted forms."""
    s = s.translate(FW).strip()
    m = re.fullmatch(r"(.+?)(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?", s)
    d, hh, mm, ss = m.groups()
    if re.fullmatch(r"\d{5}", d):
        day = dt.date(1899, 12, 30) + dt.timedelta(days=int(d))
    elif re.fullmatch(r"\d{8}", d):
        day = dt.date(int(d[:4]), int(d[4:6]), int(d[6:]))
    else:
        m2 = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", d)
        day = dt.date(*map(int, m2.groups()))
    if hh is None:
        return day.isoformat()
    return f"{day.isoformat()} {int(hh):02d}:{mm}:{ss or '00'}"


def boolean(s, default):
    s = s.strip().lower()
    if not s:
        return default
    return s in ("是", "y", "yes", "1", "true", "有")


def level_of(deaths, serious, loss):
    if deaths >= 30 or serious >= 100 or loss >= 10000:
        return "特别重大"
    if deaths >= 10 or serious >= 50 or loss >= 5000:
        return "重大"
    if deaths >= 3 or serious >= 10 or loss >= 1000:
        return "较大"
    return "一般"


class City:
    def __init__(self, corrections=True):
        self.counts = {}
        self.encodings = {}
        rows, self.encodings["units.csv"], _ = read("units", "units.csv")
        self.units = {}
        self.lookup = {}
        for r in rows:
            code = r["code"]
            self.units[code] = dict(code=code, name=r["name"], kind=KIND[r["kind"]])
            for key in [code, r["name"]] + [a for a in re.split(r"[;；、]", r["aliases"]) if a]:
                assert key not in self.lookup, key
                self.lookup[key] = code
        self.counts["units"] = len(rows)
        self.accidents = {}
        self.revisions = 0
        for f in ("accidents_2018.csv", "accidents_2019.csv", "accidents_2020.csv",
                  "accidents_2020_白沙镇.xlsx", "accidents_2020_corrections.csv")[:5 if corrections else 4]:
            self.load_accidents(f)
        self.inspections = []
        for f in ("inspections_2019.csv", "inspections_2020.csv"):
            self.load_inspections(f)
        self.targets, self.assessments = {}, {}
        for y in (2019, 2020):
            rows, self.encodings[f"targets_{y}.csv"], _ = read("targets", f"targets_{y}.csv")
            for r in rows:
                self.targets[(int(r["year"]), self.unit(r["unit"]), r["indicator"])] = num(r["value"])
            self.counts[f"targets {y}"] = len(rows)
            rows, self.encodings[f"assessments_{y}.csv"], _ = read("assessments", f"assessments_{y}.csv")
            for r in rows:
                period = {"": "annual", "年度": "annual"}.get(r["period"], r["period"])
                key = (int(r["year"]), period, self.unit(r["unit"]), r["indicator"])
                assert key not in self.assessments, key
                self.assessments[key] = num(r["value"])
            self.counts[f"assessments {y}"] = len(rows)
        rows, self.encodings["tasks_2020.csv"], _ = read("tasks", "tasks_2020.csv")
        self.task_units = []  # (no, unit, role)
        for r in rows:
            no = int(r["no"])
            for u in re.split(r"[、;；，,]", r["lead"]):
                self.task_units.append((no, self.unit(u), "lead"))
            for u in re.split(r"[、;；，,]", r["cooperating"]):
                if u.strip():
                    self.task_units.append((no, self.unit(u), "cooperating"))
        self.counts["tasks 2020"] = len(rows)
        self.counts["task_units 2020"] = len(set(self.task_units))

    def unit(self, s):
        return self.lookup[s.strip()]

    def load_accidents(self, name):
        rows, self.encodings[name], scale = read("accidents", name)
        new = updated = unchanged = 0
        for r in rows:
            deaths = int(num(r["deaths"]))
            missing = int(num(r.get("missing", "")))
            serious = int(num(r.get("serious_injuries", "")))
            loss = num(r.get("direct_loss", "")) * scale.get("direct_loss", 1)
            derived = level_of(deaths + missing, serious, loss)
            level = r.get("level", "") or derived
            if level != derived:
                WARNINGS.append(f"{name}: {r['id']}: level {level} given, {derived} derived")
            a = dict(id=r["id"], occurred_at=date(r["occurred_at"]),
                     reported_at=date(r["reported_at"]) if r.get("reported_at") else None,
                     unit=self.unit(r["unit"]), sector=SECTOR_OF[r["sector"]], deaths=deaths,
                     missing=missing, serious=serious, injuries=int(num(r.get("injuries", ""))),
                     loss=round(loss, 6), level=level,
                     status=STATUS.get(r.get("report_status", ""), r.get("report_status")),
                     closed_on=date(r["closed_on"]) if r.get("closed_on") else None,
                     production=boolean(r.get("production", ""), True),
                     written_off=boolean(r.get("written_off", ""), False),
                     summary=r.get("summary", ""))
            assert a["reported_at"] is None or a["reported_at"] > a["occurred_at"], a
            old = self.accidents.get(a["id"])
            if old is None:
                new += 1
            elif old == a:
                unchanged += 1
            else:
                updated += 1
                self.revisions += 1
            self.accidents[a["id"]] = a
        self.counts[name] = dict(new=new, updated=updated, unchanged=unchanged)

    def load_inspections(self, name):
        rows, self.encodings[name], scale = read("inspections", name)
        for r in rows:
            i = dict(id=r["id"], day=date(r["inspected_on"]), unit=self.unit(r["unit"]),
                     sector=SECTOR_OF[r["sector"]], found=int(num(r["hazards_found"])),
                     major=int(num(r.get("major_hazards", ""))),
                     fixed=int(num(r.get("hazards_rectified", ""))),
                     cases=int(num(r.get("penalty_cases", ""))),
                     fine=num(r.get("fine", "")) * scale.get("fine", 1),
                     suspended=boolean(r.get("suspended", ""), False))
            assert i["fixed"] <= i["found"] and i["major"] <= i["found"], i
            self.inspections.append(i)
        self.counts[name] = len(rows)

    # ------------------------------------------------------------ queries
    def local_units(self):
        return [u for u in self.units if self.units[u]["kind"] != "department"]

    def counted(self, start, end):
        """Production, not written-off accidents with start <= date <= end (ISO dates)."""
        return [a for a in self.accidents.values() if a["production"] and not a["written_off"]
                and start <= a["occurred_at"][:10] <= end]

    def year_acc(self, year):
        return self.counted(f"{year}-01-01", f"{year}-12-31")

    def year_ins(self, year):
        return [i for i in self.inspections if i["day"].startswith(str(year))]


def pct(cur, prev):
    if prev == 0:
        return None
    x = (cur - prev) / prev * 100
    assert abs(abs(x) * 10 % 1 - 0.5) > 1e-6, f"{cur} vs {prev} is on a rounding edge"
    return round_half_away(x, 1)


def round_half_away(x, nd):
    q = 10 ** nd
    return math.copysign(math.floor(abs(x) * q + 0.5 + 1e-9) / q, x)


def double_decline(city, start, end, pstart, pend):
    cur, prev = city.counted(start, end), city.counted(pstart, pend)

    def row(key, name, c, p):
        ca, cd = len(c), sum(a["deaths"] + a["missing"] for a in c)
        pa, pd = len(p), sum(a["deaths"] + a["missing"] for a in p)
        return dict(key=key, name=name, accidents=ca, accidents_prev=pa,
                    accidents_change_pct=pct(ca, pa), deaths=cd, deaths_prev=pd,
                    deaths_change_pct=pct(cd, pd), double_decline=ca < pa and cd < pd)

    out = {"overall": [row("all", "全市", cur, prev)], "by_unit": [], "by_sector": []}
    for u in city.local_units():
        out["by_unit"].append(row(u, city.units[u]["name"], [a for a in cur if a["unit"] == u],
                                  [a for a in prev if a["unit"] == u]))
    for s in SECTORS:
        out["by_sector"].append(row(s, SECTORS[s][0], [a for a in cur if a["sector"] == s],
                                    [a for a in prev if a["sector"] == s]))
    return out


def enforcement(city, year):
    """Per unit: inspections, hazards found/rectified, rate, major, cases, fines (元)."""
    out = []
    for u in city.local_units():
        ui = [i for i in city.year_ins(year) if i["unit"] == u]
        found, fixed = sum(i["found"] for i in ui), sum(i["fixed"] for i in ui)
        out.append(dict(unit=u, inspections=len(ui), found=found, rectified=fixed,
                        rate=round_half_away(100 * fixed / found, 1) if found else None,
                        major=sum(i["major"] for i in ui), cases=sum(i["cases"] for i in ui),
                        fines=round(sum(i["fine"] for i in ui)),
                        suspended=sum(1 for i in ui if i["suspended"])))
    return out


def pace(city, as_of):
    """Deaths so far against each unit's annual cap, and the share of the year elapsed."""
    d = dt.date.fromisoformat(as_of)
    start = dt.date(d.year, 1, 1)
    elapsed = ((d - start).days + 1) / ((dt.date(d.year, 12, 31) - start).days + 1)
    acc = city.counted(start.isoformat(), as_of)
    out = []
    for u in city.local_units():
        deaths = sum(a["deaths"] + a["missing"] for a in acc if a["unit"] == u)
        cap = city.targets.get((d.year, u, "deaths_cap"))
        out.append(dict(unit=u, deaths=deaths, cap=cap, used=deaths / cap if cap else None,
                        elapsed=elapsed, ahead=bool(cap) and deaths / cap > elapsed))
    return out


def months(city, year):
    """Counted accidents and deaths per month: [(month, accidents, deaths)]."""
    out = []
    for m in range(1, 13):
        acc = [a for a in city.year_acc(year) if int(a["occurred_at"][5:7]) == m]
        out.append((m, len(acc), sum(a["deaths"] + a["missing"] for a in acc)))
    return out


# ---------------------------------------------------------------- scoring
def robust(rows):
    """The figures must not hang on floating-point detail: no unrounded score within a
    hair of half a cent, and scores that round equal are equal before rounding too."""
    for r in rows:
        frac = abs(r["raw"] * 100 - math.floor(r["raw"] * 100) - 0.5)
        assert frac > 1e-6, f"{r['unit']}: {r['raw']!r} is on a rounding edge"
    for a in rows:
        for b in rows:
            if a["score"] == b["score"]:
                assert abs(a["raw"] - b["raw"]) < 1e-9, f"near tie {a['unit']} {b['unit']}"


def rank_and_grade(rows, quota_share, levels):
    """rows: dicts with score, vetoed. Sets rank and grade (docs/scoring.md)."""
    robust(rows)
    rows.sort(key=lambda r: (r.get("vetoed", False), -r["score"], r["unit"]))
    for i, r in enumerate(rows):
        prev = rows[i - 1] if i else None
        if prev and prev.get("vetoed", False) == r.get("vetoed", False) and prev["score"] == r["score"]:
            r["rank"] = prev["rank"]
        else:
            r["rank"] = i + 1
    quota = max(1, math.floor(len(rows) * quota_share)) if quota_share else len(rows)
    for r in rows:
        g = next(name for floor, name in levels if r["score"] >= floor)
        if g == "优秀" and r["rank"] > quota:
            g = "良好"
        r["grade"] = "不合格" if r.get("vetoed") else g
    return rows


def score_year(city, year):
    problems, scores = [], []
    acc, ins = city.year_acc(year), city.year_ins(year)
    prev = city.year_acc(year - 1)
    for u in city.local_units():
        ua = [a for a in acc if a["unit"] == u]
        n, d = len(ua), sum(a["deaths"] + a["missing"] for a in ua)
        pa = [a for a in prev if a["unit"] == u]
        pn, pd = len(pa), sum(a["deaths"] + a["missing"] for a in pa)
        t = lambda ind: city.targets.get((year, u, ind))
        s = lambda ind: city.assessments.get((year, "annual", u, ind))
        big = sum(1 for a in ua if a["level"] == "较大")
        ui = [i for i in ins if i["unit"] == u]
        found, fixed = sum(i["found"] for i in ui), sum(i["fixed"] for i in ui)
        late = sum(1 for a in ua if a["status"] == "late")
        omitted = sum(1 for a in ua if a["status"] == "omitted")
        it = {}
        if year == 2020:
            it["A1"] = 20 if d <= t("deaths_cap") else max(0, 20 - 5 * (d - t("deaths_cap")))
            it["A2"] = 10 if n <= t("accidents_cap") else max(0, 10 - 2 * (n - t("accidents_cap")))
            it["A3"] = 10 if n == 0 and d == 0 else 10 if n < pn and d < pd else 5 if n <= pn and d <= pd else 0
            it["A4"] = -10 * big
            a_total = max(0, it["A1"] + it["A2"] + it["A3"] + it["A4"])
            plan = t("inspections_plan")
            if plan is None:
                it["B1"] = 0
                problems.append(dict(unit=u, item="B1", problem="no inspections_plan target"))
            else:
                it["B1"] = 15 * min(1, len(ui) / plan)
            rate = fixed / found if found else None
            it["B2"] = 15 if rate is None or rate >= 0.95 else 15 * rate / 0.95
            it["B3"] = 10 * min(1, (s("drills") or 0) / (t("drills_min") or 2))
            it["B4"] = max(0, 10 - 3 * late - 5 * omitted)
            overdue = 0
            for a in ua:
                occ = dt.date.fromisoformat(a["occurred_at"][:10])
                due = occ + dt.timedelta(days=60)
                if due <= dt.date(year, 12, 31) and (a["closed_on"] is None or dt.date.fromisoformat(a["closed_on"]) > due):
                    overdue += 1
            it["B5"] = max(0, 5 - overdue)
            it["B6"] = min(5, s("training_score") or 0)
            it["C"] = min(5, s("bonus") or 0)
            veto = [a for a in ua if a["level"] in ("重大", "特别重大") or a["status"] in ("false", "concealed")]
            extra = dict(A3_prev=(pn, pd), overdue=overdue)
        else:
            it["A1"] = max(0, 25 - 5 * max(0, d - t("deaths_cap")))
            it["A2"] = max(0, 15 - 3 * max(0, n - t("accidents_cap")))
            it["A4"] = -10 * big
            a_total = max(0, it["A1"] + it["A2"] + it["A4"])
            it["B1"] = 20 * min(1, len(ui) / t("inspections_plan"))
            rate = fixed / found if found else None
            it["B2"] = 20 if rate is None or rate >= 0.90 else 20 * rate / 0.90
            it["B3"] = 10 if (s("drills") or 0) >= 1 else 0
            it["B4"] = max(0, 10 - 5 * late - 10 * omitted)
            it["C"] = min(3, s("bonus") or 0)
            veto = [a for a in ua if a["level"] in ("重大", "特别重大") or a["status"] == "concealed"]
            extra = {}
        total = a_total + sum(v for k, v in it.items() if k.startswith("B")) + it["C"]
        scores.append(dict(unit=u, name=city.units[u]["name"], score=round_half_away(total, 2), raw=total,
                           vetoed=bool(veto), veto=";".join(a["id"] for a in veto),
                           accidents=n, deaths=d, big=big, inspections=len(ui),
                           rate=rate, late=late, omitted=omitted, items=it, **extra))
    levels = [(90, "优秀"), (80, "良好"), (60, "合格"), (-1e9, "不合格")] if year == 2020 else \
        [(90, "优秀"), (60, "合格"), (-1e9, "不合格")]
    rank_and_grade(scores, 0.3 if year == 2020 else None, levels)
    return scores, problems


def department_scores(city, year=2020):
    problems, weights = [], {}
    for no, u, role in set(city.task_units):
        if city.units[u]["kind"] != "department":
            continue
        w = 2 if role == "lead" else 1
        weights[(u, no)] = max(w, weights.get((u, no), 0))
    rows = []
    for u in sorted({u for u, _ in weights}):
        num_, den = 0.0, 0
        for (uu, no), w in sorted(weights.items(), key=lambda kv: kv[0][1]):
            if uu != u:
                continue
            v = city.assessments.get((year, "annual", u, f"task.{no}"))
            if v is None:
                problems.append(dict(unit=u, item=f"task.{no}", problem="no completion value"))
                v = 0
            num_ += w * v
            den += w
        rows.append(dict(unit=u, name=city.units[u]["name"], score=round_half_away(100 * num_ / den, 2),
                         raw=100 * num_ / den,
                         items=sum(1 for k in weights if k[0] == u)))
    rank_and_grade(rows, 0.3, [(90, "优秀"), (80, "良好"), (60, "合格"), (-1e9, "不合格")])
    return rows, problems


# ---------------------------------------------------------------- report
def fmt_pct(x):
    return "—" if x is None else f"{x:+.1f}%"


def print_dd(title, dd):
    print(f"\n### {title}")
    print("| key | name | accidents | prev | change | deaths | prev | change | double decline |")
    print("|---|---|---|---|---|---|---|---|---|")
    for table in ("overall", "by_unit", "by_sector"):
        for r in dd[table]:
            if table == "by_sector" and r["accidents"] == 0 and r["accidents_prev"] == 0:
                continue
            print(f"| {r['key']} | {r['name']} | {r['accidents']} | {r['accidents_prev']} | "
                  f"{fmt_pct(r['accidents_change_pct'])} | {r['deaths']} | {r['deaths_prev']} | "
                  f"{fmt_pct(r['deaths_change_pct'])} | {'yes' if r['double_decline'] else 'no'} |")


def main():
    city = City(corrections="--before-corrections" not in sys.argv)
    as_json = "--json" in sys.argv
    result = {"counts": city.counts, "revisions": city.revisions, "warnings": WARNINGS}
    years = {}
    for y in (2018, 2019, 2020):
        acc = [a for a in city.accidents.values() if a["occurred_at"].startswith(str(y))]
        years[y] = dict(rows=len(acc), counted=len(city.year_acc(y)),
                        deaths_counted=sum(a["deaths"] + a["missing"] for a in city.year_acc(y)),
                        deaths_all=sum(a["deaths"] + a["missing"] for a in acc),
                        levels={lv: sum(1 for a in city.year_acc(y) if a["level"] == lv)
                                for lv in ("一般", "较大", "重大", "特别重大")},
                        status={s: sum(1 for a in acc if a["status"] == s)
                                for s in ("late", "omitted", "concealed")},
                        non_production=sum(1 for a in acc if not a["production"]),
                        written_off=sum(1 for a in acc if a["written_off"]),
                        inspections=len(city.year_ins(y)))
    result["years"] = years
    result["dd_2020_h1"] = double_decline(city, "2020-01-01", "2020-06-30", "2019-01-01", "2019-06-30")
    result["dd_2020"] = double_decline(city, "2020-01-01", "2020-12-31", "2019-01-01", "2019-12-31")
    result["dd_2019"] = double_decline(city, "2019-01-01", "2019-12-31", "2018-01-01", "2018-12-31")
    result["score_2019"], result["problems_2019"] = score_year(city, 2019)
    result["score_2020"], result["problems_2020"] = score_year(city, 2020)
    result["departments_2020"], dp = department_scores(city)
    result["problems_2020"] += dp
    result["enforcement_2019"] = enforcement(city, 2019)
    result["enforcement_2020"] = enforcement(city, 2020)
    result["pace_2020_06_30"] = pace(city, "2020-06-30")
    result["months"] = {y: months(city, y) for y in (2018, 2019, 2020)}
    if as_json:
        json.dump(result, sys.stdout, ensure_ascii=False, indent=1, default=str)
        print()
        return
    print("## Counts")
    for k, v in city.counts.items():
        print(f"- {k}: {v}")
    print(f"- revisions created by the corrections file: {city.revisions}")
    print("- encodings: " + ", ".join(f"{k} {v}" for k, v in sorted(city.encodings.items())))
    print("- warnings: " + ("; ".join(WARNINGS) or "none"))
    print("\n## Years")
    for y, v in years.items():
        print(f"- {y}: {v}")
    print_dd("2020 1-6月 vs 2019 1-6月 (--as-of 2020-06-30)", result["dd_2020_h1"])
    print_dd("2020 full year vs 2019 (--as-of 2020-12-31)", result["dd_2020"])
    print_dd("2019 full year vs 2018 (--as-of 2019-12-31)", result["dd_2019"])
    for y in (2019, 2020):
        print(f"\n### Scoring {y}")
        print("| rank | unit | name | score | grade | vetoed | items |")
        print("|---|---|---|---|---|---|---|")
        for r in result[f"score_{y}"]:
            items = " ".join(f"{k}={v:.4g}" for k, v in r["items"].items())
            print(f"| {r['rank']} | {r['unit']} | {r['name']} | {r['score']:.2f} | {r['grade']} | "
                  f"{r['veto'] or 'no'} | {items} |")
        print(f"problems {y}: {result[f'problems_{y}']}")
    for y in (2019, 2020):
        print(f"\n### Enforcement {y}")
        print("| unit | inspections | hazards found | rectified | rate % | major | cases | fines (元) | suspended |")
        print("|---|---|---|---|---|---|---|---|---|")
        for r in result[f"enforcement_{y}"]:
            print(f"| {r['unit']} | {r['inspections']} | {r['found']} | {r['rectified']} | {r['rate']} | "
                  f"{r['major']} | {r['cases']} | {r['fines']:,} | {r['suspended']} |")
    print("\n### Control targets at 2020-06-30 (deaths so far / annual deaths_cap vs the year elapsed)")
    for r in result["pace_2020_06_30"]:
        used = "—" if r["used"] is None else f"{100 * r['used']:.1f}%"
        print(f"- {r['unit']}: {r['deaths']} / {r['cap']} = {used} vs {100 * r['elapsed']:.1f}%"
              + (" 超进度" if r["ahead"] else ""))
    print("\n### Counted accidents / deaths per month")
    for y, ms in result["months"].items():
        print(f"- {y}: " + " ".join(f"{m}月 {n}/{d}" for m, n, d in ms))
    print("\n### Department scores 2020")
    print("| rank | unit | name | items | score | grade |")
    print("|---|---|---|---|---|---|")
    for r in result["departments_2020"]:
        print(f"| {r['rank']} | {r['unit']} | {r['name']} | {r['items']} | {r['score']:.2f} | {r['grade']} |")


if __name__ == "__main__":
    main()
