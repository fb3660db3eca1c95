"""Writes a copy of a training config with another "model" section (and optionally the test's length).

    python3 with-model.py CONFIG MODEL_SECTION.json OUT [TEST_LAST_STEPS]

MODEL_SECTION.json "-" keeps the config's own model. The copy lives elsewhere, so its data path is made absolute (relative paths are read from the config's folder).
"""
import json
import os
import sys

config_path, model_path, out_path = sys.argv[1:4]
config = json.load(open(config_path))
if model_path != "-":
    config["model"] = json.load(open(model_path))
data = config["data"]
data["path"] = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(config_path)), data["path"]))
if len(sys.argv) > 4:
    config["dataset"]["test"]["last_steps"] = int(sys.argv[4])
with open(out_path + ".tmp", "w") as f:
    json.dump(config, f, indent=2)
os.replace(out_path + ".tmp", out_path)
