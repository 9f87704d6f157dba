"""tests/integration/oracle/feeds.py: the raw vulnerability feeds, read for the
accuracy oracle without any of vigil's code, as the feed documents
(docs/feeds-*.md) and the feeds' own FORMAT.md describe them.

Each reader yields entries for ONE release of the image:
  (record_id, package_name, is_source, state, fixed, arch, module)
state is one of "fixed", "not-fixed", "will-not-fix", "not-affected", or
"ranges" for OSV, whose entries carry an 8th field (ranges, versions).
"""
import functools
import glob
import json
import os
import re
import urllib.parse

# ---------------------------------------------------------------- Ubuntu CVE tracker
UCT_STATES = {"needs-triage": "not-fixed", "needed": "not-fixed", "pending": "not-fixed",
	      "deferred": "not-fixed", "ignored": "will-not-fix", "not-affected": "not-affected"}
# line "<release>_<source package>: <status> (<note>)", at column 0
UCT_LINE = re.compile(r"^([a-z][a-z0-9/.-]*)_([a-z0-9][a-z0-9.+-]*):\s*(\S+)\s*(.*)$")


def uct_files(path):
	"""The CVE files of a tracker folder (active/ or the folder itself)."""
	if os.path.isfile(path):
		return [path]
	act = os.path.join(path, "active")
	base = act if os.path.isdir(act) else path
	return sorted(glob.glob(os.path.join(base, "CVE-*")))


def _uct_note_first_word(rest):
	"""'(1.2-3ubuntu1)' or '[1.2-3]' or '(1.2-3' (a missing ')') -> '1.2-3'."""
	rest = rest.strip()
	if rest[:1] in "([":
		rest = rest[1:]
	rest = rest.rstrip(")]").strip()
	return rest.split()[0].rstrip(")]") if rest else ""


def read_uct(path, codename):
	"""Entries for one release codename (bionic). The ESM lines of that
	release (codename/esm, esm-infra/codename, esm-apps/codename,
	esm-infra-legacy/codename) win over the plain line unless they say DNE;
	a DNE line gives nothing (docs/feeds-debian-ubuntu.md, "ESM overrides the
	plain line unless it says DNE")."""
	esm = {codename + "/esm", "esm-infra/" + codename, "esm-apps/" + codename, "esm-infra-legacy/" + codename}
	for f in uct_files(path):
		text = open(f, encoding="utf-8", errors="replace").read()
		m = re.search(r"^Candidate:\s*(\S+)", text, re.M)
		if not m:
			continue
		cve = m.group(1)
		plain, esml = {}, {}
		for line in text.split("\n"):
			lm = UCT_LINE.match(line)
			if not lm:
				continue
			rel, pkg, status, rest = lm.groups()
			if rel == codename:
				plain.setdefault(pkg, (status, rest))
			elif rel in esm and pkg not in esml and status != "DNE":
				esml[pkg] = (status, rest)
		for pkg in sorted(set(plain) | set(esml)):
			status, rest = esml[pkg] if pkg in esml else plain[pkg]
			if status == "DNE":
				continue
			if status == "released":
				fixed = _uct_note_first_word(rest)
				if fixed:
					yield (cve, pkg, True, "fixed", fixed, None, None)
			elif status in UCT_STATES:
				yield (cve, pkg, True, UCT_STATES[status], None, None, None)


# ---------------------------------------------------------------- Alpine secdb
CVE_RE = re.compile(r"CVE[-_ ](\d{4})-(\d{4,})", re.I)
ADV_RE = re.compile(r"^[A-Za-z][A-Za-z0-9]*-[A-Za-z0-9-]*\d")


def secdb_ids(text):
	"""The ids of one secfixes item: its CVEs, else its first advisory id.
	Anything from a token starting with '(' on is a note."""
	toks = []
	for t in text.split():
		if t.startswith("("):
			break
		toks.append(t)
	joined = " ".join(toks)
	cves = ["CVE-%s-%s" % m.groups() for m in CVE_RE.finditer(joined)]
	if cves:
		return list(dict.fromkeys(cves))
	for t in toks:
		if ADV_RE.match(t):
			return [t]
	return []


def read_secdb(path, release):
	"""Entries of the secdb files (JSON) of one release ('v3.4')."""
	files = [path] if os.path.isfile(path) else sorted(glob.glob(os.path.join(path, "**", "*.json"), recursive=True))
	for f in files:
		d = json.load(open(f, encoding="utf-8"))
		dv = str(d.get("distroversion", ""))
		if dv.lstrip("v").split(".")[:2] != release.lstrip("v").split("."):
			continue
		for p in d.get("packages") or []:
			pkg = (p or {}).get("pkg") or {}
			name = pkg.get("name")
			for ver, items in (pkg.get("secfixes") or {}).items():
				for item in items or []:
					for vid in secdb_ids(str(item)):
						if ver == "0":
							yield (vid, name, True, "not-affected", None, None, None)
						else:
							yield (vid, name, True, "fixed", ver, None, None)


# ---------------------------------------------------------------- Debian tracker lists
DEB_TAGS = {"<not-affected>": "not-affected", "<unfixed>": "not-fixed", "<undetermined>": "not-fixed",
	    "<postponed>": "not-fixed", "<removed>": "not-fixed", "<no-dsa>": "will-not-fix",
	    "<ignored>": "will-not-fix", "<end-of-life>": "will-not-fix"}
DEB_HEADER = re.compile(r"^\[\d{1,2} [A-Za-z]{3} \d{4}\] ((?:DSA|DLA|DTSA)-[0-9-]+)\s")
DEB_CVE_HEADER = re.compile(r"^(CVE-\d{4}-\d+)\s")
DEB_PKG = re.compile(r"^\s+(?:\[([a-z-]+)\]\s+)?-\s+(\S+)\s*(\S*)")


def read_debian_lists(paths, codename):
	"""Entries of DSA/DLA/CVE list files for one codename ('buster')."""
	for path in paths:
		files = [path] if os.path.isfile(path) else sorted(glob.glob(os.path.join(path, "**", "*list*"), recursive=True))
		for f in files:
			rid = None
			for line in open(f, encoding="utf-8", errors="replace"):
				line = line.rstrip("\r\n")
				if line and not line[0].isspace():
					m = DEB_HEADER.match(line) or DEB_CVE_HEADER.match(line)
					rid = m.group(1) if m and "XXXX" not in m.group(1) else None
					continue
				if rid is None:
					continue
				m = DEB_PKG.match(line)
				if not m:
					continue
				rel, pkg, what = m.groups()
				if (rel or "sid") != codename:
					continue
				if what.startswith("<"):
					if what in DEB_TAGS:
						yield (rid, pkg, True, DEB_TAGS[what], None, None, None)
				elif what:
					yield (rid, pkg, True, "fixed", what, None, None)


# ---------------------------------------------------------------- Red Hat CSAF (advisories and VEX)
def rh_cpe_namespace(cpe):
	"""cpe:/o:redhat:enterprise_linux:9::baseos -> 'rhel:9'; None when the
	product is not a RHEL release (EUS/AUS/E4S/TUS branches included)."""
	parts = cpe.split(":")
	if len(parts) < 5 or parts[0] != "cpe" or parts[2] != "redhat":
		return None
	product, version = parts[3], parts[4]
	if product in ("enterprise_linux", "rhel_els", "rhel_extras", "rhel_extras_other", "rhel_extras_oracle_java"):
		m = re.match(r"^(\d+)", version)
		return "rhel:" + m.group(1) if m else None
	if product in ("rhel_eus", "rhel_aus", "rhel_e4s", "rhel_tus"):
		return None
	for extra in parts[5:]:
		m = re.match(r"^el(\d+)$", extra)
		if m:
			return "rhel:" + m.group(1)
	return None


def _purl(purl):
	"""pkg:rpm/redhat/NAME[@VERSION]?q=v... -> (name, version, qualifiers)."""
	if not purl.startswith("pkg:rpm/"):
		return None
	rest = purl[len("pkg:rpm/"):]
	q = {}
	if "?" in rest:
		rest, qs = rest.split("?", 1)
		for kv in qs.split("&"):
			if "=" in kv:
				k, v = kv.split("=", 1)
				q[k] = urllib.parse.unquote(v)
	name = rest.split("/", 1)[1] if "/" in rest else rest
	ver = None
	if "@" in name:
		name, ver = name.split("@", 1)
		ver = urllib.parse.unquote(ver)
	return urllib.parse.unquote(name), ver, q


def _csaf_products(doc):
	prods = {}

	def walk(b):
		for x in b.get("branches") or []:
			walk(x)
		if b.get("product"):
			prods[b["product"]["product_id"]] = b["product"]
	walk(doc.get("product_tree") or {})
	for p in (doc.get("product_tree") or {}).get("full_product_names") or []:
		prods[p["product_id"]] = p
	rel = {}
	for r in (doc.get("product_tree") or {}).get("relationships") or []:
		if r.get("category") == "default_component_of":
			rel[r["full_product_name"]["product_id"]] = (r["relates_to_product_reference"], r["product_reference"])
	return prods, rel


CSAF_STATES = {"fixed": "fixed", "known_affected": "not-fixed", "known_not_affected": "not-affected",
	       "under_investigation": "not-fixed"}


def read_csaf(paths, ns):
	"""Entries of CSAF advisories (fixed lists only, id = the RHSA) and VEX
	files (every list, id = the CVE) for one namespace ('rhel:9')."""
	for path in paths:
		files = [path] if os.path.isfile(path) else sorted(glob.glob(os.path.join(path, "**", "*.json"), recursive=True))
		for f in files:
			doc = json.load(open(f, encoding="utf-8"))
			if "csaf_version" not in (doc.get("document") or {}):
				continue
			vex = doc["document"].get("category") == "csaf_vex"
			prods, rel = _csaf_products(doc)
			for v in doc.get("vulnerabilities") or []:
				rid = (v.get("cve") or doc["document"]["tracking"]["id"]) if vex else doc["document"]["tracking"]["id"]
				wnf = set()
				for rem in v.get("remediations") or []:
					if rem.get("category") == "no_fix_planned":
						wnf.update(rem.get("product_ids") or [])
				for lst, ids in (v.get("product_status") or {}).items():
					if lst not in CSAF_STATES or (not vex and lst != "fixed"):
						continue
					for pid in ids:
						if pid not in rel:
							continue
						prod_ref, comp_ref = rel[pid]
						cpe = ((prods.get(prod_ref) or {}).get("product_identification_helper") or {}).get("cpe")
						if not cpe or rh_cpe_namespace(cpe) != ns:
							continue
						comp = prods.get(comp_ref) or {}
						purl = (comp.get("product_identification_helper") or {}).get("purl")
						state = CSAF_STATES[lst]
						if state == "not-fixed" and lst == "known_affected" and pid in wnf:
							state = "will-not-fix"
						if purl:
							pp = _purl(purl)
							if not pp:
								continue
							name, ver, q = pp
							module = None
							if q.get("rpmmod"):
								mp = q["rpmmod"].split(":")
								if len(mp) < 2:
									continue
								module = ":".join(mp[:2])
							arch = q.get("arch")
							is_src = arch == "src"
							if state == "fixed":
								if not ver:
									continue
								fixed = "%s:%s" % (q.get("epoch", "0"), ver)
							else:
								fixed = None
							yield (rid, name, is_src, state, fixed, None if is_src else arch, module)
						else:
							name = comp_ref
							if state != "fixed" and re.match(r"^[A-Za-z0-9][A-Za-z0-9._+-]*$", name):
								yield (rid, name, False, state, None, None, None)


# ---------------------------------------------------------------- Ubuntu OpenVEX
VEX_STATES = {"fixed": "fixed", "affected": "not-fixed", "under_investigation": "not-fixed",
	      "not_affected": "not-affected"}


def _deb_purl(purl):
	"""pkg:deb/ubuntu/NAME@VERSION?arch=..&distro=.. -> (name, version, qualifiers)."""
	if not purl.startswith("pkg:deb/"):
		return None
	rest = purl[len("pkg:deb/"):]
	q = {}
	if "?" in rest:
		rest, qs = rest.split("?", 1)
		for kv in qs.split("&"):
			if "=" in kv:
				k, v = kv.split("=", 1)
				q[k] = urllib.parse.unquote(v)
	name = rest.split("/", 1)[1] if "/" in rest else rest
	ver = None
	if "@" in name:
		name, ver = name.split("@", 1)
		ver = urllib.parse.unquote(ver)
	return urllib.parse.unquote(name), ver, q


def read_ubuntu_vex(path, codename):
	"""Entries of Ubuntu OpenVEX documents for one codename: source purls
	only (arch=source); distro 'esm-infra/bionic' is bionic, and a statement
	for the plain release wins over one for an ESM variant of it
	(docs/feeds-debian-ubuntu.md, "Ubuntu OpenVEX")."""
	files = [path] if os.path.isfile(path) else sorted(glob.glob(os.path.join(path, "**", "*.json"), recursive=True))
	for f in files:
		doc = json.load(open(f, encoding="utf-8"))
		if "statements" not in doc:
			continue
		best = {}  # (id, package) -> (plain?, entry)
		for st in doc["statements"]:
			vid = (st.get("vulnerability") or {}).get("name")
			state = VEX_STATES.get(st.get("status"))
			if not vid or not state:
				continue
			for prod in st.get("products") or []:
				purl = prod.get("@id") if isinstance(prod, dict) else prod
				pp = _deb_purl(purl or "")
				if not pp:
					continue
				name, ver, q = pp
				distro = q.get("distro", "")
				if q.get("arch") != "source" or distro.split("/")[-1] != codename:
					continue
				plain = "/" not in distro
				if state == "fixed" and not ver:
					continue
				e = (vid, name, True, state, ver if state == "fixed" else None, None, None)
				k = (vid, name)
				if k not in best or (plain and not best[k][0]):
					best[k] = (plain, e)
		for k in sorted(best):
			yield best[k][1]


# ---------------------------------------------------------------- OSV (distribution ecosystems)
def osv_namespace(eco):
	"""'Ubuntu:18.04:LTS', 'Ubuntu:Pro:18.04:LTS' -> 'ubuntu:18.04';
	'Debian:12' -> 'debian:12'; 'Alpine:v3.18' -> 'alpine:3.18'; other
	qualified Ubuntu streams (FIPS, Realtime...) -> None."""
	parts = eco.split(":")
	if parts[0] == "Ubuntu":
		rest = parts[1:]
		if rest[:1] == ["Pro"]:
			rest = rest[1:]
		if rest and re.match(r"^\d+\.\d+$", rest[0]) and all(r == "LTS" for r in rest[1:]):
			return "ubuntu:" + rest[0]
		return None
	if parts[0] == "Debian" and len(parts) == 2 and parts[1].isdigit():
		return "debian:" + parts[1]
	if parts[0] == "Alpine" and len(parts) == 2 and re.match(r"^v\d+\.\d+$", parts[1]):
		return "alpine:" + parts[1][1:]
	return None


def read_osv(path, ns):
	"""Entries of OSV documents for one namespace. The state is 'ranges':
	the fixed field holds the single fixed version when the entry's ranges
	have exactly one 'fixed' event (else None), and the 8th field holds
	(ranges, versions) for the matcher to evaluate."""
	files = [path] if os.path.isfile(path) else sorted(glob.glob(os.path.join(path, "**", "*.json"), recursive=True))
	for f in files:
		d = json.load(open(f, encoding="utf-8"))
		for doc in d if isinstance(d, list) else [d]:
			if doc.get("withdrawn"):
				continue
			for a in doc.get("affected") or []:
				pkg = a.get("package") or {}
				if osv_namespace(pkg.get("ecosystem", "")) != ns or not pkg.get("name"):
					continue
				ranges = [r.get("events") or [] for r in a.get("ranges") or [] if r.get("type") != "GIT"]
				fixes = [e["fixed"] for ev in ranges for e in ev if "fixed" in e]
				fixed = fixes[0] if len(fixes) == 1 else None
				yield (doc["id"], pkg["name"], True, "ranges", fixed, None, None, (ranges, a.get("versions") or []))


def osv_affected(ver, ranges, versions, cmp):
	"""OSV's evaluation: in any range (events in version order: introduced
	opens, fixed closes at, last_affected closes after, limit bounds), or one
	of the listed versions."""
	if ver in versions:
		return True
	for events in ranges:
		def key(e):
			return next(iter(e.values()))
		intro = [e["introduced"] for e in events if "introduced" in e]
		if not intro and not events:
			return True
		evs = sorted(events, key=functools.cmp_to_key(
			lambda x, y: -1 if key(x) == "0" and key(y) != "0" else 1 if key(y) == "0" and key(x) != "0" else cmp(key(x), key(y))))
		aff = False
		for e in evs:
			if "introduced" in e and (e["introduced"] == "0" or cmp(ver, e["introduced"]) >= 0):
				aff = True
			elif "fixed" in e and cmp(ver, e["fixed"]) >= 0:
				aff = False
			elif "last_affected" in e and cmp(ver, e["last_affected"]) > 0:
				aff = False
			elif "limit" in e and cmp(ver, e["limit"]) >= 0:
				aff = False
		if aff:
			return True
	return False
