"""M4 Weekly wide CSV (V1 = id, then the observations) -> long CSV (series, time_idx, value); every series ends at the same
time index, so the default training cutoff holds out the last max_prediction_length weeks of each row for validation.
Usage: python3 m4_long.py m4-weekly-train.csv train-long.csv"""
import csv, sys
rows = []
with open(sys.argv[1]) as f:
    r = csv.reader(f); next(r)
    for line in r:
        values = [float(v) for v in line[1:] if v not in ("", "NA")]
        rows.append((line[0], values))
longest = max(len(v) for _, v in rows)
with open(sys.argv[2], "w", newline="") as f:
    w = csv.writer(f); w.writerow(["series", "time_idx", "value"])
    for sid, values in rows:
        offset = longest - len(values)
        for i, v in enumerate(values):
            w.writerow([sid, offset + i, repr(v)])
print(len(rows), "series, longest", longest, "shortest", min(len(v) for _, v in rows))
