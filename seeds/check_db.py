#!/usr/bin/env python3
"""check_db.py — does a database loaded by seeds/demo.sh hold what the seed files say?

Compares every accident, target, assessment and work-item unit, and the inspections
aggregated per unit and year, with seeds/expect.py's own reading of the CSV files.
Prints one line per difference (at most 20 per dataset) and exits 1 if there is any.
Usage: python3 seeds/check_db.py DATABASE
"""
import os
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import expect  # noqa: E402  (the independent reader)


def compare(name, want, got):
    """want, got: dicts key -> tuple. Returns the number of differences."""
    diffs = []
    for k in sorted(set(want) | set(got), key=str):
        if want.get(k) != got.get(k):
            diffs.append(f"{name} {k}: file {want.get(k)!r}, database {got.get(k)!r}")
    for d in diffs[:20]:
        print(d)
    return len(diffs)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: check_db.py DATABASE")
    city = expect.City()
    db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
    bad = 0

    want = {a["id"]: (a["occurred_at"], a["reported_at"], a["unit"], a["sector"], a["deaths"],
                      a["missing"], a["serious"], a["injuries"], round(a["loss"], 4), a["level"],
                      a["status"], a["closed_on"], int(a["production"]), int(a["written_off"]),
                      a["summary"])
            for a in city.accidents.values()}
    got = {r[0]: tuple(r[1:9]) + (round(r[9], 4),) + tuple(r[10:])
           for r in db.execute("SELECT id, occurred_at, reported_at, unit, sector, deaths, missing,"
                               " serious_injuries, injuries, direct_loss, level, report_status,"
                               " closed_on, production, written_off, summary FROM accidents_v")}
    bad += compare("accident", want, got)

    want = {}
    for i in city.inspections:
        k = (i["day"][:4], i["unit"])
        w = want.setdefault(k, [0, 0, 0, 0, 0, 0.0, 0])
        for j, v in enumerate((1, i["found"], i["fixed"], i["major"], i["cases"], i["fine"],
                               int(i["suspended"]))):
            w[j] += v
    want = {k: tuple(v[:5]) + (round(v[5], 2), v[6]) for k, v in want.items()}
    got = {(r[0], r[1]): tuple(r[2:7]) + (round(r[7], 2), r[8])
           for r in db.execute("SELECT substr(inspected_on, 1, 4), unit, count(*), sum(hazards_found),"
                               " sum(hazards_rectified), sum(major_hazards), sum(penalty_cases),"
                               " sum(fine), sum(suspended) FROM inspections_v GROUP BY 1, 2")}
    bad += compare("inspections", want, got)

    want = {k: v for k, v in city.targets.items()}
    got = {(r[0], r[1], r[2]): r[3]
           for r in db.execute("SELECT year, unit, indicator, value FROM targets_v")}
    bad += compare("target", want, got)

    want = dict(city.assessments)
    got = {(r[0], r[1], r[2], r[3]): r[4]
           for r in db.execute("SELECT year, period, unit, indicator, value FROM assessments_v")}
    bad += compare("assessment", want, got)

    want = {t: True for t in set(city.task_units)}
    got = {(r[0], r[1], r[2]): True
           for r in db.execute("SELECT no, unit, role FROM task_units_v WHERE year = 2020")}
    bad += compare("task unit", want, got)

    print(f"check_db: {bad} differences")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
