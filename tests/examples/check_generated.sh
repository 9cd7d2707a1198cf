#!/usr/bin/env bash
# The bundled example data are what their generators write: regenerating
# each file gives the same bytes (the generators' docstrings name each one).
set -euo pipefail
cd "$(dirname "$0")/../.."
status=0
check() { # generator argument file
  if ! python3 "examples/$1" "$2" | cmp -s - "examples/$3"; then
    echo "examples/$3 differs from: python3 examples/$1 $2" >&2
    status=1
  fi
}
check generate_pv_data.py mn mn-pv/generation.csv
check generate_pv_data.py id id-pv/generation.csv
check generate_family_data.py id-chiller id-chiller/chiller.csv
check generate_family_data.py th-chiller th-chiller/chillers.csv
check generate_family_data.py mn-hob mn-hob/boilers.csv
check generate_family_data.py id-otb id-otb/boilers.csv
check generate_family_data.py vn-transformer vn-transformer/hours.csv
check generate_family_data.py fgas-batches fgas/batches.csv
check generate_family_data.py fgas-site fgas/site.csv
check generate_more_family_data.py id-whr id-whr/whr.csv
check generate_more_family_data.py ph-hydro ph-hydro/hydro.csv
check generate_more_family_data.py kh-led kh-led/lights.csv
check generate_more_family_data.py th-cgs th-cgs/cgs.csv
check generate_process_data.py id-looms id-looms/looms.csv
check generate_process_data.py th-wastewater th-wastewater/digester.csv
[ "$status" -eq 0 ] && echo "15 example data files regenerate byte for byte"
exit "$status"
