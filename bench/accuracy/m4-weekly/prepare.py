#!/usr/bin/env python3
"""M4 Weekly in the long format Tempora reads: one row per series and week (series, t, y).

The competition's files hold one row per series (V1 = id, then the observations); the test file holds the 13
weeks after each training row. This writes data/m4-weekly.csv with every series' training weeks followed by
its 13 test weeks; the configs hold those last 13 weeks out ("test": {"last_steps": 13}), so training and
model selection never read them and `tempora evaluate` scores them.

Usage: python3 prepare.py SHARED_DATA_FOLDER
"""
import csv
import os
import sys

folder = sys.argv[1]
here = os.path.dirname(os.path.abspath(__file__))


def rows(name):
    with open(os.path.join(folder, name), newline="") as f:
        reader = csv.reader(f)
        next(reader)
        return {r[0]: [v for v in r[1:] if v != ""] for r in reader}


train = rows("m4-weekly-train.csv")
test = rows("m4-weekly-test.csv")
os.makedirs(os.path.join(here, "data"), exist_ok=True)
count = 0
with open(os.path.join(here, "data", "m4-weekly.csv"), "w", newline="") as f:
    out = csv.writer(f)
    out.writerow(["series", "t", "y"])
    for sid, history in train.items():
        for t, v in enumerate(history + test[sid]):
            out.writerow([sid, t, v])
            count += 1
print(f"{len(train)} series, {count} rows (training weeks, then 13 test weeks each)")
