#!/usr/bin/env bash
# scripts/checksrc.sh [ROOT]: the house rules a compiler does not check, over
# src/ (curl's CHECKSRC idea). Registered as the ctest test `checksrc`, so
# `make test` runs it. Prints FILE:LINE: what, one line per violation, and
# exits 1 when there is any (0 when clean).
#
# 1. Banned functions (src/**/*.c, *.h):
#      strcpy strcat strncpy strncat sprintf vsprintf   -> snprintf, vigil_buf (util/buf.h)
#      strtok strtok_r sscanf                           -> slices (util/slice.h)
#      atoi atol atoll atof                             -> strtol/strtoull with end and range checks
#                                                          (vigil_slice_to_u64 and friends)
#      gets                                             -> fgets / getline
#    strncpy is banned too: it does not terminate a string that fills the
#    buffer and pads the rest with zeros; snprintf or memcpy with an
#    explicit length say what they mean.
# 2. abort() and exit() outside src/cli/: the library returns an error.
# 3. Module boundaries: no file in src/<a>/ includes another module's
#    private header ("<b>/<b>_priv.h", "<b>/*_priv.h", "<b>/*internal.h"),
#    and src/cli/ includes only the public headers (vigil/*.h) and its own.
#    src/server/ (the library's second client, its own build target)
#    includes only vigil/*.h, server/*.h and the util/ ground floor.
# 4. Every function declared in include/vigil/*.h is declared with
#    VIGIL_EXTERN(type) (include/vigil/common.h): the library is compiled
#    with -fvisibility=hidden, so a declaration without it is not exported
#    from libvigil.so (scripts/check-exports.sh checks the built library).
#
# Comments and string literals are ignored. A line that must break a rule
# says so: `/* checksrc: allow NAME */` on that line (NAME the function).
set -u
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root" || exit 2
[ -d src ] || { echo "checksrc: no src/ in $root" >&2; exit 2; }

banned='strcpy|strcat|strncpy|strncat|sprintf|vsprintf|strtok|strtok_r|sscanf|atoi|atol|atoll|atof|gets'

# awk: strip comments, string and character literals (keeping line numbers),
# then report calls of banned functions and abort/exit.
scan() {
	awk -v banned="$banned" -v lib="$2" -v sq="'" '
	function report(name, what) {
		if (index(raw, "checksrc: allow " name) == 0) {
			printf "%s:%d: %s\n", FILENAME, FNR, what
			bad = 1
		}
	}
	{
		raw = $0; line = ""; i = 1; n = length($0)
		while (i <= n) {
			c = substr($0, i, 1); c2 = substr($0, i, 2)
			if (incomment) {
				if (c2 == "*/") { incomment = 0; i += 2 } else i++
				line = line " "
				continue
			}
			if (c2 == "/*") { incomment = 1; i += 2; line = line "  "; continue }
			if (c2 == "//") break
			if (c == "\"" || c == sq) {
				q = c; i++
				while (i <= n && substr($0, i, 1) != q) {
					if (substr($0, i, 1) == "\\") i++
					i++
				}
				i++; line = line q q
				continue
			}
			line = line c; i++
		}
		s = line
		while (match(s, "(^|[^A-Za-z0-9_.>])(" banned ")[ \t]*\\(")) {
			m = substr(s, RSTART, RLENGTH); sub(/^[^A-Za-z_]/, "", m); sub(/[ \t]*\($/, "", m)
			report(m, "banned function " m "() (see scripts/checksrc.sh for the replacement)")
			s = substr(s, RSTART + RLENGTH)
		}
		s = line
		if (lib == 1) {
			while (match(s, "(^|[^A-Za-z0-9_.>])(abort|exit)[ \t]*\\(")) {
				m = substr(s, RSTART, RLENGTH); sub(/^[^A-Za-z_]/, "", m); sub(/[ \t]*\($/, "", m)
				report(m, m "() in library code (return an error instead)")
				s = substr(s, RSTART + RLENGTH)
			}
		}
	}
	END { exit bad }' "$1"
}

rc=0
while IFS= read -r f; do
	case $f in src/cli/*) lib=0 ;; *) lib=1 ;; esac
	scan "$f" "$lib" || rc=1
done < <(find src -type f \( -name '*.c' -o -name '*.h' \) | LC_ALL=C sort)

# Module boundaries.
while IFS= read -r hit; do
	f=${hit%%:*}; rest=${hit#*:}; ln=${rest%%:*}
	mod=${f#src/}; mod=${mod%%/*}
	inc=$(printf '%s\n' "$rest" | sed -E 's/^[0-9]+:[[:space:]]*#[[:space:]]*include[[:space:]]+"([^"]*)".*/\1/')
	case $inc in */*) imod=${inc%%/*} ;; *) imod=$mod ;; esac
	if [ "$mod" = cli ]; then
		case $inc in vigil/*|cli/*) ;; */*)
			echo "$f:$ln: the CLI includes \"$inc\": it uses the public API only (include/vigil/)"; rc=1 ;;
		esac
		continue
	fi
	if [ "$mod" = server ]; then
		case $inc in vigil/*|server/*|util/*) ;; */*)
			echo "$f:$ln: the server includes \"$inc\": it uses the public API (include/vigil/) and util/ only"; rc=1 ;;
		esac
		continue
	fi
	[ "$imod" = "$mod" ] && continue
	case ${inc##*/} in *_priv.h|*internal.h)
		echo "$f:$ln: \"$inc\" is private to src/$imod/ (use its module header or the public API)"; rc=1 ;;
	esac
done < <(grep -rnE '^[[:space:]]*#[[:space:]]*include[[:space:]]+"' src --include='*.c' --include='*.h' | LC_ALL=C sort)

# Public declarations carry VIGIL_EXTERN (a declaration starts at column 0).
if [ -d include/vigil ]; then
	while IFS= read -r hit; do
		echo "${hit%%:[A-Za-z_]*}: public function declared without VIGIL_EXTERN(type): ${hit#*:*:}"
		rc=1
	done < <(grep -nE '^[A-Za-z_][A-Za-z0-9_ ]*[ *]+vigil_[A-Za-z0-9_]+[[:space:]]*\(' include/vigil/*.h |
		grep -vE '^[^:]+:[0-9]+:(VIGIL_EXTERN|typedef|return|extern "C")')
fi

[ $rc = 0 ] && echo "checksrc: src/ and include/vigil/ are clean"
exit $rc
