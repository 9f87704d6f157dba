# tests/integration/lib/db.sh: the store of an integration test on either
# backend (sourced after lib/common.sh's it_init, never run itself).
#
#   DB=$(vigil_db NAME)     a --db value: $T/NAME.db, or with VIGIL_TEST_PG
#                           set (the base DSN of scripts/pg-test.sh, as
#                           ctest's pg/integration/* tests give it) the DSN
#                           of a database of its own, created on first use:
#                           the same NAME gives the same store, as the same
#                           SQLite path would.
#   vigil_db_sql DB SQL     runs SQL on that store (sqlite3 or psql); the
#                           tables and columns are the same on both.
#   vigil_db_is_pg          true when the stores are PostgreSQL databases.
#
# The databases are named vigil_it_<pid>_<name>_<hash>; they are dropped
# when the test's shell exits (a watcher started here waits for it: the
# tests set EXIT traps of their own), and with the whole test server at
# the end of a ctest run (pg/stop).
# shellcheck shell=bash

vigil_db_is_pg() { [ -n "${VIGIL_TEST_PG:-}" ]; }

# The base DSN with its database replaced by $1.
_vigil_db_dsn() {
	local base=$VIGIL_TEST_PG query=
	case "$base" in
	postgres://* | postgresql://*)
		case "$base" in *\?*) query="?${base#*\?}" base=${base%%\?*} ;; esac
		local scheme=${base%%://*} rest=${base#*://}
		case "$rest" in */*) rest=${rest%%/*} ;; esac
		echo "$scheme://$rest/$1$query"
		;;
	*) echo "$base dbname=$1" ;;
	esac
}

vigil_db() {
	local name=$1 db sum
	if ! vigil_db_is_pg; then
		echo "$T/$name.db"
		return 0
	fi
	command -v psql >/dev/null 2>&1 || { echo "vigil_db: psql is not installed" >&2; return 1; }
	sum=$(printf '%s' "$name" | cksum | cut -d' ' -f1)
	db="vigil_it_$$_$(printf '%s' "$name" | tr 'A-Z' 'a-z' | tr -c 'a-z0-9_' '_' | cut -c1-30)_$((sum % 100000))"
	if [ -z "$(psql "$VIGIL_TEST_PG" -qAtX -c "SELECT 1 FROM pg_database WHERE datname = '$db'" 2>/dev/null)" ] &&
		! psql "$VIGIL_TEST_PG" -qAtX -v ON_ERROR_STOP=1 -c "CREATE DATABASE $db" >/dev/null; then
		echo "vigil_db: cannot create database $db on $VIGIL_TEST_PG" >&2
		return 1
	fi
	_vigil_db_dsn "$db"
}

vigil_db_sql() {
	case "$1" in
	postgres://* | postgresql://* | *host=* | *dbname=*) psql "$1" -qAtX -v ON_ERROR_STOP=1 -c "$2" ;;
	*) sqlite3 "${1#sqlite:}" "$2" ;;
	esac
}

# Drops the databases vigil_db made for the shell of pid $1.
_vigil_db_drop_all() {
	local db
	for db in $(psql "$VIGIL_TEST_PG" -qAtX -c \
		"SELECT datname FROM pg_database WHERE datname LIKE 'vigil\\_it\\_$1\\_%'" 2>/dev/null); do
		psql "$VIGIL_TEST_PG" -qAtX -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1
	done
}

if vigil_db_is_pg && [ -z "${_VIGIL_DB_WATCHER:-}" ]; then
	_VIGIL_DB_WATCHER=1
	(
		while kill -0 $$ 2>/dev/null; do sleep 1; done
		_vigil_db_drop_all $$
	) </dev/null >/dev/null 2>&1 &
	disown 2>/dev/null || true
fi
