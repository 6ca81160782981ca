#!/usr/bin/env python3
# Validates a SARIF log against the SARIF 2.1.0 JSON schema with the `jsonschema` package, so
# tests check trail-scan's SARIF with a validator that shares none of its code.
# Usage: validate-sarif.py SCHEMA FILE — exit 0 valid, 1 invalid (errors on stderr), 2 usage.
import json
import re
import sys

import jsonschema
from jsonschema import Draft7Validator, FormatChecker
from jsonschema.validators import validator_for

# jsonschema only checks "uri" formats when an optional package is installed; check them here
# (RFC 3986 characters, `%` only before two hex digits, and a scheme for "uri").
URI_CHARS = re.compile(r"^(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$")
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+\-.]*:")


def no_duplicate_keys(pairs):
    keys = [k for k, _ in pairs]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    if duplicates:
        raise ValueError(f"duplicate keys {duplicates}")
    return dict(pairs)


def main():
    if len(sys.argv) != 3:
        print("usage: validate-sarif.py SCHEMA FILE", file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    try:
        # strict=True (the default) rejects raw control characters inside strings.
        with open(sys.argv[2], encoding="utf-8") as f:
            document = json.load(f, object_pairs_hook=no_duplicate_keys)
    except (ValueError, UnicodeDecodeError) as error:
        print(f"not valid JSON: {error}", file=sys.stderr)
        return 1

    checker = FormatChecker()

    @checker.checks("uri")
    def is_uri(value):
        return not isinstance(value, str) or (URI_CHARS.match(value) is not None and SCHEME.match(value) is not None)

    @checker.checks("uri-reference")
    def is_uri_reference(value):
        return not isinstance(value, str) or URI_CHARS.match(value) is not None

    # The schema declares draft-04; validate with that draft and with Draft-07 (both must pass).
    declared = validator_for(schema)
    failures = 0
    for cls in {declared, Draft7Validator}:
        cls.check_schema(schema)
        validator = cls(schema, format_checker=checker)
        for error in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path)):
            failures += 1
            path = "/".join(str(p) for p in error.absolute_path)
            print(f"{cls.__name__}: /{path}: {error.message}", file=sys.stderr)
    if failures:
        return 1
    print(f"valid SARIF {document.get('version')} ({declared.__name__}, Draft7Validator, jsonschema {jsonschema_version()})")
    return 0


def jsonschema_version():
    from importlib.metadata import version
    return version("jsonschema")


if __name__ == "__main__":
    sys.exit(main())
