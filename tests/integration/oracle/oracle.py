#!/usr/bin/env python3
"""tests/integration/oracle/oracle.py: the findings vigil must report for a
root filesystem and one feed, worked out without vigil's code (the package
databases and the feeds are read raw by pkgdb.py and feeds.py; versions are
compared by dpkg's, rpm's and apk-tools' rules in vercmp.py).

  oracle.py --root ROOT --feed KIND PATH [PATH...] [--counts]

KIND: uct (Ubuntu CVE tracker folder), secdb (Alpine secdb JSON folder),
debian-lists (DSA/DLA/CVE list files), csaf (Red Hat CSAF advisories and VEX),
ubuntu-vex (Ubuntu OpenVEX documents), osv (OSV documents of a distribution).
Prints the sorted, unique lines  package<TAB>id<TAB>fixed-or-empty.

Matching (the rules of include/vigil/match.h, written out independently):
  - the image's namespace comes from its os-release (ubuntu:18.04, ...);
  - an entry naming a binary package (is_source 0) matches a package of that
    name, at the package's version; an entry naming a source package
    (is_source 1) matches every package built from that source, at the
    source version (dpkg "Source: foo (1.2-3)", else the binary version);
  - an entry with architectures matches only those; one with a Red Hat
    module stream only packages of that stream, and one without only
    packages without a stream;
  - fixed: affected while version < fixed; not-fixed and will-not-fix:
    always affected; not-affected: never; OSV: inside one of the ranges
    (OSV's event walk) or one of the listed versions, with the fixed version
    shown only when the entry has exactly one "fixed" event.
  - several entries of one record for one package (Alpine lists a CVE
    under two fixed versions, Red Hat per minor release): the package is
    affected when any entry says so, and the fixed version shown is the
    highest fixed version among the entries that match (a fix at the
    highest one covers them all); "" when only unfixed entries match.
With --counts, a summary goes to stderr (packages, entries, findings).
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import feeds  # noqa: E402
import pkgdb  # noqa: E402
import vercmp  # noqa: E402


def entries_for(kind, paths, ns, code):
	if kind == "uct":
		return [e for p in paths for e in feeds.read_uct(p, code)]
	if kind == "secdb":
		return [e for p in paths for e in feeds.read_secdb(p, code)]
	if kind == "debian-lists":
		return list(feeds.read_debian_lists(paths, code))
	if kind == "csaf":
		return list(feeds.read_csaf(paths, ns))
	if kind == "ubuntu-vex":
		return [e for p in paths for e in feeds.read_ubuntu_vex(p, code)]
	if kind == "osv":
		return [e for p in paths for e in feeds.read_osv(p, ns)]
	raise SystemExit("oracle: unknown feed kind %s" % kind)


def match(packages, entries, cmp):
	by_name = {}
	for e in entries:
		by_name.setdefault((e[1], e[2]), []).append(e)
	found = {}   # (package name, id) -> [fixed versions that match], unfixed flag
	conflicts = []
	for p in packages:
		hits = {}
		for is_src, name, ver in ((False, p["name"], p["version"]), (True, p["src"], p["src_version"])):
			for e in by_name.get((name, is_src), []):
				rid, state, fixed, arch, module = e[0], e[3], e[4], e[5], e[6]
				if arch and p["arch"] not in arch.split("|"):
					continue
				if (module or None) != (p["module"] or None):
					continue
				h = hits.setdefault(rid, {"fixed": [], "unfixed": False, "na": False})
				if state == "ranges":
					if feeds.osv_affected(ver, e[7][0], e[7][1], cmp):
						if fixed:
							h["fixed"].append(fixed)
						else:
							h["unfixed"] = True
				elif state == "fixed":
					if cmp(ver, fixed) < 0:
						h["fixed"].append(fixed)
				elif state in ("not-fixed", "will-not-fix"):
					h["unfixed"] = True
				elif state == "not-affected":
					h["na"] = True
		for rid, h in hits.items():
			if not h["fixed"] and not h["unfixed"]:
				continue
			if h["na"]:
				conflicts.append("%s %s: also said not-affected" % (p["name"], rid))
			key = (p["name"], rid)
			f = found.setdefault(key, {"fixed": [], "unfixed": False})
			f["fixed"] += h["fixed"]
			f["unfixed"] |= h["unfixed"]
	lines = set()
	for (name, rid), f in found.items():
		best = ""
		for v in f["fixed"]:
			if best == "" or cmp(v, best) > 0:
				best = v
		lines.add("%s\t%s\t%s" % (name, rid, best))
	return sorted(lines), conflicts


def main():
	ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
	ap.add_argument("--root", required=True)
	ap.add_argument("--feed", nargs="+", required=True, metavar=("KIND", "PATH"))
	ap.add_argument("--counts", action="store_true")
	a = ap.parse_args()
	kind, paths = a.feed[0], a.feed[1:]
	rel = pkgdb.read_release(a.root)
	ns, code = pkgdb.namespace(rel)
	packages = pkgdb.read_packages(a.root)
	if not packages:
		raise SystemExit("oracle: no packages under %s" % a.root)
	scheme = packages[0]["kind"]
	entries = entries_for(kind, paths, ns, code)
	lines, conflicts = match(packages, entries, vercmp.CMP[scheme])
	sys.stdout.write("".join(l + "\n" for l in lines))
	for c in conflicts:
		print("oracle: note: %s" % c, file=sys.stderr)
	if a.counts:
		names = {(e[1], e[2]) for e in entries}
		touched = sum(1 for p in packages if (p["name"], False) in names or (p["src"], True) in names)
		tool = {"dpkg": vercmp.DPKG_TOOL, "rpm": vercmp.RPM_TOOL, "apk": vercmp.APK_TOOL}[scheme]
		print("oracle: %s: %d packages (%d named by the feed), %d feed entries for %s, %d findings "
		      "(%d with a fixed version), %d vulnerability ids; versions by %s"
		      % (ns, len(packages), touched, len(entries), ns, len(lines),
			 sum(1 for l in lines if not l.endswith("\t")), len({l.split("\t")[1] for l in lines}), tool),
		      file=sys.stderr)


if __name__ == "__main__":
	main()
