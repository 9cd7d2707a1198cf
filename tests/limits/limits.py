#!/usr/bin/env python3
"""Resource limits: each case feeds mrv an input built to exhaust time or
memory, and checks that mrv refuses it (or streams it) cleanly: the exit
status, the pinned message, and a budget of CPU time and peak memory.

    limits.py MRV_BINARY CASE     run one case (exit 0 pass, 1 fail, 77 skip)
    limits.py MRV_BINARY --list   the cases

CPU time (user + system) is measured rather than wall time, so that a busy
machine does not fail the test; peak memory is the child's maximum resident
set (wait4). Budgets are skipped when MRV_SANITIZED=1 (ASan and Debug code
are bigger and slower; the behaviour is still checked). Inputs are generated
in a scratch folder or streamed through a pipe, never kept in the tree.
"""
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.realpath(os.path.join(os.path.dirname(__file__), "..", ".."))
MN = os.path.join(ROOT, "methodologies", "JCM_MN_AM003_ver02.0.yaml")
SANITIZED = os.environ.get("MRV_SANITIZED") == "1"
# Inputs that could take all of the machine's memory run under this cap.
ADDRESS_SPACE_CAP = 2 << 30


class Case:
    def __init__(self, build, status, stderr=None, cpu_ms=None, rss_mb=None, stdin=None, stdout=None,
                 stack_kb=None):
        self.build = build  # scratch dir -> argv after the binary
        self.status = status  # the exit status, or a tuple of the acceptable ones
        self.stderr = stderr  # expected first line of stderr; {dir} is the scratch folder
        self.cpu_ms = cpu_ms
        self.rss_mb = rss_mb
        self.stdin = stdin  # a function writing to the child's stdin, or None
        self.stdout = stdout  # a text stdout must contain, or None
        self.stack_kb = stack_kb  # a smaller stack, as a thread of `mrv verify -j` may have


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    return path


def methodology_with_formula(formula):
    """The bundled AM003 with PE_p's formula replaced."""
    text = open(MN).read()
    assert 'formula: "0"' in text
    return text.replace('formula: "0"', "formula: '%s'" % formula, 1)


def alias_bomb(d):
    # "Billion laughs": ten levels of ten aliases each. Refused at the first
    # anchor, before anything is expanded.
    lines = ["mrv: methodology/1", "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 10):
        lines.append("a%d: &a%d [%s]" % (i, i, ", ".join(["*a%d" % (i - 1)] * 10)))
    return ["methodology", "check", write(os.path.join(d, "bomb.yaml"), "\n".join(lines) + "\n")]


def deep_flow(d):
    depth = 100000
    return ["methodology", "check",
            write(os.path.join(d, "deep.yaml"), "mrv: methodology/1\na: " + "[" * depth + "]" * depth + "\n")]


def deep_block(d):
    text = "mrv: methodology/1\n" + "".join("  " * i + "a:\n" for i in range(1000)) + "  " * 1000 + "b\n"
    return ["methodology", "check", write(os.path.join(d, "deep.yaml"), text)]


def padded(d, size):
    """A valid methodology padded with a comment to exactly `size` bytes."""
    text = open(MN).read()
    padding = size - len(text.encode()) - 3
    assert padding > 0
    return ["methodology", "check", write(os.path.join(d, "big.yaml"), text + "#" + "x" * padding + "\n\n")]


def many_nodes(d):
    # 200,001 nodes in 1.3 MB: a flow list of one-character scalars.
    return ["methodology", "check",
            write(os.path.join(d, "nodes.yaml"), "mrv: methodology/1\na: [" + ",".join(["1"] * 200000) + "]\n")]


def formula_file(d, formula):
    return ["methodology", "check", write(os.path.join(d, "m.yaml"), methodology_with_formula(formula))]


def million_rows_stdin(proc):
    generator = os.environ.get("MRV_BENCH_GENERATE")
    subprocess.run([generator, "1000000"], stdout=proc.stdin, check=True)


def huge_field_stdin(proc):
    # A header, then one row whose only field is 100 MB long, in 1 MiB writes.
    try:
        proc.stdin.write(b"timestamp,unit,energy_kWh\n")
        chunk = b"x" * (1 << 20)
        for _ in range(100):
            proc.stdin.write(chunk)
        proc.stdin.write(b"\n")
    except BrokenPipeError:
        pass  # mrv stopped reading: that is the point


def key_table(d, values, columns):
    """A key table looked up by `columns` keys over one key of `values` values:
    the compiled table has values^columns cells."""
    keys = ", ".join("c%d" % j for j in range(columns))
    row = ", ".join("c%d: v0" % j for j in range(columns))
    text = """mrv: methodology/1
id: KEY_TABLE
version: "01.0"
title: a key table with values^columns cells
family: test
source: {document: test, confirmed: false}
outputs: {reference_emissions: RE_p, project_emissions: PE_p, emission_reductions: ER_p}
tables:
  T:
    unit: tCO2
    keys: [%s]
    source: {document: test, confirmed: false}
    rows:
      - {%s, value: 1}
parameters:
  k: {description: a key, kind: ex_ante, values: [%s]}
  RE_p: {description: RE, kind: calculated, per: period, unit: tCO2, formula: 'lookup(T, %s)'}
  PE_p: {description: PE, kind: calculated, per: period, unit: tCO2, formula: '0'}
  ER_p: {description: ER, kind: calculated, per: period, unit: tCO2, formula: RE_p - PE_p}
""" % (keys, row, ", ".join("v%d" % i for i in range(values)), ", ".join(["k"] * columns))
    return ["methodology", "check", write(os.path.join(d, "keys.yaml"), text)]


def equation_chain(d, length=19000):
    """Each equation uses the next: a dependency chain `length` deep."""
    text = """mrv: methodology/1
id: CHAIN
version: "01.0"
title: a long chain of equations
family: test
source: {document: test, confirmed: false}
outputs: {reference_emissions: RE_p, project_emissions: PE_p, emission_reductions: ER_p}
parameters:
  RE_p: {description: d, kind: calculated, per: period, unit: tCO2, formula: p0}
  PE_p: {description: d, kind: calculated, per: period, unit: tCO2, formula: '0'}
  ER_p: {description: d, kind: calculated, per: period, unit: tCO2, formula: RE_p - PE_p}
"""
    text += "".join("  p%d: {description: d, kind: calculated, unit: tCO2, formula: p%d}\n" % (i, i + 1)
                    for i in range(length))
    text += "  p%d: {description: d, kind: fixed, unit: tCO2, value: 1, source: {document: t, confirmed: false}}\n" % length
    return ["methodology", "check", write(os.path.join(d, "chain.yaml"), text)]


def many_keys(d):
    # One map of 40,000 keys, 400 KB of "kN: 1" (the node cap allows 100,000):
    # each key is compared with every key before it, 8e8 comparisons.
    return ["methodology", "check", write(os.path.join(d, "keys.yaml"), "".join("k%d: 1\n" % i for i in range(40000)))]


def months_by_units(d, units=1000):
    """A project whose one period spans years 1..9999 (119,988 months) with
    `units` units: the per-unit, per-month summaries multiply."""
    unit_lines = "".join("  - {id: U%d, values: {connection_i: national_grid}}\n" % i for i in range(units))
    text = """mrv: project/1
id: WIDE
methodology: %s
utc_offset: "+08:00"
units:
%speriods:
  - {id: all, from: 0001-01-01, to: 9999-12-31}
data:
  - id: meters
    file: data.csv
    timestamp: timestamp
    unit: {column: unit}
    columns:
      EG_i_p: {column: energy_kWh, unit: kWh}
""" % (MN, unit_lines)
    write(os.path.join(d, "data.csv"), "timestamp,unit,energy_kWh\n2017-01-01T00:00:00+08:00,U1,1\n")
    return ["calc", write(os.path.join(d, "project.yaml"), text)]


def wide_header_stdin(proc):
    # A header of 120,000 distinct column names, just under the 1 MiB row cap.
    names = ["timestamp", "unit", "energy_kWh"] + ["c%d" % i for i in range(120000)]
    try:
        proc.stdin.write((",".join(names) + "\n").encode())
    except BrokenPipeError:
        pass


def one_second_century(d):
    # A century at `interval: 1 s` with three rows: the interval bits are taken
    # as rows arrive (once a year of them was allocated per unit up front, and
    # a long enough period ended in bad_alloc, exit 70).
    write(os.path.join(d, "d.csv"), "t,e\n2000-01-01T00:00:00,0.1\n2050-01-01T00:00:00,0.2\n"
                                     "2099-12-31T23:59:59,0.1\n")
    text = """mrv: project/1
id: LONG
methodology: JCM_MN_AM003_ver02.0
utc_offset: "+08:00"
units: [{id: A, rating: "1 MW", values: {connection_i: national_grid}}]
periods: [{id: P, from: 2000-01-01, to: 2099-12-31}]
data:
  - {file: d.csv, interval: 1 s, timestamp: t, unit: A, columns: {EG_i_p: {column: e, unit: kWh}}}
"""
    return ["calc", write(os.path.join(d, "project.yaml"), text), "--format", "csv"]


def interval_blocks_past_limit(d):
    # One row in each block of 4,096 one-second intervals, one block more than
    # the 2^18 held (34 years at `interval: 1 s`): refused at the row that
    # needs the block. Before 57eb99b, the data path marked that row's interval
    # before handing the row to the general path, which then took it (and every
    # row after it) for a repeat of itself: exit 0, the row counted once.
    start = 946684800  # 2000-01-01T00:00:00Z
    rows = []
    for i in range((1 << 18) + 1):
        t = time.gmtime(start + 4096 * i)
        rows.append(time.strftime("%Y-%m-%dT%H:%M:%S", t) + ",0.001\n")
    write(os.path.join(d, "d.csv"), "t,e\n" + "".join(rows))
    text = """mrv: project/1
id: BLOCKS
methodology: JCM_MN_AM003_ver02.0
utc_offset: "+00:00"
units: [{id: A, values: {connection_i: national_grid}}]
periods: [{id: P, from: 2000-01-01, to: 2099-12-31}]
data:
  - {file: d.csv, interval: 1 s, timestamp: t, unit: A, columns: {EG_i_p: {column: e, unit: kWh}}}
"""
    return ["calc", write(os.path.join(d, "project.yaml"), text), "--format", "csv", "-q", "-j", "1"]


def many_units(d):
    # 60,000 units: once each id was compared with every id before it.
    units = "".join("  - {id: U%d}\n" % i for i in range(60000))
    text = """mrv: project/1
id: MANY
methodology: JCM_MN_AM003_ver02.0
utc_offset: "+08:00"
units:
%speriods:
  - {id: p, from: 2017-01-01, to: 2017-01-31}
""" % units
    return ["calc", write(os.path.join(d, "project.yaml"), text)]


# The line of PE_p's formula in the bundled AM003 (its comments and sources may grow).
FORMULA_LINE = next(n for n, line in enumerate(open(MN).read().splitlines(), 1)
                    if 'formula: "0"' in line)
FORMULA_AT = "mrv: {dir}/m.yaml:%d:15: error: " % FORMULA_LINE
CASES = {
    # Refused at once, whatever the YAML would expand or nest to.
    "alias-bomb": Case(alias_bomb, 65, "mrv: {dir}/bomb.yaml:2:5: error: YAML anchors are not allowed",
                       cpu_ms=100, rss_mb=64),
    "deep-nesting-flow": Case(deep_flow, 65, None, cpu_ms=100, rss_mb=64),
    "deep-nesting-block": Case(deep_block, 65, None, cpu_ms=100, rss_mb=64),
    "yaml-nodes": Case(many_nodes, 65, "mrv: {dir}/nodes.yaml:2:399995: error: more than 200000 YAML nodes",
                       cpu_ms=1000, rss_mb=64),
    # The caps of docs/methodology-format.md ("Limits"), at and past the limit.
    "file-size-at-limit": Case(lambda d: padded(d, 4 << 20), 0, None, rss_mb=64),
    "file-size-past-limit": Case(lambda d: padded(d, (4 << 20) + 1), 65,
                                 "mrv: {dir}/big.yaml: error: file is larger than 4194304 bytes",
                                 cpu_ms=100, rss_mb=64),
    "formula-length-at-limit": Case(lambda d: formula_file(d, "0" + " " * 4095), 0),
    "formula-length-past-limit": Case(lambda d: formula_file(d, "0" + " " * 4096), 65,
                                      FORMULA_AT + "formula longer than 4096 bytes"),
    "formula-depth-at-limit": Case(lambda d: formula_file(d, "(" * 63 + "0" + ")" * 63), 0),
    "formula-depth-past-limit": Case(lambda d: formula_file(d, "(" * 64 + "0" + ")" * 64), 65,
                                     "mrv: {dir}/m.yaml:%d:79: error: formula nested deeper than 64 levels"
                                     % FORMULA_LINE),
    # Data streams: memory bounded by units and months, not rows or bytes.
    "million-rows": Case(lambda d: ["calc", os.path.join(ROOT, "bench", "project.yaml"), "-", "-q"], 0,
                         None, rss_mb=100, stdin=million_rows_stdin,
                         stdout="\n2017,,,2017-01-01,2017-12-31,1000000,"),
    "huge-field": Case(lambda d: ["calc", os.path.join(ROOT, "examples", "mn-pv", "project.yaml"), "-", "-q"],
                       65, "mrv: <stdin>:2:1: error: row longer than 1048576 bytes", cpu_ms=500, rss_mb=64,
                       stdin=huge_field_stdin),
    # Pending (tests/regressions/pending/README.md): these fail today.
    "key-table-wrap": Case(lambda d: key_table(d, 256, 8), 65, None, cpu_ms=100, rss_mb=64),
    "key-table-huge": Case(lambda d: key_table(d, 1024, 3), 65, None, cpu_ms=100, rss_mb=64),
    "equation-chain": Case(equation_chain, 65, None, rss_mb=64),
    "many-keys": Case(many_keys, 65, None, cpu_ms=500, rss_mb=64),
    "months-by-units": Case(months_by_units, 65, None, cpu_ms=1000, rss_mb=100),
    "wide-header": Case(lambda d: ["calc", os.path.join(ROOT, "examples", "mn-pv", "project.yaml"), "-", "-q"],
                                0, None, cpu_ms=500, rss_mb=64, stdin=wide_header_stdin),
    # 2,040 terms of a sum nest the parse tree 2,040 deep, which once
    # overflowed the compiler's recursion on a 2 MiB stack (a thread's
    # default when the stack limit is unlimited): now refused by the
    # parse-tree depth limit (65), in a 2 MiB stack.
    "operator-chain-small-stack": Case(
        lambda d: formula_file(d, "0[tCO2] * (" + "+".join(["1"] * 2040) + ")"), 65, stack_kb=2048),
    # Linear: the duplicate check is hashed. The budget is that of
    # "yaml-nodes", since 60,000 units are ~180,000 YAML nodes to read.
    "many-units": Case(many_units, 65, None, cpu_ms=1000, rss_mb=64),
    "one-second-century": Case(one_second_century, 0, None, cpu_ms=3000, rss_mb=64),
    "interval-blocks-past-limit": Case(
        interval_blocks_past_limit, 65,
        "mrv: {dir}/d.csv:262146:1: error: more than 1073741824 intervals with rows are held to find "
        "repeats and gaps: declare a longer `interval:`, or split the project or its periods",
        cpu_ms=5000, rss_mb=300),
    "deep-nesting-message": Case(deep_flow, 65, "mrv: {dir}/deep.yaml:2:67: error: YAML nested deeper than 64 levels"),
}


def limits_for(case):
    def apply():
        if not SANITIZED:
            resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_CAP, ADDRESS_SPACE_CAP))
        if case.stack_kb:
            resource.setrlimit(resource.RLIMIT_STACK, (case.stack_kb << 10, case.stack_kb << 10))
    return apply


def run(binary, case, scratch):
    argv = [binary] + case.build(scratch)
    env = dict(os.environ, LC_ALL="C", TZ="UTC", NO_COLOR="1",
               MRV_METHODOLOGIES=os.path.join(ROOT, "methodologies"))
    if SANITIZED:  # ASan reserves terabytes of address space: cap resident memory instead
        env["ASAN_OPTIONS"] = env.get("ASAN_OPTIONS", "") + ":hard_rss_limit_mb=2048"
    out_path, err_path = os.path.join(scratch, "stdout"), os.path.join(scratch, "stderr")
    started = time.monotonic()
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        proc = subprocess.Popen(argv, stdin=subprocess.PIPE if case.stdin else subprocess.DEVNULL,
                                stdout=out, stderr=err, env=env, cwd=scratch,
                                preexec_fn=limits_for(case))
    if case.stdin:
        case.stdin(proc)
        try:
            proc.stdin.close()
        except BrokenPipeError:
            pass
    # wait4 rather than wait: the rusage of this child alone.
    _, wait_status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(wait_status)
    wall = time.monotonic() - started
    with open(out_path, errors="replace") as out, open(err_path, errors="replace") as err:
        stdout, stderr = out.read(), err.read()
    cpu_ms = (usage.ru_utime + usage.ru_stime) * 1000
    rss_mb = usage.ru_maxrss / 1024
    return proc.returncode, stdout, stderr, cpu_ms, rss_mb, wall


def main():
    if len(sys.argv) == 3 and sys.argv[2] == "--list":
        print("\n".join(CASES))
        return 0
    if len(sys.argv) != 3 or sys.argv[2] not in CASES:
        print("usage: limits.py MRV_BINARY CASE | --list", file=sys.stderr)
        return 2
    binary, name = os.path.realpath(sys.argv[1]), sys.argv[2]
    case = CASES[name]
    if case.stdin is million_rows_stdin and not os.environ.get("MRV_BENCH_GENERATE"):
        print("skipped: MRV_BENCH_GENERATE (the mrv_bench_generate binary) is not set")
        return 77
    scratch = tempfile.mkdtemp(prefix="mrv-limits-")
    try:
        status, stdout, stderr, cpu_ms, rss_mb, wall = run(binary, case, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    first_line = stderr.splitlines()[0] if stderr else ""
    print("%s: exit %s, %.0f ms CPU (%.0f ms wall), peak %.1f MB" % (name, status, cpu_ms, wall * 1000, rss_mb))
    print("stderr: %s" % first_line[:300])
    problems = []
    if status not in (case.status if isinstance(case.status, tuple) else (case.status,)):
        problems.append("exit status %s, expected %s" % (status, case.status))
    if status < 0:
        problems.append("killed by signal %s" % signal.Signals(-status).name)
    if case.stderr is not None and first_line != case.stderr.format(dir=scratch):
        problems.append("first line of stderr:\n  got:      %s\n  expected: %s" % (first_line, case.stderr.format(dir=scratch)))
    if case.stdout is not None and case.stdout not in stdout:
        problems.append("stdout does not contain %r:\n%s" % (case.stdout, stdout[:500]))
    if "internal error" in stderr:
        problems.append("an internal error is not a clean refusal")
    if SANITIZED:
        print("(budgets not checked: sanitized build)")
    else:
        if case.cpu_ms is not None and cpu_ms > case.cpu_ms:
            problems.append("%.0f ms of CPU, budget %d ms" % (cpu_ms, case.cpu_ms))
        if case.rss_mb is not None and rss_mb > case.rss_mb:
            problems.append("peak memory %.1f MB, budget %d MB" % (rss_mb, case.rss_mb))
    for p in problems:
        print("FAIL: " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
