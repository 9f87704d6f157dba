#!/usr/bin/env python3
"""bench/lib/osvdb.py: one set of OSV records for vigil and osv-scanner, so
that their findings can be compared on the same data (issue 13).

Reads the OSV feeds of ../shared/testdata/feeds/osv/ as they are stored:
  go-vulndb/osv/*.json          Go vulndb (OSV JSON)
  rustsec-osv/crates/*.json     RustSec (OSV JSON)
  pypa-advisory-db/vulns/*/*.yaml  PyPA (OSV written as YAML)
  ghsa-maven-slice/*.json       {"vulns": [record, ...]} (GitHub advisories)
and writes, under OUT:
  json/<id>.json                every record once, as JSON (timestamps as
                                RFC 3339): what `vigil db import` reads
  osv-scalibr/<Ecosystem>/all.zip  the records affecting each ecosystem
                                (<id>.json inside), the layout of
                                osv-scanner's offline databases
                                (`osv-scanner --local-db-path OUT`: osv-scalibr
                                reads OUT/osv-scalibr/<Ecosystem>/all.zip)
A record without an id is skipped (counted on stderr); the first of two
records with one id wins (the feeds do not overlap).

  osvdb.py FEEDS_OSV_DIR OUT
"""
import datetime
import glob
import json
import os
import sys
import zipfile

import yaml


def rfc3339(o):
    if isinstance(o, datetime.datetime):
        if o.tzinfo is None:
            o = o.replace(tzinfo=datetime.timezone.utc)
        return o.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(o, datetime.date):
        return o.isoformat() + "T00:00:00Z"
    raise TypeError(type(o))


def records(feeds):
    for p in sorted(glob.glob(os.path.join(feeds, "go-vulndb", "osv", "*.json"))
                    + glob.glob(os.path.join(feeds, "rustsec-osv", "crates", "*.json"))):
        with open(p, encoding="utf-8") as f:
            yield json.load(f)
    for p in sorted(glob.glob(os.path.join(feeds, "pypa-advisory-db", "vulns", "*", "*.yaml"))):
        with open(p, encoding="utf-8") as f:
            yield yaml.safe_load(f)
    for p in sorted(glob.glob(os.path.join(feeds, "ghsa-maven-slice", "*.json"))):
        with open(p, encoding="utf-8") as f:
            doc = json.load(f)
        yield from doc.get("vulns", []) if isinstance(doc, dict) else doc


def main(feeds, out):
    os.makedirs(os.path.join(out, "json"), exist_ok=True)
    seen, skipped = set(), 0
    per_eco = {}
    for rec in records(feeds):
        if not isinstance(rec, dict) or not rec.get("id"):
            skipped += 1
            continue
        if rec["id"] in seen:
            continue
        seen.add(rec["id"])
        text = json.dumps(rec, default=rfc3339, ensure_ascii=False, sort_keys=True)
        with open(os.path.join(out, "json", rec["id"] + ".json"), "w", encoding="utf-8") as f:
            f.write(text)
        for a in rec.get("affected") or []:
            eco = ((a.get("package") or {}).get("ecosystem") or "").split(":")[0]
            if eco:
                per_eco.setdefault(eco, {})[rec["id"]] = text
    for eco, recs in per_eco.items():
        d = os.path.join(out, "osv-scalibr", eco)
        os.makedirs(d, exist_ok=True)
        with zipfile.ZipFile(os.path.join(d, "all.zip"), "w", zipfile.ZIP_DEFLATED) as z:
            for i in sorted(recs):
                z.writestr(i + ".json", recs[i])
    print(f"osvdb: {len(seen)} records ({', '.join(f'{e} {len(r)}' for e, r in sorted(per_eco.items()))});"
          f" {skipped} without an id skipped", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    main(sys.argv[1], sys.argv[2])
