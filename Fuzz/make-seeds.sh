#!/usr/bin/env bash
# Regenerates Fuzz/Seeds/{json,framer,where,digest,rules,gzip}: the starting corpora of the fuzz
# targets, made from Fixtures/, the shared corpus (../shared/corpus), the documented filter patterns
# and rule files, so that anyone can see (and redo) where every seed came from. Deterministic; needs
# python3 and gzip.
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${TRAIL_SHARED:-../shared}
[ -d "$shared/corpus" ] || shared=/work/shared
seeds=Fuzz/Seeds
rm -rf "$seeds/json" "$seeds/framer" "$seeds/where" "$seeds/digest" "$seeds/rules" "$seeds/gzip"
mkdir -p "$seeds/json" "$seeds/framer" "$seeds/where" "$seeds/digest" "$seeds/rules" "$seeds/gzip"

python3 - "$shared" "$seeds" <<'PY'
import glob, gzip, json, os, re, sys

shared, seeds = sys.argv[1], sys.argv[2]
corpus = os.path.join(shared, "corpus")

def write(folder, name, data):
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(seeds, folder, name), "wb") as f:
        f.write(data)

def compact(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)

def records(path):
    """The events of a corpus or fixture file, whatever its container."""
    raw = open(path, "rb").read()
    if path.endswith(".gz"):
        raw = gzip.decompress(raw)
    text = raw.decode()
    try:
        value = json.loads(text)
        if isinstance(value, dict):
            return value.get("Records", [value])
        return value
    except json.JSONDecodeError:
        out = []
        for line in text.splitlines():
            if line.strip():
                value = json.loads(line)
                out.append(value.get("event", value))
        return out

# json: the JSONTestSuite files up to 2 KB (all three verdicts: y_ must parse, n_ must fail,
# i_ either way), then real events, one per source, as written and compacted.
for path in sorted(glob.glob(os.path.join(corpus, "jsontestsuite", "*.json"))):
    if os.path.getsize(path) <= 2048:
        write("json", "jts-" + os.path.basename(path), open(path, "rb").read())
event_files = [
    "trailscraper/events-for-smoke-test.json",
    "stratus-red-team/detonation-logs/aws.initial-access.console-login-without-mfa.json",
    "stratus-red-team/detonation-logs/aws.defense-evasion.cloudtrail-stop.json",
    "elastic-beats/filebeat-module-test-logs/insight-json.log",
    "elastic-integrations/pipeline-test-logs/test-cloudtrail-digest-json.log",
    "elastic-integrations/pipeline-test-logs/test-tls-details-json.log",
    "elastic-integrations/pipeline-test-logs/test-assume-role-json.log",
    "panther-analysis/aws_cloudtrail_rules_tests.ndjson",
]
for name in event_files:
    event = records(os.path.join(corpus, name))[0]
    stem = re.sub(r"[^A-Za-z0-9.-]+", "-", os.path.basename(name))
    write("json", "event-" + stem + ".json", compact(event))
    write("json", "event-" + stem + "-indented.json", json.dumps(event, indent=2, ensure_ascii=False))
fixture = sorted(glob.glob("Fixtures/archives/sample/AWSLogs/111122223333/CloudTrail/us-east-1/**/*.json.gz", recursive=True))[0]
for i, event in enumerate(records(fixture)[:3]):
    write("json", "fixture-event-%d.json" % i, compact(event))

# framer: whole files in every container the framer reads (decompressed), and hand-made edge
# cases: byte order mark, escaped envelope key, members around Records, NDJSON, empty values.
small_archives = [
    "AWSLogs/111111111111/CloudTrail/eu-central-1/2017/12/11/111111111111_CloudTrail_eu-central-1_20171211T1505Z_A6kvhMoVeCsc7v8U.json.gz",
    "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2024/05/14/111122223333_CloudTrail-Digest_us-east-1_management-trail_us-east-1_20240514T100512Z.json.gz",
    "AWSLogs/111122223333/CloudTrail-Insight/us-east-1/2024/05/14/111122223333_CloudTrail-Insight_us-east-1_20240514T1605Z_emYU43DplhEyaRMc.json.gz",
    "org-trail/AWSLogs/o-exampleorgid/444455556666/CloudTrail/us-east-1/2024/05/14/444455556666_CloudTrail_us-east-1_20240514T1240Z_6ZfeD9erygaZs1d3.json.gz",
]
for name in small_archives:
    write("framer", "archive-" + os.path.basename(name)[:-3], gzip.decompress(open("Fixtures/archives/sample/" + name, "rb").read()))
for name in sorted(os.listdir("Fixtures/shapes")):
    raw = open("Fixtures/shapes/" + name, "rb").read()
    if name.endswith(".gz"):
        raw, name = gzip.decompress(raw), name[:-3]
    write("framer", "shape-" + name, raw[:16384])
write("framer", "corpus-smoke-test.json", open(os.path.join(corpus, "trailscraper/events-for-smoke-test.json"), "rb").read())
write("framer", "corpus-stratus-array.json", open(os.path.join(corpus, event_files[1]), "rb").read())
panther = open(os.path.join(corpus, "panther-analysis/aws_cloudtrail_rules_tests.ndjson"), "rb").read().split(b"\n")
write("framer", "corpus-panther.ndjson", b"\n".join(panther[:4]) + b"\n")
e1, e2 = '{"eventName":"A","n":[1,{"x":"]}"}]}', '{"eventName":"B","s":"\\"\\\\\\u00e9"}'
hand = {
    "bom-envelope.json": b"\xef\xbb\xbf" + ('{"Records":[%s,%s]}' % (e1, e2)).encode(),
    "escaped-key.json": '{"Rec\\u006frds":[%s]}' % e1,
    "members-around.json": '{"Records":[%s], "x\\u0041" : {"a":[1,"\\"]"]}, "n": -1.5e3,"Records":[%s]}' % (e1, e2),
    "events-key.json": '{"Events":[%s,%s],"NextToken":"abc"}' % (e1, e2),
    "lower-events-key.json": '{"events":[{"message":%s}],"searchedLogStreams":[]}' % json.dumps(e1),
    "not-envelope.json": '{"Recordz":[1,2]}\n{"Records":{"a":1}}\n{"Records" : [ ] }',
    "ndjson.json": "%s\n%s\r\n  %s" % (e1, e2, e1),
    "top-array.json": "[%s , %s,{},[],1,\"s\",null]" % (e1, e2),
    "concatenated.json": '{"Records":[%s]}{"Records":[%s]}' % (e1, e2),
    "empty-values.json": "{} [] {\"Records\":[]} []",
    "deep.json": '{"Records":[' + "[" * 40 + "]" * 40 + "]}",
    "bad-record.json": '{"Records":[%s,{"eventName": tru},%s]}' % (e1, e2),
    "big-record.json": '{"Records":[{"eventName":"Big","blob":"%s"},%s]}' % ("x" * 200, e1),
}
for name, text in hand.items():
    write("framer", "hand-" + name, text)

# where: the CIS patterns (cloudtrail-formats.md §6.4) and the examples of docs/filter-language.md.
formats = open(os.path.join(shared, "docs", "cloudtrail-formats.md")).read()
section = formats[formats.index("### 6.4"):formats.index("## 7.")]
patterns = [line for line in section.splitlines() if line.startswith("{")]
assert len(patterns) >= 15, len(patterns)
for i, pattern in enumerate(patterns):
    write("where", "cis-%02d.txt" % (i + 1), pattern)
language = open("docs/filter-language.md").read()
examples = language[language.index("## Examples"):]
examples = examples[examples.index("```") + 3:]
examples = examples[:examples.index("```")]
for i, line in enumerate(l for l in examples.splitlines() if l.startswith("{")):
    write("where", "doc-%02d.txt" % (i + 1), line.split("  ←")[0].rstrip())
extra = [
    '{ $.eventName = "ConsoleLogin" && $.additionalEventData.MFAUsed != "Yes" }',
    '{ ($.eventName = "ConsoleLogin") && ($.errorCode == "x") }',
    '{ $.requestParameters.size < -1e2 || $.status >= 400 && $.latency <= 55.50 }',
    '{ $.requestParameters.list[5].c[0] NOT EXISTS || $.requestParameters.list[*] IS NULL }',
    '{ $.requestParameters.* = "a.b" && $.resources[*].ARN = %^arn:aws:kms:[a-z0-9-]{9,}:\\d{12}:key/\\w+$% }',
    '{ $.userIdentity.invokedBy IS NULL && $.readOnly IS TRUE && $.x IS FALSE }',
    '{ $.[\'@odd:key\'] = "v" && $.requestParameters[\'quote"key\'] = "say \\"hi\\"" }',
    '{ $.sourceIPAddress != 10.* && $.eventName = *Policy* && $.eventName = Ev*ent }',
    '{ $.recipientAccountId = 123456789012 && $.requestParameters.big = 123456789012345678901.0e0 }',
    '{ $.a = %a{2,1000}?|b*c+d?% }',
    '{\n\t$.eventName = "é*"\n\t|| ($.x = 1)\n}',
    '{ ((((($.a = 1))))) }',
]
for i, text in enumerate(extra):
    write("where", "extra-%02d.txt" % (i + 1), text)

# digest: the sample archive's digest, and hand-made variants of it: a starting digest (nulls),
# no log files, fields missing, of the wrong type or repeated, escapes, an entry with extra
# members, a bare array.
sample = gzip.decompress(open("Fixtures/archives/sample/" + small_archives[1], "rb").read())
write("digest", "sample-digest.json", sample)
base = json.loads(sample)
def variant(name, change):
    value = json.loads(sample)
    change(value)
    write("digest", "hand-" + name + ".json", compact(value))
variant("compact", lambda v: None)
variant("starting", lambda v: v.update({k: None for k in v if k.startswith("previousDigest")}))
variant("no-log-files", lambda v: v.update(logFiles=[], newestEventTime=None, oldestEventTime=None))
variant("missing-end-time", lambda v: v.pop("digestEndTime"))
variant("number-bucket", lambda v: v.update(digestS3Bucket=12))
variant("null-fingerprint", lambda v: v.update(digestPublicKeyFingerprint=None))
variant("entry-without-hash", lambda v: v["logFiles"][0].pop("hashValue"))
variant("entry-extra", lambda v: v["logFiles"][0].update(extra={"a": [1, None]}))
variant("duplicate-entries", lambda v: v.update(logFiles=v["logFiles"] * 3))
variant("log-files-object", lambda v: v.update(logFiles={"a": 1}))
write("digest", "hand-repeated-key.json", '{"digestEndTime":"a","digestEndTime":7,' + compact(base)[1:])
write("digest", "hand-escapes.json", compact(base).replace('"digestS3Bucket"', '"digest\\u0053\\u0033Bucket"', 1))
write("digest", "hand-array.json", "[" + compact(base) + "]")

# rules: the built-in cis pack (its YAML as the loader reads it), the rule files of
# docs/check.md, and small hand-made documents for the YAML features a rule file may use or
# abuse: anchors and aliases, merge keys, flow and block styles, tags, several documents,
# complex keys, nesting, and each kind of error.
cis = open("Sources/TrailCheck/Packs/CISPack.swift").read()
cis = cis[cis.index('#"""') + 5:cis.index('"""#')]
write("rules", "pack-cis.yml", "".join(line[4:] + "\n" for line in cis.splitlines()))
check = open("docs/check.md").read()
for i, block in enumerate(re.findall(r"```yaml\n(.*?)```", check, re.S)):
    if "rules:" in block or "- id:" in block:
        write("rules", "doc-%02d.yml" % (i + 1), block)
rule = "{id: r, title: T, severity: low, match: {eventName: X}}"
hand = {
    "list.yml": "- " + rule + "\n",
    "anchors.yml": "description: &d Shared text.\nrules:\n  - {id: a, title: A, severity: low, match: {eventName: X}, remediation: *d}\n  - {id: b, title: B, severity: high, pattern: '{ $.a = 1 }', remediation: *d}\n",
    "merge.yml": "- &base {id: a, title: A, severity: low, match: {eventName: X}}\n- <<: *base\n  id: b\n",
    "block.yml": "rules:\n  - id: a\n    title: |\n      Line one\n      line two\n    severity: medium\n    description: >-\n      Folded\n      text.\n    match:\n      eventName: [ConsoleLogin, GetObject]\n      ip: ['!10.0.0.0/8']\n    threshold: 5\n    window: 10m\n    group-by: [ip, principal]\n    references:\n      - https://example.com\n",
    "tags.yml": "--- !!map\nrules: !!seq\n  - {id: !!str 1, title: !x T, severity: low, match: {eventName: X}}\n...\n",
    "documents.yml": "- " + rule + "\n---\n- " + rule + "\n",
    "complex-key.yml": "? [a, b]\n: c\nrules: []\n",
    "nested.yml": "rules: " + "[" * 30 + "]" * 30 + "\n",
    "alias-chain.yml": "description: &a0 [x, x]\npack: &a1 [*a0, *a0]\nrules: [*a1]\n",
    "quoted.yml": "- {id: \"q\", title: \"\\u00e9\\x41\\N\\L\", severity: 'LOW', pattern: '{ $.eventName = %^Get\\w+$% }'}\n",
    "errors.yml": "rules:\n  - id: a\n    title: A\n    severity: urgent\n    patern: '{ $.x = }'\n",
    "duplicate.yml": "- " + rule + "\n- " + rule + "\n",
    "undefined-alias.yml": "- {id: a, title: *nowhere, severity: low}\n",
}
for name, text in hand.items():
    write("rules", "hand-" + name, text)

# gzip: each seed is one control byte (how the fuzz target cuts the input into feeds; 0: whole)
# and a gzip stream: small archive files as delivered, members with every optional header field,
# several members, stored, fixed-Huffman and dynamic blocks, an empty member, trailing bytes.
import struct, zlib
def member(content, level=6, extra=None, name=None, comment=None, hcrc=False, strategy=zlib.Z_DEFAULT_STRATEGY):
    body = zlib.compressobj(level, zlib.DEFLATED, -15, 8, strategy)
    deflate = body.compress(content) + body.flush()
    flags = (4 if extra is not None else 0) | (8 if name is not None else 0) | (16 if comment is not None else 0) | (2 if hcrc else 0)
    header = bytes([0x1f, 0x8b, 8, flags, 0, 0, 0, 0, 0, 3])
    if extra is not None: header += struct.pack("<H", len(extra)) + extra
    if name is not None: header += name + b"\0"
    if comment is not None: header += comment + b"\0"
    if hcrc: header += struct.pack("<H", zlib.crc32(header) & 0xffff)
    return header + deflate + struct.pack("<II", zlib.crc32(content), len(content) & 0xffffffff)
def gz(name, stream, control=0):
    write("gzip", name, bytes([control]) + stream)
logs = sorted(glob.glob("Fixtures/archives/sample/AWSLogs/*/CloudTrail/*/*/*/*/*.json.gz"), key=os.path.getsize)[:3]
for i, path in enumerate(logs):
    gz("archive-%d.gz" % i, open(path, "rb").read())
text = gzip.decompress(open(logs[0], "rb").read())[:3000]
gz("hand-every-header-field.gz", member(text, extra=b"ab", name=b"x.json", comment=b"c", hcrc=True))
gz("hand-members.gz", member(text[:500]) + member(b"") + member(text[500:], level=9), control=0x12)
gz("hand-stored.gz", member(text, level=0))
gz("hand-fixed.gz", member(b'{"Records":[]}', strategy=zlib.Z_FIXED))
gz("hand-huffman-only.gz", member(text, strategy=zlib.Z_HUFFMAN_ONLY), control=0x41)
gz("hand-rle.gz", member(text, strategy=zlib.Z_RLE))
gz("hand-trailing.gz", member(text[:100]) + b"\n\0\0", control=0x09)
gz("hand-truncated.gz", member(text)[:-5])
PY

du -sh "$seeds"
for t in json framer where digest rules gzip; do echo "$t: $(ls "$seeds/$t" | wc -l) seeds"; done
