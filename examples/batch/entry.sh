#!/usr/bin/env bash
# entry.sh PROJECT [MRV]: prints a manifest entry for PROJECT whose claims are
# exactly what `mrv calc PROJECT --format json` computes: a starting point
# when an example is added to examples/batch/manifest.yaml (paths are written
# relative to examples/batch/). Needs python3.
set -euo pipefail
project=$1
mrv=${2:-mrv}
"$mrv" -q calc "$project" --format json | python3 -c '
import json, os, sys
result = json.load(sys.stdin)
print("  - id: " + result["project"])
print("    project: " + os.path.relpath(sys.argv[1], "examples/batch"))
print("    claims:")
for p in result["periods"]:
    # repr() of a float is its shortest round-trip form, as mrv writes it.
    values = ", ".join(k + ": " + repr(p[k]) for k in ("RE", "PE", "ER", "credited"))
    print("      - {period: \"" + p["id"] + "\", " + values + "}")
' "$project"
