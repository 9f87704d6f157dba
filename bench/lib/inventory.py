#!/usr/bin/env python3
"""bench/lib/inventory.py: vigil's language inventory and findings beside
syft's, Trivy's and osv-scanner's (issue 13), for bench/peers.sh and
tests/integration/test_lang_peers.sh.

Each tool's raw output is reduced to a set of (ecosystem, name, version):
  vigil        `vigil index --format table` (each language row carries a purl;
               OS rows are TYPE NAME VERSION)
  syft         `syft -o syft-json` (artifacts[].purl)
  trivy        `trivy image --format cyclonedx` (components[].purl)
  osv-scanner  `osv-scanner scan image --format json --all-packages`
               (results[].packages[].package {ecosystem, name, version})
The ecosystem is the purl type (pypi npm maven golang cargo gem composer
nuget; deb rpm apk for the OS). Names are compared the way each ecosystem's
registry does: PyPI by PEP 503 (lower case, runs of -_. as one -), NuGet and
Composer case-insensitively; Go and Composer versions without a leading
"v", Go's "(devel)" (a main module built from a checkout) as no version,
Go's toolchain ("stdlib", "go") as `stdlib` without its "go" prefix.
That is all the leniency: any other difference of name or version is a
disagreement.

Findings (`vigil scan --format json`, osv-scanner's JSON) are reduced to
(ecosystem, name, version, advisory) where the advisory is the alias group
of the OSV records both tools were given (--osv DIR, the JSON tree
bench/lib/osvdb.py writes), so GHSA-x and CVE-y of one record are one.

  inventory.py norm TOOL FILE              print the TSV (ecosystem name version)
  inventory.py report DIR [--osv DIR]      Markdown: per image and tool, counts,
                                           agreements and every disagreement
                                           with its reason (bench/lib/peer_reasons.tsv)
  inventory.py missing DIR IMAGE A B [ECOS]
                                           rows A has and B lacks, less the
                                           accepted exceptions of peer_reasons.tsv
                                           (exit 1 when any remain); with ECOS
                                           (comma-separated) only those
                                           ecosystems and the ones B reports
                                           at least one package of
DIR holds IMAGE/TOOL.out (raw output) and IMAGE/TOOL.rc; a tool that did not
run has no .out and shows as "n/a".
"""
import fnmatch
import json
import os
import re
import sys
import urllib.parse

TOOLS = ["vigil", "syft", "trivy", "osv-scanner"]
LANG = ["pypi", "npm", "maven", "golang", "cargo", "gem", "composer", "nuget"]
OS = {"deb", "rpm", "apk", "alpm", "dpkg"}
OSV_ECO = {
    "pypi": "pypi", "npm": "npm", "maven": "maven", "go": "golang",
    "crates.io": "cargo", "rubygems": "gem", "packagist": "composer",
    "nuget": "nuget", "debian": "deb", "ubuntu": "deb", "alpine": "apk",
}
HERE = os.path.dirname(os.path.abspath(__file__))


def norm_key(eco, name, version):
    """The comparison key of one package (see the opening comment)."""
    version = (version or "").strip()
    if eco == "pypi":
        name = re.sub(r"[-_.]+", "-", name).lower()
    elif eco in ("nuget", "composer"):
        name = name.lower()
    if eco in ("golang", "composer") and re.match(r"v\d", version):
        version = version[1:]
    if eco == "golang" and version == "(devel)":
        version = ""
    if eco == "golang" and name in ("stdlib", "go", "toolchain"):
        name = "stdlib"
        version = version[2:] if version.startswith("go") else version
    return (eco, name, version)


def parse_purl(purl):
    """(type, name as the ecosystem writes it, version) or None."""
    if not purl or not purl.startswith("pkg:"):
        return None
    rest = purl[4:].split("#", 1)[0].split("?", 1)[0]
    typ, _, path = rest.partition("/")
    version = ""
    at = path.rfind("@")
    if at > 0 and "/" not in path[at + 1:]:
        path, version = path[:at], path[at + 1:]
    parts = [urllib.parse.unquote(p) for p in path.split("/") if p]
    typ = typ.lower()
    if not parts:
        return None
    if typ == "maven" and len(parts) >= 2:
        name = ":".join(parts[:-1]) + ":" + parts[-1] if len(parts) > 2 else parts[0] + ":" + parts[1]
    elif typ in ("deb", "rpm", "apk", "alpm"):
        name = parts[-1]
    else:
        name = "/".join(parts)
    return typ, name, urllib.parse.unquote(version)


def rows_vigil(text):
    out = []
    header = False
    for line in text.splitlines():
        tok = line.split()
        if not tok:
            continue
        if tok[0] == "TYPE" and "NAME" in tok:
            header = True
            continue
        if not header:
            continue
        purl = next((t for t in tok if t.startswith("pkg:")), None)
        p = parse_purl(purl)
        if p:
            out.append(p)
        elif tok[0] in ("dpkg", "rpm", "apk") and len(tok) >= 3:
            out.append(({"dpkg": "deb"}.get(tok[0], tok[0]), tok[1], tok[2]))
    return out


def rows_syft(text):
    out = []
    for a in json.loads(text).get("artifacts", []):
        p = parse_purl(a.get("purl"))
        out.append(p if p else ("other:" + a.get("type", "?"), a.get("name", ""), a.get("version", "")))
    return out


def rows_trivy(text):
    out = []
    doc = json.loads(text)

    def walk(comps):
        for c in comps or []:
            p = parse_purl(c.get("purl"))
            if p:
                out.append(p)
            walk(c.get("components"))
    walk(doc.get("components"))
    return out


def rows_osv(text):
    out = []
    for r in json.loads(text).get("results", []) or []:
        for p in r.get("packages", []) or []:
            pk = p.get("package", {})
            eco = pk.get("ecosystem", "")
            e = OSV_ECO.get(eco.split(":")[0].lower(), "other:" + eco)
            out.append((e, pk.get("name", ""), pk.get("version", "")))
    return out


PARSERS = {"vigil": rows_vigil, "syft": rows_syft, "trivy": rows_trivy, "osv-scanner": rows_osv}


def inventory(tool, path):
    """{ecosystem: {key: display}} or None when the tool did not run."""
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    try:
        rows = PARSERS[tool](text)
    except (ValueError, KeyError, AttributeError):
        return None
    inv = {}
    for eco, name, ver in rows:
        eco = {"dpkg": "deb"}.get(eco, eco)
        k = norm_key(eco, name, ver)
        inv.setdefault(eco, {}).setdefault(k, f"{name}@{ver}")
    return inv


def load_reasons():
    rows = []
    path = os.path.join(HERE, "peer_reasons.tsv")
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            c = line.rstrip("\n").split("\t")
            if len(c) >= 7:
                rows.append(c[:7])
    return rows


def reason_for(reasons, image, eco, name, ver, missing, found):
    """The first row matching: image, ecosystem, name, version (fnmatch), the
    tools that lack it (every one listed must lack it), accepted flag, why."""
    for img, e, n, v, lack, acc, why in reasons:
        if not fnmatch.fnmatch(image, img) or not fnmatch.fnmatch(eco, e):
            continue
        if not fnmatch.fnmatchcase(name, n) or not fnmatch.fnmatchcase(ver, v):
            continue
        want = [t for t in lack.split(",") if t and t != "*"]
        if lack.startswith("only:"):
            if sorted(found) != sorted(lack[5:].split(",")):
                continue
        elif any(t not in missing for t in want):
            continue
        return acc == "1", why
    return False, None


def images_of(d):
    return sorted(x for x in os.listdir(d) if os.path.isdir(os.path.join(d, x)) and not x.startswith("."))


def ordered_images(d):
    order = os.environ.get("LANG_IMAGES", "").split()
    have = images_of(d)
    return [i for i in order if i in have] + [i for i in have if i not in order]


def report(d, osv_dir):
    reasons = load_reasons()
    out = []
    w = out.append
    totals = {t: [0, 0] for t in TOOLS}  # [agreeing rows, rows]
    all_invs = {i: {t: inventory(t, os.path.join(d, i, t + ".out")) for t in TOOLS} for i in ordered_images(d)}
    # the ecosystems vigil has a scanner for: it reports a package of them somewhere
    vigil_ecos = {e for inv in all_invs.values() if inv["vigil"] for e in inv["vigil"]}
    for image in ordered_images(d):
        invs = all_invs[image]
        ran = [t for t in TOOLS if invs[t] is not None]
        ecos = sorted({e for t in ran for e in invs[t]}, key=lambda e: (e not in LANG, e))
        w(f"\n### Image `{image}`\n")
        w("| ecosystem | " + " | ".join(TOOLS) + " | found by all that ran |")
        w("|---|" + "---:|" * len(TOOLS) + "---:|")
        for e in ecos:
            cells = []
            for t in TOOLS:
                cells.append("n/a" if invs[t] is None else str(len(invs[t].get(e, {}))))
            allk = set.intersection(*[set(invs[t].get(e, {})) for t in ran]) if ran else set()
            label = e if e in LANG else f"{e} (not compared)"
            w(f"| {label} | " + " | ".join(cells) + f" | {len(allk)} |")
        dis = []
        notes = {}  # reason -> its tag, R1, R2, ... (per image)
        for e in [x for x in ecos if x in LANG]:
            union = {}
            for t in ran:
                for k, disp in invs[t].get(e, {}).items():
                    union.setdefault(k, disp)
            for k in sorted(union):
                found = [t for t in ran if k in invs[t].get(e, {})]
                for t in ran:
                    totals[t][1] += 1
                    if k in invs[t].get(e, {}):
                        totals[t][0] += 1
                if len(found) == len(ran):
                    continue
                missing = [t for t in ran if t not in found]
                _, why = reason_for(reasons, image, e, k[1], k[2], missing, found)
                if "vigil" in missing and invs["vigil"] is not None and e not in vigil_ecos:
                    auto = f"vigil has no {e} scanner in this build (issue 13, being written)"
                    why = f"{auto}; {why}" if why and "vigil" not in why.split(":")[0] else (why or auto)
                tag = "**no reason recorded yet**"
                if why:
                    tag = "reason " + notes.setdefault(why, f"R{len(notes) + 1}")
                dis.append(f"- {e} `{union[k]}`: only in {', '.join(found)} (not in {', '.join(missing)}): {tag}")
        if dis:
            w(f"\nDisagreements ({len(dis)}):\n")
            out.extend(dis)
            if notes:
                w("\nReasons:\n")
                out.extend(f"- {r}: {why}" for why, r in notes.items())
        else:
            w("\nNo disagreement on the language ecosystems.")
        not_ran = [t for t in TOOLS if invs[t] is None]
        if not_ran:
            w(f"\nNot run on this image: {', '.join(not_ran)} (see {image}/<tool>.err).")
    w("\n### Agreement over every image\n")
    w("Language rows (ecosystem, name, version) that a tool reports, of the union of all tools' rows:\n")
    w("| tool | rows reported | of the union | share |")
    w("|---|---:|---:|---:|")
    for t in TOOLS:
        got, n = totals[t]
        if n:
            w(f"| {t} | {got} | {n} | {100.0 * got / n:.0f}% |")
    if osv_dir:
        out.extend(findings_report(d, osv_dir))
    print("\n".join(out))


# ---- findings -------------------------------------------------------------

def alias_groups(osv_dir):
    """id -> canonical id (the smallest of its group), over every record."""
    parent = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for root, _, files in os.walk(osv_dir):
        for fn in files:
            if not fn.endswith(".json"):
                continue
            try:
                with open(os.path.join(root, fn), encoding="utf-8") as f:
                    rec = json.load(f)
            except ValueError:
                continue
            ids = [rec.get("id")] + list(rec.get("aliases") or [])
            ids = [i for i in ids if i]
            for i in ids[1:]:
                a, b = find(ids[0]), find(i)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    return {k: find(k) for k in list(parent)}


def findings_vigil(text, groups):
    """Clair v4 VulnerabilityReport: package_vulnerabilities[pkg] = [vuln ids];
    the ecosystem is the vulnerability's repository (Clair names: pypi, npm,
    maven, go, ...), its name the OSV id."""
    doc = json.loads(text)
    pkgs = doc.get("packages", {}) or {}
    vulns = doc.get("vulnerabilities", {}) or {}
    out = set()
    for pid, vids in (doc.get("package_vulnerabilities", {}) or {}).items():
        p = pkgs.get(pid, {})
        for v in vids:
            rec = vulns.get(v, {})
            repo = ((rec.get("repository") or {}).get("name") or "").lower()
            e = {"crates": "cargo", "gems": "gem", "composer": "composer"}.get(repo, OSV_ECO.get(repo, repo))
            k = norm_key(e, p.get("name", ""), p.get("version", ""))
            name = rec.get("name") or v
            out.add((e, k[1], k[2], groups.get(name, name)))
    return out


def findings_osv(text, groups):
    out = set()
    for r in json.loads(text).get("results", []) or []:
        for p in r.get("packages", []) or []:
            pk = p.get("package", {})
            e = OSV_ECO.get(pk.get("ecosystem", "").split(":")[0].lower(), "?")
            k = norm_key(e, pk.get("name", ""), pk.get("version", ""))
            for v in p.get("vulnerabilities", []) or []:
                out.add((e, k[1], k[2], groups.get(v.get("id"), v.get("id"))))
    return out


def findings_report(d, osv_dir):
    groups = alias_groups(osv_dir)
    out = ["\n### Findings with the same OSV data\n",
           "One row per (package, advisory alias group); only language ecosystems.\n",
           "| image | vigil | osv-scanner | both |", "|---|---:|---:|---:|"]
    details = []
    for image in ordered_images(d):
        fv = os.path.join(d, image, "vigil.scan")
        fo = os.path.join(d, image, "osv-scanner.out")
        if not (os.path.exists(fv) and os.path.exists(fo)):
            out.append(f"| {image} | n/a | n/a | n/a |")
            continue
        try:
            with open(fv, encoding="utf-8") as f:
                a = {x for x in findings_vigil(f.read(), groups) if x[0] in LANG}
            with open(fo, encoding="utf-8") as f:
                b = {x for x in findings_osv(f.read(), groups) if x[0] in LANG}
        except ValueError:
            out.append(f"| {image} | n/a | n/a | n/a |")
            continue
        out.append(f"| {image} | {len(a)} | {len(b)} | {len(a & b)} |")
        for x in sorted(a - b):
            details.append(f"- {image}: {x[0]} `{x[1]}@{x[2]}` {x[3]}: only vigil")
        for x in sorted(b - a):
            details.append(f"- {image}: {x[0]} `{x[1]}@{x[2]}` {x[3]}: only osv-scanner")
    if details:
        out.append(f"\nFindings only one tool reports ({len(details)}):\n")
        out.extend(details)
    return out


def main(argv):
    if len(argv) >= 3 and argv[0] == "norm":
        inv = inventory(argv[1], argv[2]) or {}
        for e in sorted(inv):
            for k in sorted(inv[e]):
                print("\t".join(k))
        return 0
    if len(argv) >= 2 and argv[0] == "report":
        osv = argv[argv.index("--osv") + 1] if "--osv" in argv else None
        report(argv[1], osv)
        return 0
    if len(argv) in (5, 6) and argv[0] == "missing":
        d, image, a, b = argv[1:5]
        ia = inventory(a, os.path.join(d, image, a + ".out"))
        ib = inventory(b, os.path.join(d, image, b + ".out"))
        if ia is None or ib is None:
            print(f"{a} or {b} has no output for {image}", file=sys.stderr)
            return 2
        reasons = load_reasons()
        bad = 0
        ecos = [e for e in LANG if e in argv[5].split(",") or e in ib] if len(argv) == 6 else LANG
        for e in [x for x in LANG if x in ia and x not in ecos]:
            print(f"not judged: {e} ({len(ia[e])} in {a}, none in {b}: {b} has no scanner for it yet?)")
        for e in ecos:
            for k in sorted(set(ia.get(e, {})) - set(ib.get(e, {}))):
                acc, why = reason_for(reasons, image, e, k[1], k[2], [b], [a])
                if acc:
                    print(f"accepted: {e} {k[1]}@{k[2]} only in {a}: {why}")
                else:
                    bad += 1
                    print(f"MISSING: {e} {k[1]}@{k[2]} in {a}, not in {b}" + (f" ({why})" if why else ""))
        return 1 if bad else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
