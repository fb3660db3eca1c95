#!/usr/bin/env python3
"""ETTh2's oil temperature (OT) alone, as the long-horizon protocol (Informer, LTSF-Linear) scores it.

Z-scores OT with the mean and standard deviation of rows 0-8639 (the training rows; population standard
deviation, as scikit-learn's StandardScaler that the protocol's code uses) and writes two tables of one
series (series, time_idx, ot), data/etth2-ot.csv: rows 0-14399, training (0-8639), validation (8640-11519)
and the test (11520-14399), which the configs hold out ("test": {"cutoff": 11519}): train never reads it.
It also prints the last-value forecast's MSE and MAE over the test origins 11520 ... 14400-96 (horizon 96),
which ../shared/data/README.md gives as 0.2955 and 0.4232: a check that the preparation is the protocol's.

Usage: python3 prepare.py [path/to/ETTh2.csv]   (default: the shared data folder beside the repository)
"""
import csv
import math
import os
import sys

TRAIN_END = 8640       # rows [0, 8640) train
VALIDATION_END = 11520  # rows [8640, 11520) validate
TEST_END = 14400       # rows [11520, 14400) test
HORIZON = 96

here = os.path.dirname(os.path.abspath(__file__))
source = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "..", "..", "shared", "data", "ETTh2.csv")
with open(source, newline="") as f:
    rows = list(csv.DictReader(f))
ot = [float(r["OT"]) for r in rows[:TEST_END]]

train = ot[:TRAIN_END]
mean = sum(train) / len(train)
std = math.sqrt(sum((v - mean) ** 2 for v in train) / len(train))
z = [(v - mean) / std for v in ot]

os.makedirs(os.path.join(here, "data"), exist_ok=True)
for name, end in (("etth2-ot.csv", TEST_END),):
    with open(os.path.join(here, "data", name), "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["series", "time_idx", "ot"])
        for t in range(end):
            out.writerow(["OT", t, repr(z[t])])

squared = absolute = 0.0
points = 0
for origin in range(VALIDATION_END, TEST_END - HORIZON + 1):
    last = z[origin - 1]
    for t in range(origin, origin + HORIZON):
        squared += (z[t] - last) ** 2
        absolute += abs(z[t] - last)
        points += 1
windows = TEST_END - HORIZON + 1 - VALIDATION_END
print(f"OT mean {mean:.6f}, std {std:.6f} over rows 0-{TRAIN_END - 1}")
print(f"last value on {windows} test windows: MSE {squared / points:.4f}, MAE {absolute / points:.4f}")
