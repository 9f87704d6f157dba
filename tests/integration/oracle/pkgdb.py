"""tests/integration/oracle/pkgdb.py: what is installed in a root filesystem,
read for the accuracy oracle without any of vigil's code.

  release   etc/os-release (else usr/lib/os-release), else etc/alpine-release
  dpkg      var/lib/dpkg/status and var/lib/dpkg/status.d/* (distroless),
            parsed here (RFC 822 stanzas, as dpkg-query reads them)
  apk       lib/apk/db/installed, parsed here (P:, V:, A:, o: lines)
  rpm       var/lib/rpm (or usr/lib/sysimage/rpm) queried with the real
            `rpm -qa` on a private copy of the database

Every package is a dict: name, version, arch, src (source package name),
src_version (the version the source package is compared at), module
(rpm modularity name:stream or None) and kind (dpkg, apk, rpm).
"""
import os
import re
import shutil
import subprocess
import tempfile


# ---------------------------------------------------------------- release
def _shell_value(v):
	v = v.strip()
	if len(v) >= 2 and v[0] == v[-1] and v[0] in "\"'":
		v = v[1:-1]
	return v


def read_release(root):
	"""{'ID': ..., 'VERSION_ID': ..., 'VERSION_CODENAME': ...} of the image."""
	for rel in ("etc/os-release", "usr/lib/os-release"):
		p = os.path.join(root, rel)
		if os.path.isfile(p):
			out = {}
			for line in open(p, encoding="utf-8", errors="replace"):
				line = line.strip()
				if not line or line.startswith("#") or "=" not in line:
					continue
				k, v = line.split("=", 1)
				out[k.strip()] = _shell_value(v)
			return out
	p = os.path.join(root, "etc/alpine-release")
	if os.path.isfile(p):
		return {"ID": "alpine", "VERSION_ID": open(p).read().strip()}
	return {}


DEBIAN_CODENAMES = {"8": "jessie", "9": "stretch", "10": "buster", "11": "bullseye", "12": "bookworm", "13": "trixie"}


def namespace(rel):
	"""The feeds' name for the image's release: (namespace, codename)."""
	did, vid = rel.get("ID", ""), rel.get("VERSION_ID", "")
	code = rel.get("VERSION_CODENAME") or rel.get("UBUNTU_CODENAME") or ""
	if did == "ubuntu":
		m = re.match(r"^(\d+\.\d+)", vid)
		return "ubuntu:" + m.group(1), code
	if did == "debian":
		major = vid.split(".")[0]
		return "debian:" + major, code or DEBIAN_CODENAMES.get(major, "")
	if did == "alpine":
		m = re.match(r"^(\d+)\.(\d+)", vid)
		return "alpine:%s.%s" % (m.group(1), m.group(2)), "v%s.%s" % (m.group(1), m.group(2))
	if did in ("rhel", "centos", "rocky", "almalinux"):
		return "rhel:" + vid.split(".")[0], ""
	raise SystemExit("oracle: no namespace for %r %r" % (did, vid))


# ---------------------------------------------------------------- dpkg
def _stanzas(text):
	"""RFC 822 paragraphs as dicts (continuation lines joined)."""
	cur, last = {}, None
	for line in text.split("\n"):
		if not line.strip():
			if cur:
				yield cur
			cur, last = {}, None
			continue
		if line[0] in " \t":
			if last:
				cur[last] += "\n" + line
			continue
		if ":" in line:
			k, v = line.split(":", 1)
			last = k.strip()
			cur[last] = v.strip()
	if cur:
		yield cur


# dpkg's "present on disk" states (dpkg-query shows these as i?, h?)
_DPKG_PRESENT = {"installed", "half-installed", "unpacked", "half-configured", "triggers-awaited", "triggers-pending"}


def _dpkg_package(st):
	name, version = st.get("Package"), st.get("Version")
	if not name or not version:
		return None
	src, src_version = name, version
	if st.get("Source"):
		m = re.match(r"^(\S+)(?:\s+\((\S+)\))?", st["Source"])
		src = m.group(1)
		if m.group(2):
			src_version = m.group(2)
	return {"kind": "dpkg", "name": name, "version": version, "arch": st.get("Architecture", ""),
		"src": src, "src_version": src_version, "module": None}


def read_dpkg(root):
	out = []
	status = os.path.join(root, "var/lib/dpkg/status")
	if os.path.isfile(status):
		for st in _stanzas(open(status, encoding="utf-8", errors="replace").read()):
			words = st.get("Status", "").split()
			if len(words) != 3 or words[2] not in _DPKG_PRESENT:
				continue
			p = _dpkg_package(st)
			if p:
				out.append(p)
	sd = os.path.join(root, "var/lib/dpkg/status.d")
	if os.path.isdir(sd):
		for f in sorted(os.listdir(sd)):
			if f.endswith(".md5sums"):
				continue
			for st in _stanzas(open(os.path.join(sd, f), encoding="utf-8", errors="replace").read()):
				words = st.get("Status", "install ok installed").split()
				if len(words) == 3 and words[2] not in _DPKG_PRESENT:
					continue
				p = _dpkg_package(st)
				if p:
					out.append(p)
	return out


# ---------------------------------------------------------------- apk
def read_apk(root):
	path = os.path.join(root, "lib/apk/db/installed")
	out = []
	if not os.path.isfile(path):
		return out
	for block in open(path, encoding="utf-8", errors="replace").read().split("\n\n"):
		f = {}
		for line in block.split("\n"):
			if len(line) > 2 and line[1] == ":" and line[0] not in f:
				f[line[0]] = line[2:]
		if not f.get("P") or not f.get("V"):
			continue  # apk itself ignores an entry without a name or version
		out.append({"kind": "apk", "name": f["P"], "version": f["V"], "arch": f.get("A", ""),
			    "src": f.get("o") or f["P"], "src_version": f["V"], "module": None})
	return out


# ---------------------------------------------------------------- rpm
_RPM_DBS = (("rpmdb.sqlite", "sqlite"), ("Packages.db", "ndb"), ("Packages", "bdb_ro"))


def read_rpm(root):
	out = []
	for d in ("var/lib/rpm", "usr/lib/sysimage/rpm"):
		dbdir = os.path.join(root, d)
		if not os.path.isdir(dbdir):
			continue
		for fname, backend in _RPM_DBS:
			if not os.path.isfile(os.path.join(dbdir, fname)):
				continue
			with tempfile.TemporaryDirectory() as tmp:
				shutil.copy(os.path.join(dbdir, fname), os.path.join(tmp, fname))
				fmt = "%{NAME}\\t%{EPOCH}\\t%{VERSION}\\t%{RELEASE}\\t%{ARCH}\\t%{SOURCERPM}\\t%{MODULARITYLABEL}\\n"
				r = subprocess.run(["rpm", "--dbpath", tmp, "--define", "_db_backend " + backend, "-qa", "--qf", fmt],
						   capture_output=True, text=True)
				if r.returncode != 0:
					raise SystemExit("oracle: rpm -qa failed on %s: %s" % (dbdir, r.stderr))
			for line in r.stdout.splitlines():
				name, epoch, ver, rel, arch, srpm, mod = line.split("\t")
				if name == "gpg-pubkey":
					continue  # a key, not a package
				epoch = "" if epoch == "(none)" else epoch
				evr = ("%s:" % epoch if epoch else "") + "%s-%s" % (ver, rel)
				src, src_evr = name, evr
				m = re.match(r"^(.+)-([^-]+)-([^-]+)\.(?:no)?src\.rpm$", srpm)
				if m:
					src = m.group(1)
					src_evr = ("%s:" % epoch if epoch else "") + "%s-%s" % (m.group(2), m.group(3))
				module = None
				if mod and mod != "(none)":
					parts = mod.split(":")
					module = ":".join(parts[:2])
				out.append({"kind": "rpm", "name": name, "version": evr, "arch": arch, "src": src,
					    "src_version": src_evr, "module": module})
			return out
	return out


def read_packages(root):
	return read_dpkg(root) + read_apk(root) + read_rpm(root)
