#!/usr/bin/python3
"""briefing_matplotlib.py — the baseline of bench_briefing.sh: the charts of the monthly
briefing (monthly trend, units, sectors, control-target pace, rectification ranking) drawn
with matplotlib from the same database into one multi-page A4 PDF, with the same queries
and the same top/bottom selection of units as scripts/briefing.lua.
Usage: briefing_matplotlib.py DB AS_OF OUT.pdf"""
import sqlite3
import sys

import subprocess

import matplotlib
matplotlib.use("pdf")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.backends.backend_pdf import PdfPages  # noqa: E402

# matplotlib does not index .ttc collections: add the file fontconfig picks for zh-cn. The
# collection's first face is named "Noto Sans CJK JP" — the same glyph set.
_ttc = subprocess.run(["fc-match", "-f", "%{file}", "sans-serif:lang=zh-cn"],
                      capture_output=True, text=True, check=True).stdout
font_manager.fontManager.addfont(_ttc)
plt.rcParams["font.sans-serif"] = [font_manager.FontProperties(fname=_ttc).get_name()]
plt.rcParams["axes.unicode_minus"] = False
COUNTED = "production = 1 AND written_off = 0"
A4 = (8.27, 11.69)


def totals(db, first, last, by):
    q = (f"SELECT {by} AS k, count(*), sum(deaths + missing) FROM accidents "
         f"WHERE occurred_at >= ? AND occurred_at < date(?, '+1 day') AND {COUNTED} GROUP BY k")
    return {k: (a, d) for k, a, d in db.execute(q, (first, last))}


def top_bottom(rows, top=20, bottom=10):
    return rows if len(rows) <= top + bottom else rows[:top] + rows[-bottom:]


def ranking_page(pdf, rows, title):
    """A page with horizontal bars of (value, name) rows, the first at the top."""
    fig, ax = plt.subplots(figsize=A4)
    ax.barh([n for _, n in rows][::-1], [v for v, _ in rows][::-1])
    ax.set_title(title)
    pdf.savefig(fig)
    plt.close(fig)


def main():
    path, as_of, out = sys.argv[1:4]
    year = int(as_of[:4])
    db = sqlite3.connect(path)
    first, prev_first, prev_last = f"{year}-01-01", f"{year - 1}-01-01", f"{year - 1}{as_of[4:]}"
    units = db.execute("SELECT id, code, name FROM units WHERE kind IN ('township','street','zone') "
                       "ORDER BY code").fetchall()
    now_u, prev_u = totals(db, first, as_of, "unit_id"), totals(db, prev_first, prev_last, "unit_id")
    now_s, prev_s = totals(db, first, as_of, "sector"), totals(db, prev_first, prev_last, "sector")
    with PdfPages(out, metadata={"CreationDate": None, "ModDate": None}) as pdf:
        # monthly trend: bars and lines on two axes
        q = (f"SELECT CAST(substr(occurred_at, 6, 2) AS INTEGER), count(*), sum(deaths + missing) "
             f"FROM accidents WHERE occurred_at >= ? AND occurred_at < date(?, '+1 day') AND {COUNTED} "
             f"GROUP BY 1")
        cur = {m: (a, d) for m, a, d in db.execute(q, (first, as_of))}
        prv = {m: (a, d) for m, a, d in db.execute(q, (prev_first, f"{year - 1}-12-31"))}
        fig, ax = plt.subplots(figsize=A4)
        xs = range(1, 13)
        ax.bar([x - 0.2 for x in xs], [cur.get(m, (0, 0))[0] for m in xs], 0.4, label=f"{year}年事故起数")
        ax.bar([x + 0.2 for x in xs], [prv.get(m, (0, 0))[0] for m in xs], 0.4, label=f"{year - 1}年事故起数")
        ax2 = ax.twinx()
        ax2.plot(xs, [cur.get(m, (0, 0))[1] for m in xs], marker="o", label=f"{year}年死亡人数")
        ax2.plot(xs, [prv.get(m, (0, 0))[1] for m in xs], marker="s", linestyle="--", label=f"{year - 1}年死亡人数")
        ax.set_xticks(list(xs), [f"{m}月" for m in xs])
        ax.set_title("各月事故起数、死亡人数")
        ax.legend(loc="upper left")
        pdf.savefig(fig)
        plt.close(fig)
        # units: grouped bars of the top and bottom units
        rows = sorted(((now_u.get(i, (0, 0)), prev_u.get(i, (0, 0)), code, name) for i, code, name in units),
                      key=lambda r: (-r[0][0], -r[0][1], r[2]))
        rows = top_bottom(rows)
        fig, ax = plt.subplots(figsize=A4)
        xs = range(len(rows))
        ax.bar([x - 0.2 for x in xs], [r[0][0] for r in rows], 0.4, label=str(year))
        ax.bar([x + 0.2 for x in xs], [r[1][0] for r in rows], 0.4, label=f"{year - 1}年同期")
        ax.set_xticks(list(xs), [r[3] for r in rows], rotation=90)
        ax.set_title("各单位事故起数")
        ax.legend()
        pdf.savefig(fig)
        plt.close(fig)
        # sectors
        sectors = db.execute("SELECT code, name FROM sectors").fetchall()
        fig, ax = plt.subplots(figsize=A4)
        xs = range(len(sectors))
        ax.bar([x - 0.2 for x in xs], [now_s.get(c, (0, 0))[0] for c, _ in sectors], 0.4)
        ax.bar([x + 0.2 for x in xs], [prev_s.get(c, (0, 0))[0] for c, _ in sectors], 0.4)
        ax.set_xticks(list(xs), [n for _, n in sectors], rotation=45)
        ax.set_title("各行业领域事故起数")
        pdf.savefig(fig)
        plt.close(fig)
        # control-target pace
        caps = dict(db.execute("SELECT unit_id, value FROM targets WHERE year = ? AND indicator = 'deaths_cap'",
                               (year,)).fetchall())
        pace = sorted(((now_u.get(i, (0, 0))[1] / caps[i] * 100 if caps[i] else 0, name)
                       for i, _, name in units if i in caps), reverse=True)
        ranking_page(pdf, top_bottom(pace), "死亡人数控制指标使用进度（%）")
        # rectification ranking
        q = ("SELECT unit_id, sum(hazards_found), sum(hazards_rectified) FROM inspections "
             "WHERE inspected_on >= ? AND inspected_on < date(?, '+1 day') GROUP BY unit_id")
        names = {i: name for i, _, name in units}
        rates = sorted(((r / f * 100, names[i]) for i, f, r in db.execute(q, (first, as_of))
                        if f and i in names), reverse=True)
        ranking_page(pdf, top_bottom(rates), "隐患整改率排名（%）")


if __name__ == "__main__":
    main()
