#!/usr/bin/env python3
"""tests/integration/lib/harbor_check.py: checks an answer of vigil's Harbor
scanner API against Harbor's own OpenAPI document
(scanner-adapter-openapi-v1.2.yaml, OpenAPI 3.0): the status must be one the
operation declares, the Content-Type one its response declares (compared
without spaces and case), and the body must validate against the schema of
that content (the document's components, $refs resolved in place). With
--sbom DIR the report's "sbom" member is validated too, against SPDX 2.3's
or CycloneDX 1.6's own JSON Schema from DIR/{spdx,cyclonedx}.

    harbor_check.py SPEC METHOD PATH STATUS CONTENT_TYPE BODY_FILE [--sbom SPECS_DIR]

A 401 is accepted wherever the document declares security (it does,
globally), with an ErrorResponse body. PATH is the operation's path as the document writes it
("/scan/{scan_request_id}/report"). Exit 0 when it conforms, 1 with the
reasons on stderr. Needs python3-yaml and python3-jsonschema."""
import json
import os
import sys

import jsonschema
import yaml


def norm(media):
    return media.replace(" ", "").lower()


def validator_for(doc, schema):
    # OpenAPI 3.0's schemas are a subset of JSON Schema draft 4/7; keep the
    # components reachable from the root so "#/components/..." resolves
    root = dict(schema)
    root["components"] = doc.get("components", {})
    return jsonschema.Draft7Validator(root)


def errors_of(validator, value):
    return ["%s: %s" % ("/".join(str(p) for p in e.absolute_path) or "(root)", e.message)
            for e in validator.iter_errors(value)]


def sbom_errors(report, specs):
    media = report.get("media_type")
    sbom = report.get("sbom")
    if media == "application/spdx+json":
        schema = json.load(open(os.path.join(specs, "spdx", "spdx-schema-2.3.json")))
        return errors_of(jsonschema.Draft7Validator(schema), sbom)
    if media == "application/vnd.cyclonedx+json":
        base = os.path.join(specs, "cyclonedx")
        from referencing import Registry, Resource
        resources = []
        for name in ("bom-1.6.schema.json", "spdx.schema.json", "jsf-0.82.schema.json"):
            s = json.load(open(os.path.join(base, name)))
            resources.append((name, Resource.from_contents(s)))
            if "$id" in s:
                resources.append((s["$id"], Resource.from_contents(s)))
        registry = Registry().with_resources(resources)
        schema = json.load(open(os.path.join(base, "bom-1.6.schema.json")))
        cls = jsonschema.validators.validator_for(schema)
        return errors_of(cls(schema, registry=registry), sbom)
    return ["media_type %r is neither SPDX nor CycloneDX" % media]


def main(argv):
    if len(argv) not in (7, 9):
        print(__doc__, file=sys.stderr)
        return 2
    spec, method, path, status, ctype, body_file = argv[1:7]
    doc = yaml.safe_load(open(spec))
    op = doc["paths"].get(path, {}).get(method.lower())
    if op is None:
        print("no operation %s %s in the document" % (method, path), file=sys.stderr)
        return 1
    responses = {str(k): v for k, v in op.get("responses", {}).items()}
    resp = responses.get(status)
    if resp is None and status == "401" and (op.get("security") or doc.get("security")):
        # the document declares HTTP authentication for every operation
        # (security: BasicAuth, BearerAuth): its refusal is implied, an
        # ErrorResponse as the other errors
        resp = {"content": {"application/vnd.scanner.adapter.error+json; version=1.0":
                            {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}}
    if resp is None:
        print("%s %s: status %s is not declared (declared: %s)" % (method, path, status, ", ".join(responses)),
              file=sys.stderr)
        return 1
    content = resp.get("content") or {}
    body = open(body_file, "rb").read()
    if not content:
        return 0  # no body described (302, 404)
    media = {norm(k): v for k, v in content.items()}
    got = media.get(norm(ctype))
    if got is None:
        print("%s %s %s: Content-Type %r is not declared (declared: %s)" % (method, path, status, ctype,
              ", ".join(content)), file=sys.stderr)
        return 1
    schema = got.get("schema") or {}
    if schema.get("type") == "string":
        return 0
    try:
        value = json.loads(body)
    except ValueError as e:
        print("%s %s %s: the body is not JSON: %s" % (method, path, status, e), file=sys.stderr)
        return 1
    errs = errors_of(validator_for(doc, schema), value)
    if len(argv) == 9 and argv[7] == "--sbom" and isinstance(value, dict) and "sbom" in value:
        errs += ["sbom: " + e for e in sbom_errors(value, argv[8])]
    for e in errs[:20]:
        print("%s %s %s: %s" % (method, path, status, e), file=sys.stderr)
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
