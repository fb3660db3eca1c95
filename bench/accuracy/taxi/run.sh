#!/usr/bin/env bash
# The demo's taxi data (built-in generator, 260 zones, hourly): `tempora demo` with a fixed number of epochs
# instead of a time budget, so the figure does not depend on the machine's speed. The demo holds each zone's
# last week out as the test (training and the choice of the best epoch never see it; the week before it
# validates) and scores the TFT, the last value and the seasonal naive forecast on it.
set -euo pipefail
shared="$1"; out="$2"
./tempora demo --minutes 0 --epochs "${TAXI_EPOCHS:-40}" --out "$out" --json > "$out/metrics-stdout.json"
python3 - "$out" <<'PY'
import json, sys
m = json.load(open(f"{sys.argv[1]}/metrics.json"))
rows = [("last value", m["baseline"]), ("same hour last week", m["seasonal_naive"]), ("Tempora TFT", m["tft"])]
print(f"{'':<22}{'test MAE':>10}{'RMSE':>10}{'wQL':>8}")
for name, r in rows:
    print(f"{name:<22}{r['mae']:>10.3f}{r['rmse']:>10.3f}{r['wql']:>8.3f}")
print(f"scored on: {m['scored_on']}; {m['training']['epochs']} epochs, best {m['training']['best_epoch']}")
print(f"MAE ratio to the last value {m['tft']['mae'] / m['baseline']['mae']:.3f}")
PY
