#!/bin/bash
# scripts/pg-test.sh: a PostgreSQL server for the tests (never for real
# data): trust authentication, fsync off, listening on 127.0.0.1 only.
#
#   scripts/pg-test.sh start DIR [PORT]   initdb DIR/data if needed, start it
#                                         (PORT default 54330, unix socket in
#                                         DIR; DIR/cluster links to a folder
#                                         under /tmp when the postgres user
#                                         cannot reach DIR) and print the DSN
#                                         postgres://postgres@127.0.0.1:PORT/postgres
#                                         (already running: only prints it)
#   scripts/pg-test.sh stop DIR [--remove] stop it (pg_ctl, by its
#                                         postmaster.pid); --remove deletes DIR
#
# Run as root, the server runs as the postgres user (runuser); as another
# user, as that user. Exits 77 with a message when PostgreSQL's binaries
# are missing and cannot be installed (as root: apt-get install postgresql).
set -euo pipefail

usage() { echo "usage: $0 start DIR [PORT] | stop DIR [--remove]" >&2; exit 2; }

find_bin() {
	local d
	for d in "${PG_BIN:-}" /usr/lib/postgresql/*/bin; do
		if [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
			echo "$d"
			return 0
		fi
	done
	if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
		dirname "$(command -v pg_ctl)"
		return 0
	fi
	return 1
}

pgbin() {
	local b
	if b=$(find_bin); then echo "$b"; return 0; fi
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "pg-test: PostgreSQL is not installed: apt-get install postgresql" >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null 2>&1 || true
		if b=$(find_bin); then echo "$b"; return 0; fi
	fi
	echo "SKIP: PostgreSQL's initdb and pg_ctl are not installed (apt-get install postgresql)" >&2
	exit 77
}

# as_pg CMD...: runs CMD as the server's user.
as_pg() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

# home DIR: where the cluster of DIR lives: DIR itself, or when the
# postgres user cannot reach DIR (a parent folder closed to others, as
# mktemp -d makes them) a folder under /tmp that DIR/cluster links to.
home() {
	local d=$1 alt
	if [ -L "$d/cluster" ]; then
		readlink "$d/cluster"
		return 0
	fi
	if [ "$(id -u)" != 0 ] || runuser -u postgres -- test -w "$d" 2>/dev/null; then
		echo "$d"
		return 0
	fi
	alt=/tmp/vigil-pg-$(printf '%s' "$d" | cksum | cut -d' ' -f1)
	mkdir -p "$alt" && chown postgres: "$alt" && ln -sfn "$alt" "$d/cluster" && echo "$alt"
}

[ $# -ge 2 ] || usage
cmd=$1
dir=$2

case "$cmd" in
start)
	port=${3:-54330}
	case "$port" in '' | *[!0-9]*) usage ;; esac
	bin=$(pgbin)
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	dsn="postgres://postgres@127.0.0.1:$port/postgres"
	if [ "$(id -u)" = 0 ]; then
		id postgres >/dev/null 2>&1 || { echo "SKIP: no postgres user to run the server as" >&2; exit 77; }
		chown postgres: "$dir"
	fi
	dir=$(home "$dir")
	if [ -f "$dir/data/postmaster.pid" ] && as_pg "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
		echo "$dsn"
		exit 0
	fi
	if [ ! -f "$dir/data/PG_VERSION" ]; then
		rm -rf "$dir/data"
		as_pg "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale --no-sync \
			>"$dir/initdb.log" 2>&1 || { echo "pg-test: initdb failed:" >&2; tail -n 20 "$dir/initdb.log" >&2; exit 1; }
	fi
	# a port held for a moment (a client socket's) is retried a few times
	for try in 1 2 3 4 5; do
		rm -f "$dir/server.log"
		if as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
			-o "-k $dir -h 127.0.0.1 -p $port -F -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
			start >/dev/null 2>&1; then
			break
		fi
		if [ "$try" = 5 ] || ! grep -q "Address already in use" "$dir/server.log"; then
			echo "pg-test: the server did not start on 127.0.0.1:$port:" >&2
			tail -n 20 "$dir/server.log" >&2
			exit 1
		fi
		sleep 2
	done
	echo "$dsn"
	;;
stop)
	remove=${3:-}
	top=$dir
	[ -d "$dir" ] && dir=$(home "$dir")
	if [ -f "$dir/data/postmaster.pid" ]; then
		bin=$(pgbin)
		as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || {
			# pg_ctl could not: the postmaster's pid, from its own file
			pid=$(head -n 1 "$dir/data/postmaster.pid")
			case "$pid" in '' | *[!0-9]*) ;; *) kill -TERM "$pid" 2>/dev/null || true ;; esac
		}
	fi
	if [ "$remove" = --remove ]; then rm -rf "$dir" "$top"; fi
	;;
*)
	usage
	;;
esac
