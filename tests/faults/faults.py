#!/usr/bin/env python3
"""Faults: what mrv does when its output cannot be written, an input cannot
be read, the reader of its output goes away, or it is interrupted. mrv must
exit with the documented status and never leave a partial output file.

    faults.py MRV_BINARY CASE     run one case (exit 0 pass, 1 fail, 77 skip)
    faults.py MRV_BINARY --list   the cases

Some cases need root (a tmpfs in a private mount namespace, a device node)
or must not run as root (a file without read permission): they are skipped
(77) where they cannot run. The interrupt cases need the LD_PRELOAD shim
built from slow_fsync.cpp, named by $MRV_SLOW_FSYNC.
"""
import fcntl
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time

ROOT = os.path.realpath(os.path.join(os.path.dirname(__file__), "..", ".."))
PROJECT = os.path.join(ROOT, "examples", "mn-pv", "project.yaml")
SKIP = 77


class Skip(Exception):
    pass


def environment(**extra):
    env = dict(os.environ, LC_ALL="C", TZ="UTC", NO_COLOR="1",
               MRV_METHODOLOGIES=os.path.join(ROOT, "methodologies"))
    env.update(extra)
    return env


def mrv(binary, *args, **kwargs):
    return subprocess.run([binary, *args], capture_output=True, text=True, env=environment(), **kwargs)


def expect(problems, what, got, want):
    if got != want:
        problems.append("%s: got %r, expected %r" % (what, got, want))


def leftovers(folder, name):
    """Temporary files of the atomic writer for `name`: .NAME.XXXXXX"""
    return sorted(f for f in os.listdir(folder) if f.startswith("." + name + "."))


def output_full_filesystem(binary, scratch, problems):
    # A 64 KiB tmpfs, filled to its last pages, in a private mount namespace
    # so that nothing outlives the test.
    script = """
set -e
mount -t tmpfs -o size=64k mrv-test "$1" || exit 77
head -c 61440 /dev/zero > "$1/fill" 2>/dev/null || true
set +e
"$2" calc "$3" -q --by month,unit --format json -o "$1/out.json" 2>"$1/../stderr"
echo "status $?"
ls -A "$1"
"""
    if shutil.which("unshare") is None:
        raise Skip("no unshare")
    mount_point = os.path.join(scratch, "mnt")
    os.mkdir(mount_point)
    run = subprocess.run(["unshare", "--mount", "--propagation", "private", "bash", "-c", script, "-",
                          mount_point, binary, PROJECT], capture_output=True, text=True, env=environment())
    if run.returncode == SKIP or "status" not in run.stdout:
        raise Skip("cannot mount a tmpfs here (needs root): " + (run.stderr or run.stdout).strip())
    lines = run.stdout.split()
    expect(problems, "exit status", lines[1], "74")
    expect(problems, "files left on the full filesystem", lines[2:], ["fill"])
    stderr = open(os.path.join(scratch, "stderr")).read()
    expect(problems, "stderr", stderr,
           "mrv: error: cannot write '%s/out.json': No space left on device\n" % mount_point)


def output_to_device(binary, scratch, problems):
    # -o naming a device: here a private copy of /dev/full (1, 7). Writing
    # must go to the device (and fail: 74), never replace the device node.
    device = os.path.join(scratch, "full")
    try:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
    except OSError as error:
        raise Skip("cannot create a device node here: %s" % error)
    run = mrv(binary, "calc", PROJECT, "-q", "-o", device)
    expect(problems, "exit status", run.returncode, 74)
    expect(problems, "stderr", run.stderr, "mrv: error: cannot write '%s': No space left on device\n" % device)
    expect(problems, "still a character device", stat.S_ISCHR(os.lstat(device).st_mode), True)
    expect(problems, "temporary files left", leftovers(scratch, "full"), [])


def stdout_full(binary, scratch, problems):
    for args in (["calc", PROJECT, "-q"], ["methodology", "show", "JCM_MN_AM003"], ["--help"]):
        with open("/dev/full", "w") as full:
            run = subprocess.run([binary, *args], stdout=full, stderr=subprocess.PIPE, text=True, env=environment())
        expect(problems, "exit status of mrv %s" % " ".join(args[:2]), run.returncode, 74)
        expect(problems, "stderr of mrv %s" % " ".join(args[:2]), run.stderr,
               "mrv: error: cannot write standard output: No space left on device\n")


def unreadable_directory(binary, scratch, problems):
    # A directory opens but cannot be read: the same path as an unreadable file.
    cases = [
        (["calc", scratch], "mrv: error: cannot open '%s': Is a directory\n" % scratch),
        (["calc", PROJECT, scratch], "mrv: error: cannot read '%s': Is a directory\n" % scratch),
        (["methodology", "check", scratch], "mrv: error: cannot open '%s': Is a directory\n" % scratch),
        (["calc", "/proc/self/mem"], "mrv: error: cannot open '/proc/self/mem': Input/output error\n"),
        (["calc", PROJECT, "/proc/self/mem"], "mrv: error: cannot read '/proc/self/mem': Input/output error\n"),
    ]
    for args, message in cases:
        run = mrv(binary, *args)
        expect(problems, "exit status of mrv %s" % " ".join(args), run.returncode, 66)
        expect(problems, "stderr of mrv %s" % " ".join(args), run.stderr, message)


def unreadable_file(binary, scratch, problems):
    if os.geteuid() == 0:
        raise Skip("root reads files without read permission (see unreadable-directory)")
    path = os.path.join(scratch, "project.yaml")
    shutil.copy(PROJECT, path)
    os.chmod(path, 0)
    run = mrv(binary, "calc", path)
    expect(problems, "exit status", run.returncode, 66)
    expect(problems, "stderr", run.stderr, "mrv: error: cannot open '%s': Permission denied\n" % path)


def broken_pipe(binary, scratch, problems):
    # `mrv calc ... | head -1`, with a pipe small enough that mrv is still
    # writing when head exits: mrv must end quietly, with status 0.
    read_end, write_end = os.pipe()
    fcntl.fcntl(write_end, 1031, 4096)  # F_SETPIPE_SZ
    writer = subprocess.Popen([binary, "calc", PROJECT, "-q", "--by", "month,unit", "--format", "json"],
                              stdout=write_end, stderr=subprocess.PIPE, env=environment())
    reader = subprocess.Popen(["head", "-1"], stdin=read_end, stdout=subprocess.PIPE)
    os.close(read_end)
    os.close(write_end)
    first_line = reader.communicate()[0]
    _, stderr = writer.communicate()
    expect(problems, "what head printed", first_line, b"{\n")
    expect(problems, "exit status", writer.returncode, 0)
    expect(problems, "stderr", stderr.decode(), "")


def interrupted(binary, scratch, problems, signal_number, old_output):
    """Interrupts mrv in fsync, its output written to the temporary file."""
    shim = os.environ.get("MRV_SLOW_FSYNC")
    if not shim:
        raise Skip("MRV_SLOW_FSYNC (the slow_fsync shim) is not set")
    output = os.path.join(scratch, "out.csv")
    marker = os.path.join(scratch, "in-fsync")
    for stale in (output, marker):
        if os.path.exists(stale):
            os.unlink(stale)
    if old_output is not None:
        open(output, "w").write(old_output)
    env = environment(LD_PRELOAD=shim, MRV_FSYNC_MARKER=marker)
    env["ASAN_OPTIONS"] = env.get("ASAN_OPTIONS", "") + ":verify_asan_link_order=0"
    proc = subprocess.Popen([binary, "calc", PROJECT, "-q", "-o", output], env=env)
    deadline = time.monotonic() + 60
    while not os.path.exists(marker) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    if not os.path.exists(marker):
        proc.kill()
        proc.wait()
        problems.append("mrv never reached fsync (is the shim loaded?)")
        return
    proc.send_signal(signal_number)
    proc.wait()
    expect(problems, "ended by", proc.returncode, -signal_number)
    if old_output is None:
        expect(problems, "output file exists", os.path.exists(output), False)
    else:
        expect(problems, "old output kept whole", open(output).read(), old_output)
    return leftovers(scratch, "out.csv")


def interrupt_keeps_output(binary, scratch, problems):
    # The file named by -o is never partial: absent, or the old one whole.
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        interrupted(binary, scratch, problems, signal_number, None)
        for f in leftovers(scratch, "out.csv"):
            os.unlink(os.path.join(scratch, f))
        interrupted(binary, scratch, problems, signal_number, "old,output\n")


def interrupt_leaves_no_temporary(binary, scratch, problems):
    for signal_number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        left = interrupted(binary, scratch, problems, signal_number, None) or []
        expect(problems, "temporary files left after %s" % signal.Signals(signal_number).name, left, [])
        for f in left:
            os.unlink(os.path.join(scratch, f))


def ignored_signal_stays_ignored(binary, scratch, problems):
    # Under nohup (SIGHUP ignored), a hangup while -o is written must not
    # stop mrv: it finishes and writes the whole file.
    shim = os.environ.get("MRV_SLOW_FSYNC")
    if not shim:
        raise Skip("MRV_SLOW_FSYNC (the slow_fsync shim) is not set")
    output = os.path.join(scratch, "out.csv")
    marker = os.path.join(scratch, "in-fsync")
    env = environment(LD_PRELOAD=shim, MRV_FSYNC_MARKER=marker)
    env["ASAN_OPTIONS"] = env.get("ASAN_OPTIONS", "") + ":verify_asan_link_order=0"
    proc = subprocess.Popen([binary, "calc", PROJECT, "-q", "-o", output], env=env,
                            preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN))
    deadline = time.monotonic() + 60
    while not os.path.exists(marker) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    proc.send_signal(signal.SIGHUP)
    proc.wait()
    expect(problems, "exit status", proc.returncode, 0)
    expect(problems, "output written", os.path.exists(output), True)


def interrupt_while_reading(binary, scratch, problems):
    # Interrupted while it waits for data on stdin: nothing is written.
    output = os.path.join(scratch, "out.csv")
    proc = subprocess.Popen([binary, "calc", PROJECT, "-", "-q", "-o", output], stdin=subprocess.PIPE,
                            env=environment())
    proc.stdin.write(b"timestamp,unit,energy_kWh\n2017-03-01T10:00:00+08:00,PV-A,1\n")
    proc.stdin.flush()
    time.sleep(0.2)
    proc.send_signal(signal.SIGINT)
    proc.wait()
    expect(problems, "ended by", proc.returncode, -signal.SIGINT)
    expect(problems, "files written", sorted(os.listdir(scratch)), [])


CASES = {
    "output-full-filesystem": output_full_filesystem,
    "stdout-full": stdout_full,
    "unreadable-directory": unreadable_directory,
    "unreadable-file": unreadable_file,
    "broken-pipe": broken_pipe,
    "interrupt-keeps-output": interrupt_keeps_output,
    "interrupt-while-reading": interrupt_while_reading,
    "ignored-signal-stays-ignored": ignored_signal_stays_ignored,
    "output-to-device": output_to_device,
    "interrupt-leaves-no-temporary": interrupt_leaves_no_temporary,
}


def main():
    if len(sys.argv) == 3 and sys.argv[2] == "--list":
        print("\n".join(CASES))
        return 0
    if len(sys.argv) != 3 or sys.argv[2] not in CASES:
        print("usage: faults.py MRV_BINARY CASE | --list", file=sys.stderr)
        return 2
    binary, name = os.path.realpath(sys.argv[1]), sys.argv[2]
    scratch = os.path.realpath(tempfile.mkdtemp(prefix="mrv-faults-"))
    problems = []
    try:
        CASES[name](binary, scratch, problems)
    except Skip as reason:
        print("skipped: %s" % reason)
        return SKIP
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    for p in problems:
        print("FAIL: " + p)
    if not problems:
        print("%s: ok" % name)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
