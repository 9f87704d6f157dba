#!/usr/bin/env python3
# tests/integration/lib/openapi_check.py: validates one HTTP response of
# `vigil serve` against an OpenAPI 3.1 document (docs/openapi.json).
#
#   openapi_check.py [--content-type CT] [--schema NAME] OPENAPI METHOD PATH STATUS BODYFILE
#   openapi_check.py --batch QUEUE
#   openapi_check.py --judge quay QUAY_OPENAPI SCHEMA_NAME BODYFILE
#   openapi_check.py --judge clair CLAIR_SCHEMA_DIR FILE.schema.json BODYFILE
#
# --judge validates a body against what the real clients hold: quay, the
# Clair OpenAPI document Quay bundles (OpenAPI 3.0; Quay validates each
# answer against components/schemas/SCHEMA_NAME with jsonschema, refs
# resolved in the document); clair, Clair's own
# httptransport/types/v1/*.schema.json (JSON Schema 2020-12, the files
# cross-referenced by their $id, formats checked). A --judge line may stand
# in a --batch queue too.
#
# --batch: QUEUE holds one JSON array per line, the arguments of one check
# (as lib/openapi.sh queues them); every line is checked in this one
# process (python3 and jsonschema start once), a failed one is printed
# with "FAIL: openapi:" and its reasons; the last line says how many
# passed. Exit 1 when any failed.
#
# It finds the operation (PATH without its query, matched against the
# document's path templates: {x} is one non-empty segment, the template with
# the fewest placeholders wins), the response of STATUS (the exact code, then
# 4XX-style ranges, then "default"; $ref into components/responses
# followed), and validates the body with JSON Schema 2020-12 (refs resolved
# inside the whole document, formats checked). A response without content
# must have an empty body. With --content-type, the media type (before any
# ';') must be one the response documents. With --schema NAME the body is
# validated against components/schemas/NAME instead (for answers no
# operation documents: unknown routes, methods not allowed).
#
# Exit 0 when the response is valid; 1 with a message naming what and where
# when it is not; 2 on bad usage or a broken document.
import argparse
import json
import re
import sys

try:
    import jsonschema
except ImportError as e:  # pragma: no cover
    print(f"openapi_check: needs python3-jsonschema: {e}", file=sys.stderr)
    sys.exit(2)

MAX_ERRORS = int(__import__("os").environ.get("OA_MAX_ERRORS", "10"))
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def die(code, msg):
    print(f"openapi_check: {msg}", file=sys.stderr)
    sys.exit(code)


def esc(token):
    """A JSON pointer token."""
    return token.replace("~", "~0").replace("/", "~1")


def resolve_pointer(doc, pointer):
    node = doc
    for tok in pointer.split("/")[1:]:
        tok = tok.replace("~1", "/").replace("~0", "~")
        if isinstance(node, list):
            node = node[int(tok)]
        else:
            node = node[tok]
    return node


def follow(doc, pointer):
    """Follows $ref of an object that is only a reference (components/responses ...)."""
    seen = set()
    node = resolve_pointer(doc, pointer)
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        if not ref.startswith("#/") or ref in seen:
            die(2, f"{pointer}: cannot follow $ref {ref}")
        seen.add(ref)
        pointer = ref[1:]
        try:
            node = resolve_pointer(doc, pointer)
        except (KeyError, IndexError, ValueError):
            die(2, f"$ref {ref} does not resolve in the document")
    return pointer, node


def check_refs(doc):
    """Every local $ref of the document resolves."""
    stack = [doc]
    while stack:
        n = stack.pop()
        if isinstance(n, dict):
            r = n.get("$ref")
            if isinstance(r, str) and r.startswith("#"):
                try:
                    resolve_pointer(doc, r[1:])
                except (KeyError, IndexError, ValueError):
                    die(2, f"the document's $ref {r} does not resolve")
            stack.extend(n.values())
        elif isinstance(n, list):
            stack.extend(n)


def template_regex(template):
    parts = re.split(r"(\{[^/{}]+\})", template)
    rx = "".join("[^/]+" if p.startswith("{") and p.endswith("}") else re.escape(p) for p in parts)
    return re.compile("^" + rx + "$")


def find_path(doc, path):
    matches = []
    for template in doc.get("paths", {}):
        if template_regex(template).match(path):
            matches.append((template.count("{"), template))
    if not matches:
        return None
    matches.sort()
    return matches[0][1]


def find_response(responses, status):
    for key in (str(status), f"{status // 100}XX", f"{status // 100}xx", "default"):
        if key in responses:
            return key
    return None


def main(argv=None):
    ap = argparse.ArgumentParser(description="Validate one HTTP response against an OpenAPI 3.1 document.")
    ap.add_argument("--content-type", default=None, help="the response's Content-Type header")
    ap.add_argument("--schema", default=None, help="validate against components/schemas/NAME instead")
    ap.add_argument("openapi")
    ap.add_argument("method")
    ap.add_argument("path")
    ap.add_argument("status", type=int)
    ap.add_argument("body")
    a = ap.parse_args(argv)

    try:
        with open(a.openapi, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        die(2, f"{a.openapi}: {e}")
    if not str(doc.get("openapi", "")).startswith("3.1"):
        die(2, f"{a.openapi}: not an OpenAPI 3.1 document")
    check_refs(doc)
    try:
        with open(a.body, "rb") as f:
            body = f.read()
    except OSError as e:
        die(2, f"{a.body}: {e}")

    method = a.method.lower()
    path = a.path.split("?", 1)[0]
    what = f"{a.method.upper()} {a.path} {a.status}"

    if a.schema:
        pointer = "/components/schemas/" + esc(a.schema)
        try:
            resolve_pointer(doc, pointer)
        except (KeyError, IndexError):
            die(2, f"no schema {a.schema} in the document")
        media_types = None
    else:
        template = find_path(doc, path)
        if template is None:
            die(1, f"{what}: no path of the document matches {path}")
        item_ptr, item = follow(doc, "/paths/" + esc(template))
        if method not in item:
            die(1, f"{what}: {template} has no {a.method.upper()} operation "
                   f"(it has {', '.join(m.upper() for m in METHODS if m in item) or 'none'})")
        responses = item[method].get("responses", {})
        key = find_response(responses, a.status)
        if key is None:
            die(1, f"{what}: status {a.status} is not documented for {a.method.upper()} {template} "
                   f"(documented: {', '.join(responses)})")
        resp_ptr, resp = follow(doc, f"{item_ptr}/{method}/responses/{esc(key)}")
        content = resp.get("content")
        if not content:
            if body.strip():
                die(1, f"{what}: the response ({template} {key}) has no content, yet the body is "
                       f"{len(body)} bytes: {body[:120]!r}")
            return 0
        media_types = list(content)
        mt = None
        if a.content_type:
            base = a.content_type.split(";", 1)[0].strip().lower()
            mt = next((m for m in media_types if m.lower() == base), None)
            if mt is None:
                die(1, f"{what}: Content-Type {a.content_type} is not one of {', '.join(media_types)}")
        else:
            mt = "application/json" if "application/json" in content else media_types[0]
        if "schema" not in content[mt]:
            return 0
        pointer = f"{resp_ptr}/content/{esc(mt)}/schema"

    try:
        instance = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        die(1, f"{what}: the body is not JSON ({e}): {body[:120]!r}")

    # The document itself is the root schema (its OpenAPI members are
    # keywords JSON Schema ignores), so "#/components/..." resolve in it
    # with any jsonschema 4.x.
    schema = dict(doc)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$ref"] = "#" + pointer
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    try:
        errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))
    except Exception as e:  # a $ref that does not resolve: the document's fault
        die(2, f"{pointer}: cannot validate: {e}")
    if not errors:
        return 0
    report_errors(what, pointer, errors)
    return 1


def report_errors(what, where, errors):
    print(f"openapi_check: {what}: the body does not validate against {where} "
          f"({len(errors)} errors):", file=sys.stderr)
    for e in errors[:MAX_ERRORS]:
        at = "/".join(str(p) for p in e.absolute_path) or "(the document)"
        print(f"  at {at}: {e.message[:300]} [schema {'/'.join(str(p) for p in e.absolute_schema_path)}]",
              file=sys.stderr)
        # oneOf/anyOf: the nearest reasons
        for sub in sorted(e.context or [], key=lambda s: len(list(s.absolute_path)))[:3]:
            print(f"    because {sub.message[:200]}", file=sys.stderr)
    if len(errors) > MAX_ERRORS:
        print(f"  ... and {len(errors) - MAX_ERRORS} more", file=sys.stderr)


def load_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        die(2, f"{path}: {e}")


def judge(argv):
    """--judge quay|clair SPEC NAME BODYFILE: 0 valid, 1 not."""
    import os
    if len(argv) != 4 or argv[0] not in ("quay", "clair"):
        die(2, "--judge quay|clair SPEC NAME BODYFILE")
    kind, spec, name, bodyfile = argv
    instance = load_json(bodyfile)
    fc = jsonschema.Draft202012Validator.FORMAT_CHECKER
    if kind == "quay":
        doc = load_json(spec)
        if name not in doc.get("components", {}).get("schemas", {}):
            die(2, f"{spec}: no components/schemas/{name}")
        schema = dict(doc)
        schema["$ref"] = "#/components/schemas/" + esc(name)
        validator = jsonschema.Draft202012Validator(schema)
        where = f"Quay's {name}"
    else:
        from referencing import Registry, Resource
        resources = []
        for fn in sorted(os.listdir(spec)):
            if fn.endswith(".schema.json"):
                s = load_json(os.path.join(spec, fn))
                resources.append((s["$id"], Resource.from_contents(s)))
        registry = Registry().with_resources(resources)
        root = load_json(os.path.join(spec, name))
        validator = jsonschema.Draft202012Validator(root, registry=registry, format_checker=fc)
        where = f"Clair's {name}"
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))
    if kind == "clair":
        # The one waiver (docs/compat.md): Clair's package.schema.json says
        # kind is "BINARY" or "SOURCE", yet Clair sends claircore's "binary"
        # and "source", which is what vigil sends.
        errors = [e for e in errors if not (e.validator == "enum" and list(e.absolute_path)[-1:] == ["kind"]
                                            and e.instance in ("binary", "source"))]
        # Notification pages (docs/compat.md): Clair's notifier sends its
        # VulnSummary (notifier/vulnsummary.go), which has description and
        # links and no arch_op, while its types/v1 schema forbids the two
        # and wants arch_op beside a package: the program wins.
        if name.startswith("notification"):
            errors = [e for e in errors if not (
                (e.validator == "dependentRequired" and "'arch_op'" in e.message)
                or (e.validator == "unevaluatedProperties" and "vulnerability" in list(e.absolute_path)
                    and set(k for k in e.instance if k not in ("name", "fixed_in_version", "normalized_severity",
                                                                "package", "distribution", "repository"))
                    <= {"description", "links", "severity"}))]
    if not errors:
        return 0
    report_errors(os.path.basename(bodyfile), where, errors)
    return 1


def batch(queue):
    ok = bad = 0
    try:
        lines = open(queue, encoding="utf-8").read().splitlines()
    except OSError as e:
        die(2, f"{queue}: {e}")
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        argv = json.loads(line)
        try:
            rc = judge(argv[1:]) if argv and argv[0] == "--judge" else main(argv)
        except SystemExit as e:
            rc = e.code if isinstance(e.code, int) else 1
        sys.stderr.flush()
        if rc:
            bad += 1
            what = f"{argv[1]} {argv[3]}" if argv[0] == "--judge" else " ".join(argv[-4:-1])
            print(f"FAIL: openapi: queued check {n}: {what}", flush=True)
        else:
            ok += 1
    print(f"openapi_check: {ok} responses valid, {bad} not")
    return 1 if bad else 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--batch":
        sys.exit(batch(sys.argv[2]))
    if len(sys.argv) > 1 and sys.argv[1] == "--judge":
        sys.exit(judge(sys.argv[2:]))
    sys.exit(main())
