#!/usr/bin/env bash
# ETTh2, OT alone, horizon 96, look-back 336 (the LTSF-Linear protocol; see README.md): NLinear and DLinear
# trained through `tempora train`, scored by `tempora evaluate` on the held-out test (every origin 11520 ...
# 14304), beside the last value on the same windows.
set -euo pipefail
shared="$1"; out="$2"; here="bench/accuracy/etth2"
python3 "$here/prepare.py" "$shared/ETTh2.csv"
ensemble=(); [[ -n "${ETTH2_ENSEMBLE:-}" ]] && ensemble=(--ensemble "$ETTH2_ENSEMBLE")   # K seeds, their median
for kind in nlinear dlinear; do
  ./tempora train --config "$here/$kind.json" --out "$out/$kind" "${ensemble[@]}" --json > "$out/$kind-train.json"
  ./tempora evaluate --model "$out/$kind" --config "$here/$kind.json" --json > "$out/$kind-test.json"
done
./tempora evaluate --model baseline --config "$here/nlinear.json" --json > "$out/baseline-test.json"
python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
paper = {"nlinear": (0.131, 0.279), "dlinear": (0.129, 0.278)}
print(f"{'model':<12}{'test MSE':>10}{'test MAE':>10}{'paper MSE':>11}{'paper MAE':>11}{'windows':>9}")
for name in ("baseline", "nlinear", "dlinear"):
    r = json.load(open(f"{out}/{name}-test.json"))
    m = r["metrics"]
    p = paper.get(name, ("", ""))
    label = "last value" if name == "baseline" else {"nlinear": "NLinear", "dlinear": "DLinear"}[name]
    print(f"{label:<12}{m['rmse'] ** 2:>10.4f}{m['mae']:>10.4f}{str(p[0]):>11}{str(p[1]):>11}{r['windows']:>9}")
best = json.load(open(f"{out}/nlinear-test.json"))["metrics"]
print(f"MSE {best['rmse'] ** 2:.4f} MAE {best['mae']:.4f}")
PY
