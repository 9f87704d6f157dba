"""tests/integration/oracle/vercmp.py: version comparison for the accuracy
oracle, taken from the real tools wherever Debian 12 has them, never from
vigil's code.

  dpkg  apt_pkg.version_compare (python3-apt, dpkg's own algorithm), else
        `dpkg --compare-versions` (one process per pair, cached).
  rpm   rpm.labelCompare (python3-rpm, librpm's rpmvercmp on E, V, R), else
        `rpm --eval '%{lua: print(rpm.vercmp(a, b))}'` (librpm as well).
  apk   apk-tools is not in Debian's archive, so the ordering is written out
        here from apk-tools' documented version grammar
        digit{.digit}...{letter}{_suffix{number}}...{~hash}{-rN}; it is checked
        against the 738 comparisons of apk-tools' own test/unit/version.data
        (../shared/testdata/versions/apk.tsv) by `vercmp.py --selftest`.

Each cmp_* returns -1, 0 or 1. Run `python3 vercmp.py --selftest DATA` to
check all three against ../shared/testdata/versions (DATA is that folder).
"""
import functools
import re
import subprocess
import sys

# ---------------------------------------------------------------- dpkg
try:
	import apt_pkg  # type: ignore
	apt_pkg.init_system()
	DPKG_TOOL = "apt_pkg.version_compare (python3-apt)"
except Exception:  # pragma: no cover - depends on the machine
	apt_pkg = None
	DPKG_TOOL = "dpkg --compare-versions"


@functools.lru_cache(maxsize=None)
def cmp_dpkg(a, b):
	if apt_pkg is not None:
		r = apt_pkg.version_compare(a, b)
		return (r > 0) - (r < 0)
	if a == b:
		return 0
	lt = subprocess.run(["dpkg", "--compare-versions", a, "lt", b], stderr=subprocess.DEVNULL).returncode == 0
	if lt:
		return -1
	eq = subprocess.run(["dpkg", "--compare-versions", a, "eq", b], stderr=subprocess.DEVNULL).returncode == 0
	return 0 if eq else 1


# ---------------------------------------------------------------- rpm
try:
	import rpm  # type: ignore
	RPM_TOOL = "rpm.labelCompare (python3-rpm)"
except Exception:  # pragma: no cover
	rpm = None
	RPM_TOOL = "rpm --eval rpm.vercmp (lua)"


def split_evr(evr):
	"""'1:2.0-3.el9' -> ('1', '2.0', '3.el9'); no epoch -> '0', no release -> ''."""
	epoch = "0"
	m = re.match(r"^(\d+):(.*)$", evr)
	if m:
		epoch, evr = m.group(1), m.group(2)
	if "-" in evr:
		ver, rel = evr.rsplit("-", 1)
	else:
		ver, rel = evr, ""
	return epoch, ver, rel


def _lua_quote(s):
	return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'"


@functools.lru_cache(maxsize=None)
def cmp_rpm(a, b):
	"""Compares two [epoch:]version[-release] strings as rpm does."""
	if rpm is not None:
		ea, eb = split_evr(a), split_evr(b)
		# labelCompare treats an empty release as "no release", as rpm does
		r = rpm.labelCompare(tuple(x if x != "" else None for x in ea),
				     tuple(x if x != "" else None for x in eb))
		return (r > 0) - (r < 0)
	out = subprocess.run(["rpm", "--eval", "%%{lua: print(rpm.vercmp(%s, %s))}" % (_lua_quote(a), _lua_quote(b))],
			     capture_output=True, text=True, check=True).stdout.strip()
	r = int(out)
	return (r > 0) - (r < 0)


def cmp_rpm_version(a, b):
	"""rpmvercmp on bare version strings (no epoch or release split)."""
	if rpm is not None:
		r = rpm.labelCompare(("0", a, None), ("0", b, None))
		return (r > 0) - (r < 0)
	return cmp_rpm("0:" + a, "0:" + b) if "-" not in a + b else cmp_rpm(a, b)


# ---------------------------------------------------------------- apk
APK_TOOL = "python implementation of apk-tools' version ordering (apk-tools is not in Debian)"

# Token kinds in grammar order. When two versions agree up to the point
# where their next parts differ in kind, the side whose next kind comes later
# is the older one (END is the latest: "1.0" < "1.0.1", "1.0-r1" < "1.0.1"),
# except that a pre-release suffix always makes its side older.
T_FIRST, T_DIGIT, T_LETTER, T_SUFFIX, T_SUFFIX_NO, T_HASH, T_REV, T_END, T_BAD = range(9)
# suffix ranks: the four pre-release words sort below "no suffix", the
# post-release ones above it
_PRE = ["alpha", "beta", "pre", "rc"]
_POST = ["cvs", "svn", "git", "hg", "p"]
_NONE_RANK = len(_PRE)
_SUFFIX_RANK = {w: i for i, w in enumerate(_PRE)}
_SUFFIX_RANK.update({w: _NONE_RANK + 1 + i for i, w in enumerate(_POST)})
_HEX = set("0123456789abcdefABCDEF")


def _apk_tokens(v):
	"""Yields (kind, text, number) for each part of v, then END or BAD."""
	i, n = 0, len(v)

	def digits(j):
		k = j
		while k < n and v[k].isdigit() and v[k].isascii():
			k += 1
		return k

	j = digits(0)
	if j == 0:
		yield (T_BAD, "", 0)
		return
	yield (T_FIRST, v[:j], int(v[:j]))
	prev, i = T_FIRST, j
	while True:
		if i >= n:
			yield (T_END, "", 0)
			return
		c = v[i]
		if "a" <= c <= "z":
			if prev > T_DIGIT:
				break
			tok = (T_LETTER, c, ord(c))
			i += 1
		elif c == "." or c.isdigit():
			if c == ".":
				if prev > T_DIGIT:
					break
				i += 1
			if prev in (T_FIRST, T_DIGIT):
				kind = T_DIGIT
			elif prev == T_SUFFIX:
				kind = T_SUFFIX_NO
			else:
				break
			j = digits(i)
			if j == i:
				break
			tok = (kind, v[i:j], int(v[i:j]))
			i = j
		elif c == "_":
			if prev > T_SUFFIX_NO:
				break
			j = i + 1
			while j < n and "a" <= v[j] <= "z":
				j += 1
			word = v[i + 1:j]
			if word not in _SUFFIX_RANK:
				break
			tok = (T_SUFFIX, word, _SUFFIX_RANK[word])
			i = j
		elif c == "~":
			if prev >= T_HASH:
				break
			j = i + 1
			while j < n and v[j] in _HEX:
				j += 1
			if j == i + 1:
				break
			tok = (T_HASH, v[i + 1:j], 0)
			i = j
		elif c == "-":
			if prev >= T_REV or not v.startswith("-r", i):
				break
			j = digits(i + 2)
			if j == i + 2:
				break
			tok = (T_REV, v[i + 2:j], int(v[i + 2:j]))
			i = j
		else:
			break
		yield tok
		prev = tok[0]
	yield (T_BAD, "", 0)


def _bytes_order(a, b):
	"""memcmp over the common length, then the shorter first."""
	if a == b:
		return 0
	return -1 if a.encode() < b.encode() else 1


def _apk_token_cmp(ta, tb):
	kind = ta[0]
	if kind == T_DIGIT and (ta[1].startswith("0") or tb[1].startswith("0")):
		return _bytes_order(ta[1], tb[1])  # a leading zero: compared as text (Gentoo rule)
	if kind in (T_FIRST, T_DIGIT, T_SUFFIX_NO, T_REV, T_LETTER, T_SUFFIX):
		return (ta[2] > tb[2]) - (ta[2] < tb[2])
	return _bytes_order(ta[1], tb[1])  # commit hash and anything else


@functools.lru_cache(maxsize=None)
def cmp_apk(a, b):
	ga, gb = _apk_tokens(a), _apk_tokens(b)
	while True:
		ta, tb = next(ga), next(gb)
		if ta[0] != tb[0] or ta[0] >= T_END:
			break
		r = _apk_token_cmp(ta, tb)
		if r:
			return r
	if ta[0] == tb[0]:
		return 0
	# the same up to here: a pre-release suffix makes its side older, else
	# the side whose next part ranks later (ending is the latest) is older
	if ta[0] == T_SUFFIX and ta[2] < _NONE_RANK:
		return -1
	if tb[0] == T_SUFFIX and tb[2] < _NONE_RANK:
		return 1
	return -1 if ta[0] > tb[0] else 1


CMP = {"dpkg": cmp_dpkg, "rpm": cmp_rpm, "apk": cmp_apk}


def selftest(data):
	import os
	bad = 0
	cases = [("dpkg.tsv", cmp_dpkg), ("rpm_evr.tsv", cmp_rpm), ("rpm.tsv", cmp_rpm_version), ("apk.tsv", cmp_apk)]
	for name, fn in cases:
		n = 0
		for line in open(os.path.join(data, name), encoding="utf-8"):
			if not line.strip() or line.startswith("#"):
				continue
			a, b, want = line.rstrip("\n").split("\t")
			got = fn(a, b)
			n += 1
			if got != int(want):
				bad += 1
				print("%s: cmp(%r, %r) = %d, want %s" % (name, a, b, got, want))
		print("%s: %d comparisons" % (name, n))
	print("dpkg: %s; rpm: %s; apk: %s" % (DPKG_TOOL, RPM_TOOL, APK_TOOL))
	return bad


if __name__ == "__main__":
	if len(sys.argv) == 3 and sys.argv[1] == "--selftest":
		sys.exit(1 if selftest(sys.argv[2]) else 0)
	print("usage: vercmp.py --selftest TESTDATA/versions", file=sys.stderr)
	sys.exit(2)
