#!/usr/bin/env python3
"""Every source mrv cites can be opened by its reader.

A verifier reads mrv's outputs without the team's working notes, so no file of
the repository may cite them, nor a copy of an official document on a mirror
site. This check fails when:

1. a git-tracked file (other than this one) names the team's notes folder
   `shared/` as a path;
2. a git-tracked file names a known mirror or document-sharing host (MIRRORS);
3. an http(s) URL in a methodology, table or scheme file (methodologies/**.yaml)
   is not on an official host (OFFICIAL), unless PENDING lists it;
4. a methodology, table or scheme file cites `docs/NAME.md#anchor` and
   docs/NAME.md has no heading with that anchor.

    python3 tests/repo/no_outside_sources.py          # self-test, then the repository
    python3 tests/repo/no_outside_sources.py --no-selftest
"""
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
SELF = "tests/repo/no_outside_sources.py"

# `shared/` as a path: at the start of a word, optionally after ../ (not `std::shared_ptr`).
SHARED = re.compile(r"(?<![A-Za-z0-9_.-])(?:\.\./)*shared/")

# Hosts that republish other people's documents (PDF mirrors, document-sharing
# and "read online" sites). A value read there is cited by the official page
# where the document is published and marked `confirmed: false`; the mirror
# itself is never named. Extend the list when a new one turns up.
MIRRORS = [
    "docslib.org", "pdfslide.net", "pdfslide.us", "vdocument.in", "vdocuments.us",
    "vdocuments.mx", "vdocuments.net", "vdocuments.site", "studylib.net", "docstoc.com",
    "dokumen.tips", "documents.pub", "scribd.com", "paperzz.com", "123deta.com",
    "docplayer.net", "businessdocbox.com", "careersdocbox.com", "fdocuments.in",
    "sambuz.com", "expydoc.com", "booksiview.com", "ecfr.io", "silo.tips",
]
MIRROR = re.compile(r"(?<![A-Za-z0-9-])(?:[A-Za-z0-9-]+\.)*(?:"
                    + "|".join(re.escape(h) for h in MIRRORS) + r")\b", re.IGNORECASE)

# Official hosts a source URL in methodologies/ may point to (a host matches an
# entry or is a subdomain of it): the JCM site and the partner countries' JCM
# secretariats, the Japanese government and its agencies, GEC, IGES, OECC, the
# IPCC and the UNFCCC.
OFFICIAL = [
    "jcm.go.jp", "jcm-mongolia.com", "jcm.ekon.go.id", "env.go.jp", "gec.jp",
    "iges.or.jp", "oecc.or.jp", "nedo.go.jp", "nies.go.jp", "e-gov.go.jp", "nta.go.jp",
    "carbon-markets.go.jp", "ipcc.ch", "unfccc.int", "ecfr.gov", "icao.int",
]

# Known exceptions, each with the file and host, to be removed when fixed. A
# stale entry (the file no longer names the host) is itself an error.
PENDING = {
    # An accountant's page for useful lives of attached equipment; the scheme
    # files belong to the financing-scheme work, which replaces it by the
    # official table (e-Gov, NTA).
    ("methodologies/schemes/useful-lives-JP.yaml", "satoscpa.com"),
}

URL = re.compile(r"https?://([A-Za-z0-9.-]+)[^\s\"'<>)\]},]*")
DOC_ANCHOR = re.compile(r"\b(docs/[A-Za-z0-9_.-]+\.md)#([A-Za-z0-9_-]+)")


def tracked_files(root):
    try:
        out = subprocess.run(["git", "-C", root, "ls-files", "-z"], check=True,
                             capture_output=True).stdout.decode()
        return [f for f in out.split("\0") if f]
    except (OSError, subprocess.CalledProcessError):
        files = []
        for base, dirs, names in os.walk(root):
            dirs[:] = [d for d in dirs if not d.startswith(".") and not d.startswith("build")]
            files += [os.path.relpath(os.path.join(base, n), root) for n in names]
        return files


def read_text(path):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return None
    if b"\0" in data[:8192]:
        return None  # binary
    return data.decode("utf-8", errors="replace")


def anchor(heading):
    """GitHub's anchor of a Markdown heading."""
    text = heading.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors_of(root, doc, cache):
    if doc not in cache:
        text = read_text(os.path.join(root, doc)) or ""
        cache[doc] = {anchor(m.group(1)) for m in re.finditer(r"^#+\s+(.*)$", text, re.M)}
    return cache[doc]


def official(host):
    host = host.lower().rstrip(".")
    return any(host == h or host.endswith("." + h) for h in OFFICIAL)


def check(root):
    """Returns the list of findings, each 'file:line: message'."""
    findings = []
    pending_seen = set()
    cache = {}
    for rel in tracked_files(root):
        if rel == SELF:
            continue
        text = read_text(os.path.join(root, rel))
        if text is None:
            continue
        in_methodologies = rel.startswith("methodologies/") and rel.endswith(".yaml")
        for n, line in enumerate(text.splitlines(), 1):
            where = f"{rel}:{n}"
            if SHARED.search(line):
                findings.append(f"{where}: names shared/, which is not in the repository")
            for m in MIRROR.finditer(line):
                findings.append(f"{where}: names the mirror site {m.group(0)}; cite the official page")
            if not in_methodologies:
                continue
            for m in URL.finditer(line):
                host = m.group(1)
                if official(host):
                    continue
                key = next(((f, h) for f, h in PENDING
                            if f == rel and host.lower().endswith(h)), None)
                if key:
                    pending_seen.add(key)
                    continue
                findings.append(f"{where}: {host} is not an official host (allowed: "
                                "tests/repo/no_outside_sources.py OFFICIAL)")
            for m in DOC_ANCHOR.finditer(line):
                doc, name = m.group(1), m.group(2)
                if name not in anchors_of(root, doc, cache):
                    findings.append(f"{where}: {doc} has no section #{name}")
    if root == ROOT:
        for f, h in sorted(PENDING - pending_seen):
            findings.append(f"{SELF}: PENDING entry ({f}, {h}) is stale: remove it")
    return findings


def selftest():
    """The check finds each kind of mistake in a throw-away repository."""
    files = {
        "a.md": "See ../shared/domain/notes.md\nstd::shared_ptr<int> p;\n",
        "b.txt": "read at https://docslib.org/doc/1/x\n",
        "docs/rules.md": "# Rules\n## Financing schemes\n",
        "methodologies/m.yaml": (
            "source: {document: docs/rules.md#financing-schemes, url: https://www.jcm.go.jp/x}\n"
            "source: {document: docs/rules.md#no-such-section, url: https://example.org/x}\n"),
    }
    with tempfile.TemporaryDirectory() as tmp:
        for rel, text in files.items():
            os.makedirs(os.path.dirname(os.path.join(tmp, rel)) or tmp, exist_ok=True)
            with open(os.path.join(tmp, rel), "w") as f:
                f.write(text)
        subprocess.run(["git", "init", "-q", tmp], check=True)
        subprocess.run(["git", "-C", tmp, "add", "."], check=True)
        got = check(tmp)
    expected = [
        "a.md:1: names shared/",
        "b.txt:1: names the mirror site docslib.org",
        "methodologies/m.yaml:2: example.org is not an official host",
        "methodologies/m.yaml:2: docs/rules.md has no section #no-such-section",
    ]
    missing = [e for e in expected if not any(g.startswith(e) for g in got)]
    if missing or len(got) != len(expected):
        print("self-test failed; expected:", *expected, "got:", *got, sep="\n  ")
        return False
    return True


def main():
    if "--no-selftest" not in sys.argv and not selftest():
        return 1
    findings = check(ROOT)
    for f in findings:
        print(f)
    print(f"{0 if findings else 1} passed, {1 if findings else 0} failed")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
