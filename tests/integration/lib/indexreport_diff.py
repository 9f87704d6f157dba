#!/usr/bin/env python3
"""tests/integration/lib/indexreport_diff.py: the differences between two
Clair v4 IndexReports of the same manifest, Clair's (the reference) and
vigil's, with their ids normalised away (Clair numbers its packages,
distributions and repositories from its database; vigil numbers them per
report).

A package is matched across the reports by (name, version, kind); a
distribution by its did (one per
report); a repository by (name, key, uri). Each
difference is one line, tab-separated:

    CLASS  LABEL  DETAIL

CLASS says what differs (package-missing: in Clair's only; package-extra:
in vigil's only; package-FIELD: a field of a matched package; env-*: its
environments; dist-*, repo-*: distributions and repositories; report-*:
the report itself). test_clair_reference.sh fails on every class that
docs/compat.md does not explain. Exit 0 whatever it found; 2 on bad input.

    indexreport_diff.py [--label NAME] CLAIR.json VIGIL.json
"""
import argparse
import json
import sys

PKG_FIELDS = ("arch", "module", "cpe", "normalized_version", "package_db", "repository_hint")
DIST_FIELDS = ("name", "version", "version_id", "version_code_name", "pretty_name", "arch", "cpe")
REPO_FIELDS = ("cpe",)


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        print(f"indexreport_diff: {path}: {e}", file=sys.stderr)
        sys.exit(2)


def s(v):
    return "" if v is None else str(v)


def source_of(p):
    src = p.get("source") or {}
    return (s(src.get("name")), s(src.get("version")))


class Report:
    """One IndexReport with its ids replaced by keys."""

    def __init__(self, r):
        self.r = r
        self.dists = {}
        for d in (r.get("distributions") or {}).values():
            self.dists[(s(d.get("did")),)] = d
        self.dist_key = {s(d.get("id")): k for k, d in self.dists.items()}
        self.repos = {}
        for x in (r.get("repository") or {}).values():
            self.repos[(s(x.get("name")), s(x.get("key")), s(x.get("uri")))] = x
        self.repo_key = {s(x.get("id")): k for k, x in self.repos.items()}
        self.pkgs = {}
        self.pkg_key = {}
        for pid, p in (r.get("packages") or {}).items():
            k = (s(p.get("name")), s(p.get("version")), s(p.get("kind")))
            self.pkgs.setdefault(k, []).append(p)
            self.pkg_key[s(pid)] = k

    def envs(self, key):
        """The environments of the packages of KEY, as sorted tuples."""
        out = []
        for pid, k in self.pkg_key.items():
            if k != key:
                continue
            for e in (self.r.get("environments") or {}).get(pid) or []:
                out.append((s(e.get("package_db")), s(e.get("introduced_in")),
                            "/".join(self.dist_key.get(s(e.get("distribution_id")), ("",))),
                            ",".join(sorted("|".join(self.repo_key.get(s(i), (s(i),)))
                                            for i in e.get("repository_ids") or []))))
        return sorted(set(out))


def diff(label, clair, vigil):
    out = []

    def say(cls, detail):
        out.append(f"{cls}\t{label}\t{detail}")

    c, v = Report(clair), Report(vigil)
    for f in ("manifest_hash", "state", "success"):
        if clair.get(f) != vigil.get(f):
            say(f"report-{f}", f"clair {clair.get(f)!r} vigil {vigil.get(f)!r}")
    for k in sorted(set(c.dists) | set(v.dists)):
        if k not in v.dists:
            say("dist-missing", "/".join(k))
            continue
        if k not in c.dists:
            say("dist-extra", "/".join(k))
            continue
        for f in DIST_FIELDS:
            a, b = s(c.dists[k].get(f)), s(v.dists[k].get(f))
            if a != b:
                say(f"dist-{f}", f"{'/'.join(k)}: clair {a!r} vigil {b!r}")
    for k in sorted(set(c.repos) | set(v.repos)):
        if k not in v.repos:
            say("repo-missing", "|".join(k))
        elif k not in c.repos:
            say("repo-extra", "|".join(k))
        else:
            for f in REPO_FIELDS:
                a, b = s(c.repos[k].get(f)), s(v.repos[k].get(f))
                if a != b:
                    say(f"repo-{f}", f"{'|'.join(k)}: clair {a!r} vigil {b!r}")
    for k in sorted(set(c.pkgs) | set(v.pkgs)):
        name = " ".join(x for x in k if x)
        if k not in v.pkgs:
            say("package-missing", name)
            continue
        if k not in c.pkgs:
            say("package-extra", name)
            continue
        if len(c.pkgs[k]) != len(v.pkgs[k]):
            say("package-count", f"{name}: clair {len(c.pkgs[k])} vigil {len(v.pkgs[k])}")
        cp, vp = c.pkgs[k][0], v.pkgs[k][0]
        for f in PKG_FIELDS:
            a, b = s(cp.get(f)), s(vp.get(f))
            if a != b:
                say(f"package-{f}", f"{name}: clair {a!r} vigil {b!r}")
        if source_of(cp) != source_of(vp):
            say("package-source", f"{name}: clair {source_of(cp)} vigil {source_of(vp)}")
        ce, ve = c.envs(k), v.envs(k)
        if ce != ve:
            cd = {e[0] for e in ce} ^ {e[0] for e in ve}
            ci = {e[1] for e in ce} ^ {e[1] for e in ve}
            cls = "env-package_db" if cd else "env-introduced_in" if ci else "env-other"
            say(cls, f"{name}: clair {ce} vigil {ve}")
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--label", default="-")
    ap.add_argument("clair")
    ap.add_argument("vigil")
    a = ap.parse_args()
    for line in diff(a.label, load(a.clair), load(a.vigil)):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
