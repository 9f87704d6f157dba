#!/usr/bin/env python3
"""tests/integration/lib/sbom_check.py: validates SBOMs against the real
schemas of ../shared/testdata/specs (no network: the CycloneDX schema's
$refs to spdx.schema.json and jsf-0.82.schema.json resolve to the files
beside it through a `referencing` registry), with format checks on, and
prints facts about them for the shell tests to compare.

  sbom_check.py validate cyclonedx|spdx SPECS_DIR FILE...   exit 0 when all are valid
  sbom_check.py purls FILE          the sorted purls of the packages (CycloneDX or SPDX),
                                    one a line (the image's own purl left out)
  sbom_check.py count FILE          how many packages have a purl
"""
import json
import os
import sys

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def cyclonedx_validator(specs):
    d = os.path.join(specs, "cyclonedx")
    bom = load(os.path.join(d, "bom-1.6.schema.json"))
    reg = Registry()
    for name in ("spdx.schema.json", "jsf-0.82.schema.json", "bom-1.6.schema.json"):
        res = Resource.from_contents(load(os.path.join(d, name)), default_specification=DRAFT7)
        reg = reg.with_resource("http://cyclonedx.org/schema/" + name, res)
    cls = jsonschema.validators.validator_for(bom)
    return cls(bom, registry=reg, format_checker=cls.FORMAT_CHECKER)


def spdx_validator(specs):
    schema = load(os.path.join(specs, "spdx", "spdx-schema-2.3.json"))
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def validate(kind, specs, files):
    v = cyclonedx_validator(specs) if kind == "cyclonedx" else spdx_validator(specs)
    bad = 0
    for path in files:
        errors = sorted(v.iter_errors(load(path)), key=lambda e: list(e.absolute_path))
        for e in errors[:10]:
            print(f"{path}: {'/'.join(str(p) for p in e.absolute_path)}: {e.message[:300]}")
        if errors:
            bad += 1
    return 1 if bad else 0


def purls(doc):
    out = []
    if doc.get("bomFormat") == "CycloneDX":
        def walk(comps):
            for c in comps or []:
                if c.get("purl") and c.get("type") != "container":
                    out.append(c["purl"])
                walk(c.get("components"))
        walk(doc.get("components"))
    else:
        for p in doc.get("packages", []):
            if p.get("primaryPackagePurpose") == "CONTAINER":
                continue
            for r in p.get("externalRefs", []):
                if r.get("referenceType") == "purl":
                    out.append(r["referenceLocator"])
    return sorted(out)


def main(argv):
    if len(argv) >= 5 and argv[1] == "validate":
        return validate(argv[2], argv[3], argv[4:])
    if len(argv) == 3 and argv[1] == "purls":
        print("\n".join(purls(load(argv[2]))))
        return 0
    if len(argv) == 3 and argv[1] == "count":
        print(len(purls(load(argv[2]))))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
