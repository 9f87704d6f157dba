#!/usr/bin/env python3
"""tests/integration/oracle/compare.py: the two halves of the accuracy check.

  compare.py extract REPORT.json   the findings of a Clair v4
      VulnerabilityReport (vigil scan --format json) as sorted, unique lines
      package<TAB>vulnerability name<TAB>fixed_in_version
  compare.py diff WANT GOT         compares the oracle's lines (WANT) with
      vigil's (GOT): (package, id) pairs missing from vigil, pairs vigil has
      that the oracle does not, and pairs whose fixed version differs; the
      first 30 lines of each; exit 1 when anything differs.
"""
import json
import sys

SHOW = 30


def extract(path):
	r = json.load(open(path, encoding="utf-8"))
	pk = r.get("packages") or {}
	vu = r.get("vulnerabilities") or {}
	lines = set()
	for pid, vids in (r.get("package_vulnerabilities") or {}).items():
		p = pk.get(pid)
		if p is None:
			raise SystemExit("compare: package_vulnerabilities names package %s, not in packages" % pid)
		for vid in vids or []:
			v = vu.get(vid)
			if v is None:
				raise SystemExit("compare: package %s lists vulnerability %s, not in vulnerabilities" % (pid, vid))
			lines.add("%s\t%s\t%s" % (p.get("name", ""), v.get("name", ""), v.get("fixed_in_version") or ""))
	sys.stdout.write("".join(l + "\n" for l in sorted(lines)))


def read(path):
	out = {}
	for line in open(path, encoding="utf-8"):
		line = line.rstrip("\n")
		if not line:
			continue
		pkg, vid, fixed = (line.split("\t") + ["", ""])[:3]
		out.setdefault((pkg, vid), set()).add(fixed)
	return out


def show(title, rows):
	if not rows:
		return
	print("  %s: %d" % (title, len(rows)))
	for r in rows[:SHOW]:
		print("    " + r)
	if len(rows) > SHOW:
		print("    ... %d more" % (len(rows) - SHOW))


def diff(want_path, got_path):
	want, got = read(want_path), read(got_path)
	missing = ["%s\t%s\t%s" % (k[0], k[1], ",".join(sorted(want[k]))) for k in sorted(set(want) - set(got))]
	extra = ["%s\t%s\t%s" % (k[0], k[1], ",".join(sorted(got[k]))) for k in sorted(set(got) - set(want))]
	fixed = ["%s\t%s\twant '%s' got '%s'" % (k[0], k[1], ",".join(sorted(want[k])), ",".join(sorted(got[k])))
		 for k in sorted(set(want) & set(got)) if want[k] != got[k]]
	show("missing from vigil (package, id, fixed)", missing)
	show("reported by vigil, not by the oracle", extra)
	show("fixed version differs", fixed)
	print("  pairs: oracle %d, vigil %d, in both %d, fixed versions equal %d"
	      % (len(want), len(got), len(set(want) & set(got)), len(set(want) & set(got)) - len(fixed)))
	return 1 if missing or extra or fixed else 0


if __name__ == "__main__":
	if len(sys.argv) == 3 and sys.argv[1] == "extract":
		extract(sys.argv[2])
	elif len(sys.argv) == 4 and sys.argv[1] == "diff":
		sys.exit(diff(sys.argv[2], sys.argv[3]))
	else:
		print(__doc__, file=sys.stderr)
		sys.exit(2)
