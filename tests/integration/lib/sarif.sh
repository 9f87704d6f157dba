# tests/integration/lib/sarif.sh: SARIF checks the integration tests share
# (sourced, never run): validity against the OASIS schema in
# ../shared/testdata/specs (Python jsonschema: the schema's own draft-04
# validator, and Draft 7 as a second opinion), and the rules GitHub code
# scanning applies to an upload. Needs $SARIF_SCHEMA.
# shellcheck shell=bash

sarif_valid() { # FILE: the OASIS schema, with its own draft and with Draft 7
	python3 - "$SARIF_SCHEMA" "$1" <<'PY'
import json, sys, jsonschema
schema, doc = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
bad = 0
for cls in (jsonschema.validators.validator_for(schema), jsonschema.Draft7Validator):
    for e in list(cls(schema).iter_errors(doc))[:5]:
        bad += 1
        print(cls.__name__, list(e.path), e.message[:200])
sys.exit(1 if bad else 0)
PY
}

github_rules() { # FILE: what GitHub code scanning requires of an upload
	python3 - "$1" <<'PY'
import json, re, sys
d = json.load(open(sys.argv[1]))
assert d["version"] == "2.1.0" and len(d["runs"]) == 1, "one 2.1.0 run"
run = d["runs"][0]; drv = run["tool"]["driver"]; rules = drv["rules"]
assert drv["name"], "driver name"
ids = [r["id"] for r in rules]
assert len(ids) == len(set(ids)), "rule ids unique"
for r in rules:
    sev = r["properties"]["security-severity"]
    assert isinstance(sev, str) and re.fullmatch(r"\d+(\.\d+)?", sev) and 0 <= float(sev) <= 10, sev
    assert r["shortDescription"]["text"] and r["fullDescription"]["text"] and r["help"]["text"], r["id"]
    assert len(r["properties"]["tags"]) <= 20 and r["defaultConfiguration"]["level"] in ("error", "warning", "note")
    assert "helpUri" not in r or re.match(r"https?://\S+$", r["helpUri"]), r["helpUri"]
assert len(run["results"]) <= 25000
for res in run["results"]:
    i = res["ruleIndex"]
    assert 0 <= i < len(rules) and rules[i]["id"] == res["ruleId"], res["ruleId"]
    assert res["message"]["text"] and res["level"] in ("error", "warning", "note")
    assert 1 <= len(res["locations"]) <= 10
    for loc in res["locations"]:
        pl = loc["physicalLocation"]
        uri = pl["artifactLocation"]["uri"]
        assert uri and not uri.startswith("/") and re.fullmatch(r"[A-Za-z0-9\-._~!$&'()*+,;=:@/%]+", uri), uri
        assert pl["region"]["startLine"] >= 1
    fp = res["partialFingerprints"]
    assert fp.get("vigil/v1") or fp.get("vigil-audit/v1"), fp
PY
}

