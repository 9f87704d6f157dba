#!/usr/bin/env python3
"""tests/integration/lib/sbom_check.py: validates SBOMs against the real
schemas of ../shared/testdata/specs (no network: the CycloneDX schema's
$refs to spdx.schema.json and jsf-0.82.schema.json resolve to the files
beside it through a `referencing` registry), with format checks on, and
prints facts about them for the shell tests to compare.

  sbom_check.py validate cyclonedx|spdx SPECS_DIR FILE...   exit 0 when all are valid
  sbom_check.py purls FILE          the packages' purls, normalised (each part
                                    percent-decoded, qualifiers sorted), sorted and
                                    unique, one a line; FILE is CycloneDX, SPDX,
                                    syft-json or Trivy's JSON report; the image's own
                                    purl is left out
  sbom_check.py count FILE          how many packages have a purl (duplicates counted)
  sbom_check.py os FILE             "NAME VERSION" of the operating system it names
"""
import json
import os
import sys
import urllib.parse

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
    """Every package purl of a document, as written (duplicates kept)."""
    out = []
    if doc.get("bomFormat") == "CycloneDX":
        def walk(comps):
            for c in comps or []:
                if c.get("purl") and c.get("type") != "container":
                    out.append(c["purl"])
                walk(c.get("components"))
        walk(doc.get("components"))
    elif "spdxVersion" in doc:
        for p in doc.get("packages", []):
            if p.get("primaryPackagePurpose") == "CONTAINER":
                continue
            for r in p.get("externalRefs", []):
                if r.get("referenceType") == "purl":
                    out.append(r["referenceLocator"])
    elif "artifacts" in doc:  # syft-json
        out = [a["purl"] for a in doc["artifacts"] if a.get("purl")]
    elif "Results" in doc:  # trivy's JSON report
        for r in doc.get("Results") or []:
            for p in r.get("Packages") or []:
                if p.get("Identifier", {}).get("PURL"):
                    out.append(p["Identifier"]["PURL"])
    return out


def norm(purl):
    """A purl with every part percent-decoded and its qualifiers sorted, so
    that two writers' encodings of one purl compare equal."""
    rest, _, sub = purl.partition("#")
    rest, _, quals = rest.partition("?")
    q = sorted(urllib.parse.unquote(x) for x in quals.split("&") if x)
    out = urllib.parse.unquote(rest)
    if q:
        out += "?" + "&".join(q)
    if sub:
        out += "#" + urllib.parse.unquote(sub)
    return out


def os_of(doc):
    if doc.get("bomFormat") == "CycloneDX":
        for c in doc.get("components", []):
            if c.get("type") == "operating-system":
                return f"{c.get('name', '')} {c.get('version', '')}"
    elif "spdxVersion" in doc:
        for p in doc.get("packages", []):
            if p.get("primaryPackagePurpose") in ("OPERATING_SYSTEM", "OPERATING-SYSTEM"):
                return f"{p.get('name', '')} {p.get('versionInfo', '')}"
    elif "distro" in doc:
        return f"{doc['distro'].get('id', '')} {doc['distro'].get('versionID', '')}"
    elif "Metadata" in doc:
        o = doc["Metadata"].get("OS") or {}
        return f"{o.get('Family', '')} {o.get('Name', '')}"
    return ""


def main(argv):
    if len(argv) >= 5 and argv[1] == "validate":
        return validate(argv[2], argv[3], argv[4:])
    if len(argv) == 3 and argv[1] == "purls":
        for p in sorted(set(norm(p) for p in purls(load(argv[2])))):
            print(p)
        return 0
    if len(argv) == 3 and argv[1] == "os":
        print(os_of(load(argv[2])))
        return 0
    if len(argv) == 3 and argv[1] == "count":
        print(len(purls(load(argv[2]))))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
