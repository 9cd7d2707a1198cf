#!/usr/bin/env bash
# make-previous.sh MRV: rewrites previous.jsonl, the "earlier run" of this
# case: today's output of examples/batch/manifest.yaml, edited as if an older
# engine and an older edition of the default table had computed MN-PV-EXAMPLE
# MP1 differently, the Indonesian logger data had been other bytes,
# VN-AMDT-EXAMPLE had not been listed yet (new) and RETIRED-PROJECT had been
# (gone). Run from the repository root after examples/batch changes, then
# MRV_REGENERATE=1 the case and review the diff.
set -euo pipefail
MRV_METHODOLOGIES=methodologies "${1:-mrv}" verify examples/batch/manifest.yaml -q | python3 -c '
import json, sys
out = []
for line in sys.stdin:
    v = json.loads(line)
    if v["id"] == "MN-PV-EXAMPLE" and v["period"] == "MP1":
        v["mrv_version"] = "0.0.9"
        v["methodology"]["tables"]["EF_RE_MN"] = "2010-2012 data"
        for k in ("RE", "ER"):
            v["values"][k]["computed"] = 8101.25
            v["values"][k]["difference"] = 8101.25 - v["values"][k]["claimed"]
            v["values"][k]["match"] = False
        v["values"]["credited"].update(computed=8101, difference=-64, match=False)
        v["status"] = "mismatch"
    if v["id"] == "ID-PV-EXAMPLE":
        v["inputs"][2]["sha256"] = "0" * 64
        v["values"]["ER"]["computed"] = 1334.9
        v["values"]["RE"]["computed"] = 1334.9
    if v["id"] == "VN-AMDT-EXAMPLE":
        continue
    out.append(json.dumps(v, separators=(",", ":"), ensure_ascii=False))
gone = json.loads(out[0])
gone["id"] = "RETIRED-PROJECT"
out.append(json.dumps(gone, separators=(",", ":")))
print("\n".join(out))
' >tests/golden/verify-against/previous.jsonl
