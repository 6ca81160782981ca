#!/usr/bin/env python3
# sigma-oracle: an independent evaluator of Sigma rules over CloudTrail events, the judge of
# trail-scan's native Sigma engine (issue 15, "Against an independent evaluator").
#
# Why it exists: no offline tool evaluates Sigma with Sigma's own semantics over JSON events.
# pySigma's stock DuckDB backend is case-sensitive, mishandles `not` on missing fields and
# treats `_`/`%` as wildcards, so it cannot be the judge. This script lets pySigma (PyPI,
# `pip install pysigma`) do the parsing — YAML, multi-document files, modifiers (`contains`,
# `base64offset`, `windash`, `re` flags… are applied by pySigma to the values), condition
# parsing with `1 of`/`all of`/`them` resolved into an AND/OR/NOT tree, correlation rules —
# and evaluates that parsed tree with a small interpreter written here, sharing no code with
# trail-scan. The semantics it implements are listed below; where Sigma leaves a point open,
# the choice is marked CHOICE.
#
# Usage:
#   sigma-oracle.py RULES [RULES…] -- EVENTS [EVENTS…]
#   sigma-oracle.py RULES EVENTS [EVENTS…]            (one rule file or folder first)
#   sigma-oracle.py --self-test
# RULES: Sigma .yml/.yaml files or folders (searched recursively). EVENTS: files or folders
# (sorted by path; below a folder only *.json, *.jsonl, *.ndjson, *.log and *.gz are read, as
# trail-scan's folder walk does) of CloudTrail JSON: a `{"Records": […]}` envelope, a JSON array,
# one object, or one object a line (NDJSON); gzip is detected by its magic bytes. Files whose
# path contains `CloudTrail-Digest` and objects with a `digestS3Object` member are skipped
# (digests, not events). Rules are evaluated whatever their `logsource` says.
# Output (stdout): one JSON object `{rule_id: [eventID, …]}` with each list sorted (an event
# delivered twice is listed twice); rule_id is the rule's `id` (else its `name`, else its
# title). An event without an `eventID` is listed as `FILE#INDEX`. `--summary` adds per-rule
# counts on stderr. Exit status 0; 2 on an unreadable input or a rule this oracle does not
# support (an error, never a silent non-match).
#
# Semantics (Sigma rules specification 2.0, modifiers appendix 2.1, correlation specification 2.0):
# - Fields are dotted paths into the event (`userIdentity.sessionContext.sessionIssuer.type`),
#   keys matched exactly (case-sensitive). Any array met on the way, or as the final value, is
#   searched element by element (recursively): an item holds if ANY resolved value matches.
# - A pattern against an object value (`requestParameters|contains: x`) matches if any scalar
#   inside the object (recursively) matches. CHOICE: not against the object's JSON text, so
#   `'"s3:GetObject"'` finds the quotes inside a policy document string.
# - Plain strings: whole-value comparison, case-insensitive (Python re.IGNORECASE, Unicode
#   simple case folding); `*` any run of characters (newlines included), `?` exactly one;
#   `\*`, `\?`, `\\` escapes as pySigma parses them; `cased` makes it case-sensitive.
#   Scalars are compared by their JSON text: a number by its text as written (`1.10`), a
#   boolean as `true`/`false` (CHOICE: so `enable: 'false'` matches JSON false); JSON null never
#   matches a string.
# - Numbers (unquoted in the rule): equal numerically to a JSON number or to a string that is a
#   decimal number (CHOICE); `lt`/`lte`/`gt`/`gte` likewise. Booleans: JSON boolean or the
#   strings true/false in any case.
# - `re`: Python `re.search` (unanchored, CHOICE), case-sensitive unless `i`; `m`, `s` flags.
# - `cidr`: the value parsed as an IPv4/IPv6 address inside the network; non-addresses never match.
# - `exists: true` holds when the key path is present at least once, whatever the value (null
#   and [] included: the modifiers appendix says "not its value, be it empty or null").
# - `null`: holds when the field has no non-null value (missing, null, [], or only nulls).
#   CHOICE (the specification leaves null to the target system).
# - `fieldref`: some value of the field equals (case-insensitively, by JSON text; numbers
#   numerically) some value of the referenced field; with `contains`/`startswith`/`endswith`
#   the reference's value is looked for inside. Null or missing on either side: no match.
# - `base64`, `base64offset`, `windash`, `wide`/`utf16*`: pySigma expands the value; expansions
#   are OR-linked; the expanded strings compare like plain strings (case-insensitive).
# - Time modifiers (`minute`…`year`): the value parsed as ISO 8601, the part compared as a number
#   (week = ISO week).
# - Keywords (values without a field): CHOICE: any scalar anywhere in the event contains the
#   keyword (a string keyword gets `*` on both sides, a `re` keyword is searched).
# - `not X` is plain boolean negation, so `not selection` holds when selection's field is
#   missing. `neq` negates its item likewise. A condition list is OR-linked.
# - Correlations (`event_count`, `value_count`, `temporal`): the events of the referenced rules
#   are grouped by the `group-by` fields (aliases applied; a missing field is its own `null`
#   group; values compared exactly). Time is `eventTime`; events without one are left out.
#   Windows are anchored at each event: [t, t + timespan], both ends inclusive (CHOICE). A
#   window counts distinct events (event_count), distinct exact values of `field` among its
#   events (value_count; events without the field add nothing), or distinct referenced rules
#   matched (temporal; default condition: all of them). The output of a correlation rule is
#   every event in some window whose count satisfies the condition (the events of the firing
#   groups). `temporal_ordered`, extended (string) conditions, value_sum/avg/percentile/median
#   and correlations of correlations are not supported (exit 2).
import argparse
import datetime
import gzip
import ipaddress
import json
import os
import re
import sys

try:
    from sigma.collection import SigmaCollection
    from sigma.conditions import (
        ConditionAND,
        ConditionFieldEqualsValueExpression,
        ConditionNOT,
        ConditionOR,
        ConditionValueExpression,
    )
    from sigma.correlations import (
        SigmaCorrelationCondition,
        SigmaCorrelationConditionOperator,
        SigmaCorrelationRule,
        SigmaCorrelationType,
    )
    from sigma.rule import SigmaRule
    from sigma.types import (
        CompareOperators,
        Placeholder,
        SigmaBool,
        SigmaCasedString,
        SigmaCIDRExpression,
        SigmaCompareExpression,
        SigmaExists,
        SigmaExpansion,
        SigmaFieldReference,
        SigmaNull,
        SigmaNumber,
        SigmaRegularExpression,
        SigmaRegularExpressionFlag,
        SigmaString,
        SigmaTimestampPart,
        SpecialChars,
        TimestampPart,
    )
except ImportError:  # pragma: no cover
    print("sigma-oracle: the pysigma package is not installed (pip install pysigma)", file=sys.stderr)
    sys.exit(2)


class Unsupported(Exception):
    """A construct this oracle does not evaluate: reported, never a silent non-match."""


# ---------------------------------------------------------------------------------------------
# Events
# ---------------------------------------------------------------------------------------------


class Num:
    """A JSON number keeping the text it was written with (`1.10` stays `1.10`)."""

    __slots__ = ("text", "value")

    def __init__(self, text):
        self.text = text
        self.value = int(text) if re.fullmatch(r"-?\d+", text) else float(text)

    def __repr__(self):
        return self.text


def parse_json(text):
    return json.loads(text, parse_int=Num, parse_float=Num)


def read_events(path):
    """The events of one file, as (label, event) pairs."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    text = data.decode("utf-8")
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        top = [parse_json(text)]
    except json.JSONDecodeError:
        top = [parse_json(line) for line in text.splitlines() if line.strip()]
    if len(top) == 1 and isinstance(top[0], dict) and isinstance(top[0].get("Records"), list):
        objects = top[0]["Records"]
    elif len(top) == 1 and isinstance(top[0], list):
        objects = top[0]
    else:
        objects = top
    out = []
    for index, obj in enumerate(objects):
        if not isinstance(obj, dict) or "digestS3Object" in obj:
            continue
        out.append((f"{path}#{index}", obj))
    return out


def files_under(paths, suffixes):
    """The files named, and the files below the folders named whose names end in `suffixes`."""
    for path in paths:
        if os.path.isdir(path):
            found = []
            for root, _, names in os.walk(path):
                found.extend(os.path.join(root, n) for n in names if n.endswith(suffixes))
            yield from sorted(found)
        else:
            yield path


EVENT_SUFFIXES = (".json", ".jsonl", ".ndjson", ".log", ".gz")
RULE_SUFFIXES = (".yml", ".yaml")


def load_events(paths):
    events = []
    for path in files_under(paths, EVENT_SUFFIXES):
        if "CloudTrail-Digest" in path:
            continue
        events.extend(read_events(path))
    return events


def resolve(node, parts):
    """The values at a dotted path; arrays on the way and at the end are looked through."""
    if isinstance(node, list):
        return [v for element in node for v in resolve(element, parts)]
    if not parts:
        return [node]
    if isinstance(node, dict) and parts[0] in node:
        return resolve(node[parts[0]], parts[1:])
    return []


def present(node, parts):
    """Whether the key path exists at least once (arrays on the way looked through)."""
    if not parts:
        return True
    if isinstance(node, list):
        return any(present(element, parts) for element in node)
    return isinstance(node, dict) and parts[0] in node and present(node[parts[0]], parts[1:])


def scalars(value):
    """Every scalar inside a value (objects and arrays searched recursively)."""
    if isinstance(value, dict):
        return [s for v in value.values() for s in scalars(v)]
    if isinstance(value, list):
        return [s for v in value for s in scalars(v)]
    return [value]


def text_of(scalar):
    """A scalar's JSON text for string comparison; None for null (never matches a string)."""
    if isinstance(scalar, str):
        return scalar
    if isinstance(scalar, bool):
        return "true" if scalar else "false"
    if isinstance(scalar, Num):
        return scalar.text
    return None


DECIMAL = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def number_of(scalar):
    """A scalar as a number: a JSON number, or a string holding a decimal number; else None."""
    if isinstance(scalar, Num):
        return scalar.value
    if isinstance(scalar, str) and DECIMAL.fullmatch(scalar.strip()):
        return float(scalar)
    return None


# ---------------------------------------------------------------------------------------------
# Value matching on pySigma's typed, already-modified values
# ---------------------------------------------------------------------------------------------

_regex_cache = {}


def string_regex(value, cased):
    """A compiled full-match regex for a SigmaString's parts (wildcards, escaped literals)."""
    key = (id(value), cased)
    hit = _regex_cache.get(key)
    if hit is not None and hit[0] is value:
        return hit[1]
    pattern = []
    for part in value.s:
        if isinstance(part, str):
            pattern.append(re.escape(part))
        elif part == SpecialChars.WILDCARD_MULTI:
            pattern.append(".*")
        elif part == SpecialChars.WILDCARD_SINGLE:
            pattern.append(".")
        elif isinstance(part, Placeholder):
            raise Unsupported(f"placeholder %{part.name}% (expand modifier)")
        else:
            raise Unsupported(f"string part {part!r}")
    compiled = re.compile("".join(pattern), re.DOTALL | (0 if cased else re.IGNORECASE))
    _regex_cache[key] = (value, compiled)
    return compiled


def regex_of(value):
    key = ("re", id(value))
    hit = _regex_cache.get(key)
    if hit is not None and hit[0] is value:
        return hit[1]
    flags = 0
    if SigmaRegularExpressionFlag.IGNORECASE in value.flags:
        flags |= re.IGNORECASE
    if SigmaRegularExpressionFlag.MULTILINE in value.flags:
        flags |= re.MULTILINE
    if SigmaRegularExpressionFlag.DOTALL in value.flags:
        flags |= re.DOTALL
    compiled = re.compile(str(value.regexp), flags)
    _regex_cache[key] = (value, compiled)
    return compiled


COMPARE = {
    CompareOperators.LT: lambda a, b: a < b,
    CompareOperators.LTE: lambda a, b: a <= b,
    CompareOperators.GT: lambda a, b: a > b,
    CompareOperators.GTE: lambda a, b: a >= b,
    CompareOperators.NEQ: lambda a, b: a != b,
}


def parse_time(text):
    if not isinstance(text, str):
        return None
    t = text.strip()
    if t.endswith("Z") or t.endswith("z"):
        t = t[:-1] + "+00:00"
    try:
        moment = datetime.datetime.fromisoformat(t)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return moment


def timestamp_part(moment, part):
    if part == TimestampPart.MINUTE:
        return moment.minute
    if part == TimestampPart.HOUR:
        return moment.hour
    if part == TimestampPart.DAY:
        return moment.day
    if part == TimestampPart.WEEK:
        return moment.isocalendar()[1]
    if part == TimestampPart.MONTH:
        return moment.month
    if part == TimestampPart.YEAR:
        return moment.year
    raise Unsupported(f"timestamp part {part}")


def scalar_matches(scalar, value):
    """Whether one scalar of the event matches one typed Sigma value."""
    if isinstance(value, SigmaString):  # SigmaCasedString is a subclass
        text = text_of(scalar)
        return text is not None and string_regex(value, isinstance(value, SigmaCasedString)).fullmatch(text) is not None
    if isinstance(value, SigmaTimestampPart):  # before SigmaNumber: it is a subclass
        moment = parse_time(scalar)
        return moment is not None and timestamp_part(moment, value.timestamp_part) == value.number
    if isinstance(value, SigmaNumber):
        number = number_of(scalar)
        return number is not None and number == value.number
    if isinstance(value, SigmaBool):
        if isinstance(scalar, bool):
            return scalar == value.boolean
        return isinstance(scalar, str) and scalar.lower() == ("true" if value.boolean else "false")
    if isinstance(value, SigmaRegularExpression):
        text = text_of(scalar)
        return text is not None and regex_of(value).search(text) is not None
    if isinstance(value, SigmaCIDRExpression):
        if not isinstance(scalar, str):
            return False
        try:
            address = ipaddress.ip_address(scalar)
        except ValueError:
            return False
        return address.version == value.network.version and address in value.network
    if isinstance(value, SigmaCompareExpression):
        number = number_of(scalar)
        return number is not None and COMPARE[value.op](number, value.number.number)
    raise Unsupported(f"value type {type(value).__name__}")


def field_matches(event, field, value):
    """A `field: value` item of the parsed condition tree."""
    parts = field.split(".")
    if isinstance(value, SigmaExpansion):
        return any(field_matches(event, field, v) for v in value.values)
    if isinstance(value, SigmaExists):
        return present(event, parts) == value.exists
    if isinstance(value, SigmaNull):
        return all(v is None for v in resolve(event, parts))
    if isinstance(value, SigmaFieldReference):
        return fieldref_matches(event, parts, value)
    return any(scalar_matches(s, value) for v in resolve(event, parts) for s in scalars(v))


def fieldref_matches(event, parts, ref):
    mine = [s for v in resolve(event, parts) for s in scalars(v) if s is not None]
    theirs = [s for v in resolve(event, ref.field.split(".")) for s in scalars(v) if s is not None]
    for a in mine:
        for b in theirs:
            if not ref.starts_with and not ref.ends_with:
                na, nb = number_of(a), number_of(b)
                if isinstance(a, Num) and isinstance(b, Num):
                    if na == nb:
                        return True
                    continue
            ta, tb = text_of(a), text_of(b)
            if ta is None or tb is None:
                continue
            ta, tb = ta.lower(), tb.lower()
            if ref.starts_with and ref.ends_with:
                hit = tb in ta
            elif ref.starts_with:
                hit = ta.startswith(tb)
            elif ref.ends_with:
                hit = ta.endswith(tb)
            else:
                hit = ta == tb
            if hit:
                return True
    return False


def keyword_matches(event, value):
    """A value without a field: searched in every scalar of the event."""
    if isinstance(value, SigmaExpansion):
        return any(keyword_matches(event, v) for v in value.values)
    return any(scalar_matches(s, keyword_pattern(value)) for s in scalars(event))


_keyword_cache = {}


def keyword_pattern(value):
    """A keyword as the value it is matched with: strings and numbers get `*` on both sides."""
    hit = _keyword_cache.get(id(value))
    if hit is not None and hit[0] is value:
        return hit[1]
    if isinstance(value, SigmaString):
        wrapped = value
        if not wrapped.startswith(SpecialChars.WILDCARD_MULTI):
            wrapped = SpecialChars.WILDCARD_MULTI + wrapped
        if not wrapped.endswith(SpecialChars.WILDCARD_MULTI):
            wrapped = wrapped + SpecialChars.WILDCARD_MULTI
        if isinstance(value, SigmaCasedString):
            wrapped = SigmaCasedString.from_sigma_string(wrapped)
    elif isinstance(value, SigmaNumber):
        wrapped = SigmaString("*" + str(value.number) + "*")
    elif isinstance(value, SigmaRegularExpression):
        wrapped = value
    else:
        raise Unsupported(f"keyword of type {type(value).__name__}")
    _keyword_cache[id(value)] = (value, wrapped)
    return wrapped



def evaluate(node, event):
    """Evaluate pySigma's postprocessed condition tree on one event."""
    if isinstance(node, ConditionAND):
        return all(evaluate(arg, event) for arg in node.args)
    if isinstance(node, ConditionOR):
        return any(evaluate(arg, event) for arg in node.args)
    if isinstance(node, ConditionNOT):
        return not evaluate(node.args[0], event)
    if isinstance(node, ConditionFieldEqualsValueExpression):
        return field_matches(event, node.field, node.value)
    if isinstance(node, ConditionValueExpression):
        return keyword_matches(event, node.value)
    raise Unsupported(f"condition node {type(node).__name__}")


# ---------------------------------------------------------------------------------------------
# Rules
# ---------------------------------------------------------------------------------------------


def rule_key(rule):
    if rule.id is not None:
        return str(rule.id)
    if getattr(rule, "name", None):
        return rule.name
    return rule.title


def load_rules(paths):
    """Every rule (and correlation rule) of the files, references resolved."""
    texts = []
    for path in files_under(paths, RULE_SUFFIXES):
        with open(path, encoding="utf-8") as f:
            texts.append(f.read())
    collections = [SigmaCollection.from_yaml(text) for text in texts]
    collection = SigmaCollection.merge(collections) if len(collections) != 1 else collections[0]
    collection.resolve_rule_references()
    return list(collection.rules)


def rule_trees(rule):
    return [condition.parsed for condition in rule.detection.parsed_condition]


SUPPORTED_VALUES = (SigmaString, SigmaNumber, SigmaBool, SigmaRegularExpression, SigmaCIDRExpression,
                    SigmaCompareExpression, SigmaExists, SigmaNull, SigmaFieldReference)


def check_value(value, keyword):
    """Fail on a value this oracle cannot evaluate, before any event is seen."""
    if isinstance(value, SigmaExpansion):
        for v in value.values:
            check_value(v, keyword)
    elif not isinstance(value, SUPPORTED_VALUES):
        raise Unsupported(f"value type {type(value).__name__}")
    elif keyword and not isinstance(value, (SigmaString, SigmaNumber, SigmaRegularExpression)):
        raise Unsupported(f"keyword of type {type(value).__name__}")
    elif isinstance(value, SigmaString):
        string_regex(value, isinstance(value, SigmaCasedString))
    elif isinstance(value, SigmaRegularExpression):
        regex_of(value)


def check_tree(node):
    if isinstance(node, (ConditionAND, ConditionOR, ConditionNOT)):
        for arg in node.args:
            check_tree(arg)
    elif isinstance(node, ConditionFieldEqualsValueExpression):
        check_value(node.value, keyword=False)
    elif isinstance(node, ConditionValueExpression):
        check_value(node.value, keyword=True)
    else:
        raise Unsupported(f"condition node {type(node).__name__}")


def match_rule(rule, events):
    """Indices of the events a detection rule matches."""
    trees = rule_trees(rule)
    for tree in trees:
        check_tree(tree)
    return [i for i, (_, event) in enumerate(events) if any(evaluate(t, event) for t in trees)]


OPS = {
    SigmaCorrelationConditionOperator.LT: lambda a, b: a < b,
    SigmaCorrelationConditionOperator.LTE: lambda a, b: a <= b,
    SigmaCorrelationConditionOperator.GT: lambda a, b: a > b,
    SigmaCorrelationConditionOperator.GTE: lambda a, b: a >= b,
    SigmaCorrelationConditionOperator.EQ: lambda a, b: a == b,
    SigmaCorrelationConditionOperator.NEQ: lambda a, b: a != b,
}


def exact(value):
    """A value's exact identity for grouping and distinct counts (a number is not its text)."""
    return json.dumps(value, default=lambda n: {"number": n.text}, sort_keys=True)


def group_value(event, field):
    texts = sorted(exact(v) for v in resolve(event, field.split(".")))
    return None if not texts else tuple(texts)


def match_correlation(rule, events, matched):
    """Indices of the events of a correlation rule's firing groups (windows)."""
    kinds = {SigmaCorrelationType.EVENT_COUNT, SigmaCorrelationType.VALUE_COUNT, SigmaCorrelationType.TEMPORAL}
    if rule.type not in kinds:
        raise Unsupported(f"correlation type {rule.type.name.lower()}")
    if not isinstance(rule.condition, SigmaCorrelationCondition):
        raise Unsupported("extended (string) correlation condition")
    references = rule.referenced_rules or rule.rules or []
    for reference in references:
        if not isinstance(reference.rule, SigmaRule):
            raise Unsupported("a correlation of correlation rules")
    aliases = {alias.alias: {id(r.rule): f for r, f in alias.mapping.items()} for alias in rule.aliases}
    condition_field = rule.condition.fieldref
    if rule.type == SigmaCorrelationType.VALUE_COUNT:
        if not isinstance(condition_field, str):
            raise Unsupported("value_count without exactly one condition field")

    # (time, event index, rule index, group key) for each event matched by a referenced rule.
    items = []
    for r_index, reference in enumerate(references):
        for i in matched[id(reference.rule)]:
            event = events[i][1]
            moment = parse_time(event.get("eventTime"))
            if moment is None:
                continue
            key = tuple(
                group_value(event, aliases.get(g, {}).get(id(reference.rule), g)) for g in (rule.group_by or [])
            )
            items.append((moment.timestamp(), i, r_index, key))

    groups = {}
    for item in items:
        groups.setdefault(item[3], []).append(item)
    span = rule.timespan.seconds
    check = OPS[rule.condition.op]
    firing = set()
    for group in groups.values():
        group.sort()
        for start, anchor in enumerate(group):
            window = [it for it in group[start:] if it[0] - anchor[0] <= span]
            if rule.type == SigmaCorrelationType.EVENT_COUNT:
                count = len({it[1] for it in window})
            elif rule.type == SigmaCorrelationType.VALUE_COUNT:
                values = set()
                for it in window:
                    for v in resolve(events[it[1]][1], condition_field.split(".")):
                        values.add(exact(v))
                count = len(values)
            else:
                count = len({it[2] for it in window})
            if check(count, rule.condition.count):
                firing.update(it[1] for it in window)
    return sorted(firing)


def run(rule_paths, event_paths):
    events = load_events(event_paths)
    rules = load_rules(rule_paths)
    matched = {}
    result = {}
    # Detection rules first, then correlations (which read their rules' matches).
    for rule in rules:
        if isinstance(rule, SigmaRule):
            matched[id(rule)] = match_rule(rule, events)
    for rule in rules:
        if isinstance(rule, SigmaCorrelationRule):
            matched[id(rule)] = match_correlation(rule, events, matched)
    for rule in rules:
        ids = []
        for i in matched[id(rule)]:
            label, event = events[i]
            event_id = event.get("eventID")
            ids.append(event_id if isinstance(event_id, str) else label)
        result[rule_key(rule)] = sorted(ids)
    return result, len(events)


# ---------------------------------------------------------------------------------------------
# Self test: every semantic rule above on tiny hand-written events
# ---------------------------------------------------------------------------------------------

SELF_TESTS = [
    # (name, rule detection YAML, {event label: expected match}); events are in SELF_EVENTS.
    ("plain string is case-insensitive", "sel:\n  eventName: 'stoplogging'\ncondition: sel", {"stop": True, "start": False}),
    ("cased modifier", "sel:\n  eventName|cased: 'stoplogging'\ncondition: sel", {"stop": False}),
    ("cased exact", "sel:\n  eventName|cased: 'StopLogging'\ncondition: sel", {"stop": True}),
    ("whole value, not substring", "sel:\n  eventName: 'Stop'\ncondition: sel", {"stop": False}),
    ("wildcard *", "sel:\n  eventName: 'stop*ING'\ncondition: sel", {"stop": True, "start": False}),
    ("wildcard ?", "sel:\n  eventName: 'Stop?ogging'\ncondition: sel", {"stop": True}),
    ("? is exactly one", "sel:\n  eventName: 'Stop??ogging'\ncondition: sel", {"stop": False}),
    ("escaped \\* is literal", "sel:\n  note: 'a\\*b'\ncondition: sel", {"star": True, "axb": False}),
    ("escaped \\? is literal", "sel:\n  note: 'a\\?b'\ncondition: sel", {"qmark": True, "axb": False}),
    ("\\\\* is backslash then wildcard", "sel:\n  path: 'C:\\\\*'\ncondition: sel", {"path": True}),
    ("* spans newlines", "sel:\n  multi: 'one*two'\ncondition: sel", {"multi": True}),
    ("contains", "sel:\n  userAgent|contains: 'TRUFFLEHOG'\ncondition: sel", {"truffle": True, "stop": False}),
    ("startswith", "sel:\n  eventName|startswith: 'stop'\ncondition: sel", {"stop": True, "start": False}),
    ("endswith", "sel:\n  eventName|endswith: 'LOGGING'\ncondition: sel", {"stop": True, "start": True, "truffle": False}),
    ("list is OR", "sel:\n  eventName:\n    - A\n    - StopLogging\ncondition: sel", {"stop": True, "start": False}),
    ("contains|all: every value, any leaf each", "sel:\n  requestParameters|contains|all:\n    - 'Suspended'\n    - 'bucket-a'\ncondition: sel", {"versioning": True, "versioning2": False}),
    ("object value searched leaf by leaf", "sel:\n  requestParameters|contains: 'suspended'\ncondition: sel", {"versioning": True, "versioning2": True, "stop": False}),
    ("quotes inside a policy string", "sel:\n  requestParameters|contains: '\"s3:GetObject\"'\ncondition: sel", {"policy": True}),
    ("re is case-sensitive and unanchored", "sel:\n  eventName|re: 'top'\ncondition: sel", {"stop": True}),
    ("re case-sensitive", "sel:\n  eventName|re: '^stop'\ncondition: sel", {"stop": False}),
    ("re|i", "sel:\n  eventName|re|i: '^stop'\ncondition: sel", {"stop": True}),
    ("re without m: ^ only at start", "sel:\n  multi|re: '^two'\ncondition: sel", {"multi": False}),
    ("re|m", "sel:\n  multi|re|m: '^two'\ncondition: sel", {"multi": True}),
    ("re without s: . stops at newline", "sel:\n  multi|re: 'one.two'\ncondition: sel", {"multi": False}),
    ("re|s", "sel:\n  multi|re|s: 'one.two'\ncondition: sel", {"multi": True}),
    ("cidr v4", "sel:\n  sourceIPAddress|cidr: '10.0.0.0/8'\ncondition: sel", {"stop": True, "start": False, "truffle": False}),
    ("cidr v6", "sel:\n  sourceIPAddress|cidr: '2001:db8::/32'\ncondition: sel", {"start": True, "stop": False}),
    ("exists true", "sel:\n  errorCode|exists: true\ncondition: sel", {"failed": True, "nullerr": True, "stop": False}),
    ("exists false", "sel:\n  errorCode|exists: false\ncondition: sel", {"failed": False, "nullerr": False, "stop": True}),
    ("exists through an array", "sel:\n  resources.ARN|exists: true\ncondition: sel", {"arrays": True, "stop": False}),
    ("null: missing or null", "sel:\n  errorCode: null\ncondition: sel", {"failed": False, "nullerr": True, "stop": True}),
    ("null: empty array", "sel:\n  requestParameters.layers: null\ncondition: sel", {"emptylayers": True, "layers": False}),
    ("'' is the empty string, not null", "sel:\n  errorMessage: ''\ncondition: sel", {"failed": True, "stop": False}),
    ("not selection when the field is missing", "sel:\n  eventName: StopLogging\nfilter:\n  errorCode: AccessDenied\ncondition: sel and not filter", {"stop": True}),
    ("not selection when the field differs", "sel:\n  eventSource: cloudtrail.amazonaws.com\nfilter:\n  errorCode: AccessDenied\ncondition: sel and not filter", {"failed": False, "stop": True}),
    ("neq modifier", "sel:\n  eventName|neq: StopLogging\ncondition: sel", {"stop": False, "start": True, "empty": True}),
    ("fieldref equal (case-insensitive)", "sel:\n  userIdentity.userName|fieldref: requestParameters.userName\ncondition: sel", {"self": True, "other": False}),
    ("fieldref missing reference", "sel:\n  userIdentity.userName|fieldref: nothing.here\ncondition: sel", {"self": False}),
    ("fieldref|endswith", "sel:\n  userIdentity.arn|fieldref|endswith: requestParameters.userName\ncondition: sel", {"self": True, "other": False}),
    ("fieldref|contains", "sel:\n  userIdentity.arn|fieldref|contains: requestParameters.userName\ncondition: sel", {"self": True, "other": False}),
    ("not fieldref (the update_login_profile shape)", "sel:\n  eventName: UpdateLoginProfile\nfilter:\n  userIdentity.arn|fieldref: requestParameters.userName\ncondition: sel and not filter", {"self": True, "other": True}),
    ("base64", "sel:\n  b64|base64: 'hello'\ncondition: sel", {"b64": True}),
    ("base64offset|contains", "sel:\n  b64long|base64offset|contains: 'secret'\ncondition: sel", {"b64long": True, "b64": False}),
    ("windash", "sel:\n  cmd|windash|contains: ' -force'\ncondition: sel", {"dash": True, "slash": True, "endash": True, "stop": False}),
    ("number equals number", "sel:\n  count: 5\ncondition: sel", {"n5": True, "n50": False, "n5s": True, "n5f": True}),
    ("number as text is a string", "sel:\n  count: '5'\ncondition: sel", {"n5": True, "n5f": False, "n5s": True}),
    ("number keeps its text", "sel:\n  ratio: '1.10'\ncondition: sel", {"n5": True}),
    ("numbers compare as numbers: gt", "sel:\n  count|gt: 9\ncondition: sel", {"n5": False, "n50": True, "n5s": False}),
    ("numbers compare as numbers: lte", "sel:\n  count|lte: 5\ncondition: sel", {"n5": True, "n5f": True, "n50": False, "n5s": True}),
    ("boolean as string", "sel:\n  requestParameters.enable: 'false'\ncondition: sel", {"disabled": True, "enabled": False}),
    ("boolean as boolean", "sel:\n  requestParameters.enable: false\ncondition: sel", {"disabled": True, "enabled": False}),
    ("dotted path", "sel:\n  userIdentity.sessionContext.sessionIssuer.type: role\ncondition: sel", {"role": True, "stop": False}),
    ("path through an array: any element", "sel:\n  resources.ARN|endswith: ':trail/b'\ncondition: sel", {"arrays": True}),
    ("path through an array: no element", "sel:\n  resources.ARN|endswith: ':trail/c'\ncondition: sel", {"arrays": False}),
    ("final array value: any element", "sel:\n  requestParameters.layers|contains: 'layer:two'\ncondition: sel", {"layers": True, "emptylayers": False}),
    ("contains '*' needs a value", "sel:\n  requestParameters.layers|contains: '*'\ncondition: sel", {"layers": True, "emptylayers": False, "stop": False}),
    ("contains '*' is not null", "sel:\n  errorCode|contains: '*'\ncondition: sel", {"failed": True, "nullerr": False, "stop": False}),
    ("keyword: substring of any value", "keywords:\n  - 'trufflehog'\ncondition: keywords", {"truffle": True, "stop": False}),
    ("keyword: nested values", "keywords:\n  - 'trail/b'\ncondition: keywords", {"arrays": True, "stop": False}),
    ("keyword |all", "keywords:\n  '|all':\n    - 'trufflehog'\n    - 'GetCallerIdentity'\ncondition: keywords", {"truffle": True}),
    ("and / or / parentheses", "a:\n  eventName: StopLogging\nb:\n  eventName: StartLogging\nc:\n  sourceIPAddress|startswith: '10.'\ncondition: (a or b) and c", {"stop": True, "start": False}),
    ("not binds tighter than and", "a:\n  eventName: StopLogging\nb:\n  eventName: StartLogging\ncondition: not a and not b", {"stop": False, "start": False, "truffle": True}),
    ("1 of pattern", "sel_a:\n  eventName: StopLogging\nsel_b:\n  eventName: StartLogging\nother:\n  eventName: X\ncondition: 1 of sel_*", {"stop": True, "start": True, "truffle": False}),
    ("all of pattern", "sel_a:\n  eventSource: cloudtrail.amazonaws.com\nsel_b:\n  eventName: StopLogging\ncondition: all of sel_*", {"stop": True, "start": False}),
    ("1 of them", "a:\n  eventName: StopLogging\nb:\n  eventName: StartLogging\ncondition: 1 of them", {"stop": True, "start": True, "truffle": False}),
    ("all of them", "a:\n  eventSource: cloudtrail.amazonaws.com\nb:\n  eventName: StopLogging\ncondition: all of them", {"stop": True, "start": False}),
    ("them skips _ identifiers", "a:\n  eventName: StopLogging\n_b:\n  eventName: Nothing\ncondition: all of them", {"stop": True}),
    ("not 1 of filter*", "sel:\n  eventSource: cloudtrail.amazonaws.com\nfilter1:\n  errorCode: AccessDenied\nfilter2:\n  sourceIPAddress: '2001:db8::1'\ncondition: sel and not 1 of filter*", {"stop": True, "start": False, "failed": False}),
    ("list of maps is OR", "sel:\n  - eventName: StopLogging\n  - errorCode: AccessDenied\ncondition: sel", {"stop": True, "failed": True, "start": False}),
    ("condition list is OR", "a:\n  eventName: StopLogging\nb:\n  eventName: StartLogging\ncondition:\n  - a\n  - b", {"stop": True, "start": True, "truffle": False}),
    ("time modifier", "sel:\n  eventTime|hour: 13\ncondition: sel", {"stop": True, "start": False}),
]

SELF_EVENTS = {
    "stop": {"eventID": "stop", "eventSource": "cloudtrail.amazonaws.com", "eventName": "StopLogging", "sourceIPAddress": "10.1.2.3", "eventTime": "2024-05-13T13:05:00Z"},
    "start": {"eventID": "start", "eventSource": "cloudtrail.amazonaws.com", "eventName": "StartLogging", "sourceIPAddress": "2001:db8::1", "eventTime": "2024-05-13T12:05:00Z"},
    "truffle": {"eventID": "truffle", "eventName": "GetCallerIdentity", "userAgent": "TruffleHog", "sourceIPAddress": "AWS Internal"},
    "failed": {"eventID": "failed", "eventSource": "cloudtrail.amazonaws.com", "eventName": "StopLogging", "errorCode": "AccessDenied", "errorMessage": ""},
    "nullerr": {"eventID": "nullerr", "errorCode": None},
    "empty": {"eventID": "empty"},
    "star": {"eventID": "star", "note": "a*b"},
    "qmark": {"eventID": "qmark", "note": "a?b"},
    "axb": {"eventID": "axb", "note": "axxb"},
    "path": {"eventID": "path", "path": "C:\\Windows"},
    "multi": {"eventID": "multi", "multi": "one\ntwo"},
    "versioning": {"eventID": "versioning", "requestParameters": {"bucketName": "bucket-a", "VersioningConfiguration": {"Status": "Suspended"}}},
    "versioning2": {"eventID": "versioning2", "requestParameters": {"bucketName": "bucket-b", "VersioningConfiguration": {"Status": "Suspended"}}},
    "policy": {"eventID": "policy", "requestParameters": {"policyDocument": "{\"Action\":\"s3:GetObject\"}"}},
    "arrays": {"eventID": "arrays", "resources": [{"ARN": "arn:aws:cloudtrail:us-east-1:1:trail/a"}, {"ARN": "arn:aws:cloudtrail:us-east-1:1:trail/b"}]},
    "layers": {"eventID": "layers", "requestParameters": {"layers": ["arn:aws:lambda:us-east-1:1:layer:one:1", "arn:aws:lambda:us-east-1:1:layer:two:1"]}},
    "emptylayers": {"eventID": "emptylayers", "requestParameters": {"layers": []}},
    "self": {"eventID": "self", "eventName": "UpdateLoginProfile", "userIdentity": {"userName": "Alice", "arn": "arn:aws:iam::1:user/Alice"}, "requestParameters": {"userName": "alice"}},
    "other": {"eventID": "other", "eventName": "UpdateLoginProfile", "userIdentity": {"userName": "alice", "arn": "arn:aws:iam::1:user/alice"}, "requestParameters": {"userName": "bob"}},
    "b64": {"eventID": "b64", "b64": "aGVsbG8="},
    "b64long": {"eventID": "b64long", "b64long": "eyJrZXkiOiAic2VjcmV0In0="},  # {"key": "secret"}
    "dash": {"eventID": "dash", "cmd": "run -force now"},
    "slash": {"eventID": "slash", "cmd": "run /force now"},
    "endash": {"eventID": "endash", "cmd": "run \u2013force now"},
    "n5": {"eventID": "n5", "count": Num("5"), "ratio": Num("1.10")},
    "n50": {"eventID": "n50", "count": Num("50")},
    "n5s": {"eventID": "n5s", "count": "5"},
    "n5f": {"eventID": "n5f", "count": Num("5.0")},
    "disabled": {"eventID": "disabled", "requestParameters": {"enable": False}},
    "enabled": {"eventID": "enabled", "requestParameters": {"enable": True}},
    "role": {"eventID": "role", "userIdentity": {"sessionContext": {"sessionIssuer": {"type": "Role"}}}},
}

CORRELATION_TESTS = [
    # (name, correlation YAML document, events as (id, minute offset, user), expected ids)
    ("event_count fires at the count", "type: event_count\nrules: base\ngroup-by: [user]\ntimespan: 5m\ncondition:\n  gte: 3",
     [("a1", 0, "a"), ("a2", 2, "a"), ("a3", 5, "a"), ("b1", 0, "b"), ("b2", 1, "b")], ["a1", "a2", "a3"]),
    ("event_count: one short of the count", "type: event_count\nrules: base\ngroup-by: [user]\ntimespan: 5m\ncondition:\n  gte: 4",
     [("a1", 0, "a"), ("a2", 2, "a"), ("a3", 5, "a")], []),
    ("event_count: just outside the timespan", "type: event_count\nrules: base\ngroup-by: [user]\ntimespan: 5m\ncondition:\n  gte: 3",
     [("a1", 0, "a"), ("a2", 2, "a"), ("a3", 5.0167, "a")], []),
    ("event_count: only the events of firing windows", "type: event_count\nrules: base\ngroup-by: [user]\ntimespan: 5m\ncondition:\n  gt: 2",
     [("a0", -20, "a"), ("a1", 0, "a"), ("a2", 2, "a"), ("a3", 4, "a")], ["a1", "a2", "a3"]),
    ("event_count without group-by", "type: event_count\nrules: base\ntimespan: 1h\ncondition:\n  eq: 2",
     [("a1", 0, "a"), ("b1", 10, "b")], ["a1", "b1"]),
    ("value_count counts distinct values", "type: value_count\nrules: base\ngroup-by: [ip]\ntimespan: 10m\ncondition:\n  field: user\n  gte: 2",
     [("a1", 0, "a"), ("a2", 1, "a"), ("b1", 2, "b")], ["a1", "a2", "b1"]),
    ("value_count: one value is not two", "type: value_count\nrules: base\ngroup-by: [ip]\ntimespan: 10m\ncondition:\n  field: user\n  gte: 2",
     [("a1", 0, "a"), ("a2", 1, "a")], []),
]


def self_test():
    failures = []
    checks = 0

    def detection_rule(detection, name="t", id_=None):
        body = "\n".join("    " + line for line in detection.splitlines())
        return (f"title: {name}\n" + (f"id: {id_}\n" if id_ else f"name: {name}\n")
                + "logsource:\n    product: aws\n    service: cloudtrail\ndetection:\n" + body + "\n")

    events = [(label, event) for label, event in SELF_EVENTS.items()]
    for name, detection, expected in SELF_TESTS:
        rule = SigmaCollection.from_yaml(detection_rule(detection)).rules[0]
        try:
            got = {events[i][0] for i in match_rule(rule, events)}
        except Exception as e:  # a crash is a failure, reported with the case's name
            failures.append(f"{name}: {type(e).__name__}: {e}")
            continue
        for label, want in expected.items():
            checks += 1
            if (label in got) != want:
                failures.append(f"{name}: event {label} expected {'match' if want else 'no match'}")

    # Correlations: the base rule matches every event with a `user`.
    base = detection_rule("sel:\n  user|exists: true\ncondition: sel", name="base")
    start = datetime.datetime(2024, 5, 13, 10, 0, tzinfo=datetime.timezone.utc)
    for name, correlation, rows, expected in CORRELATION_TESTS:
        doc = "title: corr\nid: 00000000-0000-4000-8000-000000000001\ncorrelation:\n" + "\n".join(
            "    " + line for line in correlation.splitlines())
        collection = SigmaCollection.from_yaml(base + "---\n" + doc)
        collection.resolve_rule_references()
        evs = []
        for event_id, minutes, user in rows:
            moment = start + datetime.timedelta(minutes=minutes)
            evs.append((event_id, {"eventID": event_id, "user": user, "ip": "198.51.100.7",
                                   "eventTime": moment.strftime("%Y-%m-%dT%H:%M:%SZ")}))
        rules = list(collection.rules)
        matched = {id(r): match_rule(r, evs) for r in rules if isinstance(r, SigmaRule)}
        corr = [r for r in rules if isinstance(r, SigmaCorrelationRule)][0]
        got = sorted(evs[i][0] for i in match_correlation(corr, evs, matched))
        checks += 1
        if got != sorted(expected):
            failures.append(f"{name}: expected {sorted(expected)}, got {got}")

    # temporal: both rules within the timespan, per user.
    temporal = (detection_rule("sel:\n  eventName: A\ncondition: sel", name="rule_a") + "---\n"
                + detection_rule("sel:\n  eventName: B\ncondition: sel", name="rule_b") + "---\n"
                + "title: both\nid: 00000000-0000-4000-8000-000000000002\ncorrelation:\n    type: temporal\n"
                "    rules: [rule_a, rule_b]\n    group-by: [user]\n    timespan: 10m\n")
    collection = SigmaCollection.from_yaml(temporal)
    collection.resolve_rule_references()
    rows = [("x1", 0, "x", "A"), ("x2", 9, "x", "B"), ("y1", 0, "y", "A"), ("y2", 11, "y", "B"), ("z1", 0, "z", "A"),
            ("z2", 1, "z", "A")]
    evs = [(r[0], {"eventID": r[0], "user": r[2], "eventName": r[3],
                   "eventTime": (start + datetime.timedelta(minutes=r[1])).strftime("%Y-%m-%dT%H:%M:%SZ")}) for r in rows]
    rules = list(collection.rules)
    matched = {id(r): match_rule(r, evs) for r in rules if isinstance(r, SigmaRule)}
    corr = [r for r in rules if isinstance(r, SigmaCorrelationRule)][0]
    got = sorted(evs[i][0] for i in match_correlation(corr, evs, matched))
    checks += 1
    if got != ["x1", "x2"]:
        failures.append(f"temporal: expected ['x1', 'x2'], got {got}")

    # Reading: Records envelope, array, NDJSON, gzip, digests skipped, number text kept.
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        def write(name, data):
            path = os.path.join(tmp, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(data)
        write("a/records.json.gz", gzip.compress(b'{"Records":[{"eventID":"r1","n":1.10},{"eventID":"r2"}]}'))
        write("b/array.json", b'[{"eventID":"a1"}]')
        write("c/lines.log", b'{"eventID":"l1"}\n\n{"eventID":"l2"}\n')
        write("d/CloudTrail-Digest/x.json", b'{"eventID":"never"}')
        write("e/digest.log", b'{"digestS3Object":"x"}\n')
        write("f/README.md", b"not an event file")
        loaded = load_events([tmp])
        checks += 1
        ids = sorted(e.get("eventID") for _, e in loaded)
        if ids != ["a1", "l1", "l2", "r1", "r2"]:
            failures.append(f"reading: got {ids}")
        checks += 1
        if text_of(loaded[0][1]["n"]) != "1.10":
            failures.append("reading: number text not kept")

    # Unsupported constructs are errors, not silent non-matches.
    checks += 1
    try:
        rule = SigmaCollection.from_yaml(detection_rule("sel:\n  a|expand: '%Servers%'\ncondition: sel")).rules[0]
        match_rule(rule, events)
        failures.append("placeholder: no error")
    except Unsupported:
        pass

    for failure in failures:
        print("FAIL", failure, file=sys.stderr)
    print(f"sigma-oracle self-test: {checks - len(failures)}/{checks} checks passed "
          f"({len(SELF_TESTS)} detection cases, {len(CORRELATION_TESTS) + 1} correlation cases)", file=sys.stderr)
    return 1 if failures else 0


def main(argv):
    parser = argparse.ArgumentParser(description="Evaluate Sigma rules on CloudTrail events (independent oracle).")
    parser.add_argument("--self-test", action="store_true", help="run the built-in semantic checks")
    parser.add_argument("--summary", action="store_true", help="per-rule match counts on stderr")
    parser.add_argument("paths", nargs="*", help="RULES [RULES…] -- EVENTS…, or RULES EVENTS…")
    args = parser.parse_args(argv)
    if args.self_test:
        return self_test()
    paths = args.paths
    if "--" in argv:
        split = argv.index("--")
        rule_paths = [p for p in argv[:split] if not p.startswith("--")]
        event_paths = argv[split + 1:]
    else:
        rule_paths, event_paths = paths[:1], paths[1:]
    if not rule_paths or not event_paths:
        parser.error("give a rule file or folder and at least one event file or folder")
    try:
        result, count = run(rule_paths, event_paths)
    except Unsupported as e:
        print(f"sigma-oracle: unsupported: {e}", file=sys.stderr)
        return 2
    except (OSError, ValueError) as e:
        print(f"sigma-oracle: {e}", file=sys.stderr)
        return 2
    json.dump(result, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")
    if args.summary:
        hit = {k: len(v) for k, v in result.items() if v}
        for key, n in sorted(hit.items()):
            print(f"{n:6d}  {key}", file=sys.stderr)
        print(f"sigma-oracle: {len(result)} rules, {count} events, {len(hit)} rules match at least one event, "
              f"{sum(hit.values())} matches", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
