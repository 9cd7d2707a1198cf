#!/usr/bin/env python3
"""No include runs upward: each file of libmrv/src/LAYER/ and each public
header (libmrv/include/mrv/, layers below) may include only its own layer
and the layers under it. ARCHITECTURE.md draws the same order.

    python3 tests/layers/check_layers.py        # prints each violation, exits 1 if any
"""
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
ORDER = ["base", "data", "model", "engine", "credits", "verify", "render", "report"]
# The public API, by the layer that implements it.
PUBLIC = {
    "diagnostic.hpp": "base", "units.hpp": "base", "numbers.hpp": "base", "cache.hpp": "data",
    "methodology.hpp": "model", "project.hpp": "model", "credit_terms.hpp": "model",
    "scheme.hpp": "model",
    "calc.hpp": "engine",
    "allocate.hpp": "credits", "screen.hpp": "credits", "credit_uses.hpp": "credits",
    "verify.hpp": "verify",
    "render.hpp": "render", "render_allocate.hpp": "render", "render_verify.hpp": "render",
    "report.hpp": "report",
}


def layer_of_include(name):
    if name.startswith("mrv/"):
        return PUBLIC.get(name[4:], "?")
    first = name.split("/")[0]
    return first if first in ORDER else None


def main():
    violations = []
    files = []
    src = os.path.join(ROOT, "libmrv", "src")
    for layer in os.listdir(src):
        for f in os.listdir(os.path.join(src, layer)):
            files.append((os.path.join(src, layer, f), layer))
    include_dir = os.path.join(ROOT, "libmrv", "include", "mrv")
    for f in os.listdir(include_dir):
        files.append((os.path.join(include_dir, f), PUBLIC.get(f, "?")))
    for path, layer in files:
        rel = os.path.relpath(path, ROOT)
        if layer not in ORDER:
            violations.append(f"{rel}: not in any layer (add it to PUBLIC or a layer folder)")
            continue
        for number, line in enumerate(open(path, encoding="utf-8"), 1):
            m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
            if not m:
                continue
            target = layer_of_include(m.group(1))
            if target is None:
                continue
            if target == "?" or ORDER.index(target) > ORDER.index(layer):
                violations.append(f"{rel}:{number}: {layer} includes {m.group(1)} ({target})")
    for v in violations:
        print(v)
    if violations:
        return 1
    print(f"layers: {len(files)} files, no include runs upward ({' < '.join(ORDER)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
