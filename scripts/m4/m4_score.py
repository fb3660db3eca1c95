"""sMAPE and MASE of a forecast CSV (series, horizon, prediction) against the M4 test file, and OWA against Naive
(sMAPE 9.161, MASE 2.777 on M4 Weekly). MASE scale: mean |y_t - y_{t-1}| over each series' whole training row.
Usage: python3 m4_score.py m4-weekly-train.csv m4-weekly-test.csv forecast.csv"""
import csv, sys
def wide(path):
    out = {}
    with open(path) as f:
        r = csv.reader(f); next(r)
        for line in r:
            out[line[0]] = [float(v) for v in line[1:] if v not in ("", "NA")]
    return out
train, test = wide(sys.argv[1]), wide(sys.argv[2])
fc = {}
with open(sys.argv[3]) as f:
    r = csv.DictReader(f)
    for row in r:
        fc.setdefault(row["series"], {})[int(row["horizon"])] = float(row["prediction"])
smapes, mases = [], []
for sid, actual in test.items():
    pred = [fc[sid][h] for h in sorted(fc[sid])][:len(actual)]
    assert len(pred) == len(actual), sid
    y = train[sid]
    scale = sum(abs(y[i] - y[i - 1]) for i in range(1, len(y))) / (len(y) - 1)
    smapes.append(sum(200 * abs(a - p) / (abs(a) + abs(p)) for a, p in zip(actual, pred)) / len(actual))
    mases.append(sum(abs(a - p) for a, p in zip(actual, pred)) / len(actual) / scale)
s, m = sum(smapes) / len(smapes), sum(mases) / len(mases)
print(f"series {len(smapes)} sMAPE {s:.3f} MASE {m:.3f} OWA {(s / 9.161 + m / 2.777) / 2:.3f}")
