#!/usr/bin/env python3
# Reads a JUnit XML report with `junitparser` (a CI report reader) and with xml.etree, checks
# that both see the same thing, and prints a JSON summary for the Swift tests to compare.
# Usage: parse-junit.py FILE — exit 0 and JSON on stdout, 1 when the readers fail or disagree.
import json
import sys
import xml.etree.ElementTree as ET

from junitparser import Error, Failure, JUnitXml, Skipped


def etree_summary(path):
    root = ET.parse(path).getroot()  # expat: rejects malformed XML and forbidden characters
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    cases = []
    for suite in suites:
        for case in suite.findall("testcase"):
            kind, message, text = "passed", None, None
            for tag in ("failure", "error", "skipped"):
                element = case.find(tag)
                if element is not None:
                    kind, message, text = tag, element.get("message"), element.text or ""
                    break
            out = case.find("system-out")
            cases.append({"suite": suite.get("name"), "classname": case.get("classname"), "name": case.get("name"),
                          "result": kind, "message": message, "text": text,
                          "systemOut": None if out is None else (out.text or "")})
    return root, cases


def junitparser_summary(path):
    xml = JUnitXml.fromfile(path)
    suites, cases = [], []
    for suite in xml:
        suites.append({"name": suite.name, "tests": suite.tests, "failures": suite.failures,
                       "errors": suite.errors, "skipped": suite.skipped,
                       "properties": [[p.name, p.value] for p in suite.properties()]})
        for case in suite:
            kind, message, text, type_ = "passed", None, None, None
            for result in case.result:
                kind = {Failure: "failure", Error: "error", Skipped: "skipped"}.get(type(result), "unknown")
                message, text, type_ = result.message, result.text or "", result.type
                break
            cases.append({"suite": suite.name, "classname": case.classname, "name": case.name, "result": kind,
                          "message": message, "type": type_, "text": text, "systemOut": case.system_out})
    return xml, suites, cases


def main():
    if len(sys.argv) != 2:
        print("usage: parse-junit.py FILE", file=sys.stderr)
        return 2
    path = sys.argv[1]
    try:
        root, et_cases = etree_summary(path)
        xml, suites, cases = junitparser_summary(path)
    except Exception as error:  # noqa: BLE001 - any reader failure is a test failure
        print(f"cannot read {path}: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    keys = ("suite", "classname", "name", "result", "message", "text", "systemOut")
    mine = [{k: c[k] for k in keys} for c in cases]
    if mine != et_cases:
        print("junitparser and xml.etree disagree:\n" + json.dumps({"junitparser": mine, "etree": et_cases}, indent=1),
              file=sys.stderr)
        return 1
    summary = {
        "root": root.tag,
        "name": root.get("name"),
        "tests": int(root.get("tests", "-1")),
        "failures": int(root.get("failures", "-1")),
        "errors": int(root.get("errors", "-1")),
        "suites": suites,
        "cases": cases,
    }
    json.dump(summary, sys.stdout, ensure_ascii=True)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
