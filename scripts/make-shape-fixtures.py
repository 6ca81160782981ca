#!/usr/bin/env python3
# Writes Fixtures/shapes/: the same CloudTrail events in every container the reader detects
# (lookup-events v1/v2, CloudWatch Logs API outputs, subscription payloads, export lines,
# EventBridge, CloudTrail Lake), made from the sample archive so expected answers are known.
# Deterministic: run it again and git shows no change. Usage: scripts/make-shape-fixtures.py
import gzip, json, os, datetime

ROOT = os.path.join(os.path.dirname(__file__), "..")
SOURCE = os.path.join(ROOT, "Fixtures/archives/sample/AWSLogs/111122223333/CloudTrail/us-east-1/2024/05/14",
                      "111122223333_CloudTrail_us-east-1_20240514T0921Z_V5gbXNlrRcgGLnlg.json.gz")
OUT = os.path.join(ROOT, "Fixtures/shapes")
os.makedirs(OUT, exist_ok=True)

with gzip.open(SOURCE, "rt", encoding="utf-8") as f:
    events = json.load(f)["Records"]
texts = [json.dumps(e, ensure_ascii=False, separators=(",", ":")) for e in events]

def epoch(e):
    t = datetime.datetime.strptime(e["eventTime"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
    return int(t.timestamp())

def write(name, data, gz=False):
    path = os.path.join(OUT, name)
    raw = data.encode("utf-8")
    if gz:
        raw = gzip.compress(raw, mtime=0)
    with open(path, "wb") as f:
        f.write(raw)

# aws cloudtrail lookup-events: CLI v2 (ISO 8601 with a local offset) and v1 (epoch seconds).
def lookup(e, t, time):
    return {"EventId": e["eventID"], "EventName": e["eventName"], "ReadOnly": str(e.get("readOnly", False)).lower(),
            "EventTime": time, "EventSource": e["eventSource"], "Username": e["userIdentity"].get("userName", ""),
            "Resources": [], "CloudTrailEvent": t}
v2 = [lookup(e, t, datetime.datetime.fromtimestamp(epoch(e), datetime.timezone(datetime.timedelta(hours=-7))).isoformat())
      for e, t in zip(events, texts)]
write("lookup-events-v2.json", json.dumps({"Events": v2, "NextToken": "eyJ0b2tlbiI6ICJleGFtcGxlIn0="}, indent=4) + "\n")
v1 = [lookup(e, t, float(epoch(e))) for e, t in zip(events, texts)]
write("lookup-events-v1.json", json.dumps({"Events": v1}, indent=4) + "\n")

# aws logs filter-log-events and get-log-events.
stream = "111122223333_CloudTrail_us-east-1"
fle = [{"logStreamName": stream, "timestamp": epoch(e) * 1000, "message": t, "ingestionTime": epoch(e) * 1000 + 1000,
        "eventId": "%056d" % (i + 1)} for i, (e, t) in enumerate(zip(events, texts))]
write("filter-log-events.json", json.dumps({"events": fle, "searchedLogStreams": [], "nextToken": "tok"}, indent=4) + "\n")
gle = [{"timestamp": epoch(e) * 1000, "message": t, "ingestionTime": epoch(e) * 1000 + 1000} for e, t in zip(events, texts)]
write("get-log-events.json", json.dumps({"events": gle, "nextForwardToken": "f/1", "nextBackwardToken": "b/1"}, indent=4) + "\n")

# Subscription payloads as Firehose writes them to S3: gzip members back to back, each one
# envelope; a CONTROL_MESSAGE first, then two DATA_MESSAGEs sharing the events.
def envelope(kind, evs):
    return json.dumps({"messageType": kind, "owner": "111122223333", "logGroup": "CloudTrail/logs", "logStream": stream,
                       "subscriptionFilters": ["Destination"],
                       "logEvents": [{"id": "%056d" % (i + 1), "timestamp": epoch(e) * 1000, "message": t} for i, (e, t) in enumerate(evs)]},
                      separators=(",", ":"))
pairs = list(zip(events, texts))
members = [
    json.dumps({"messageType": "CONTROL_MESSAGE", "owner": "CloudwatchLogs", "logGroup": "", "logStream": "",
                "subscriptionFilters": [], "logEvents": [{"id": "", "timestamp": 1715678000000,
                "message": "CWL CONTROL MESSAGE: Checking health of destination Firehose."}]}, separators=(",", ":")),
    envelope("DATA_MESSAGE", pairs[:6]),
    envelope("DATA_MESSAGE", pairs[6:]),
]
with open(os.path.join(OUT, "subscription-firehose.gz"), "wb") as f:
    for m in members:
        f.write(gzip.compress(m.encode("utf-8"), mtime=0))

# CloudWatch Logs export to S3: lines "TIMESTAMP MESSAGE".
lines = ["%s.%03dZ %s" % (datetime.datetime.fromtimestamp(epoch(e), datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S"), i % 1000, t)
         for i, (e, t) in enumerate(pairs)]
write("cloudwatch-export-000000.gz", "\n".join(lines) + "\n", gz=True)

# EventBridge "AWS API Call via CloudTrail", one event per line.
eb = [json.dumps({"version": "0", "id": "eb-%04d" % i, "detail-type": "AWS API Call via CloudTrail", "source": "aws." + e["eventSource"].split(".")[0],
                  "account": "111122223333", "time": e["eventTime"], "region": e["awsRegion"], "resources": [], "detail": e},
                 ensure_ascii=False, separators=(",", ":")) for i, e in enumerate(events)]
write("eventbridge.ndjson", "\n".join(eb) + "\n")

# CloudTrail Lake integration events (events from outside AWS), as stored.
lake = []
for i in range(3):
    lake.append({
        "eventVersion": "1.09", "eventCategory": "ActivityAuditLog", "eventType": "ActivityLog",
        "eventID": "lake-0000-%04d" % i, "eventTime": "2024-05-14T10:0%d:00Z" % i, "awsRegion": "us-east-1",
        "recipientAccountId": "111122223333",
        "addendum": None,
        "metadata": {"ingestionTime": "2024-05-14T10:0%d:05Z" % i, "channelARN": "arn:aws:cloudtrail:us-east-1:111122223333:channel/example"},
        "eventData": {"version": "1.0", "userIdentity": {"type": "CustomUser", "principalId": "okta|user-%d" % i, "details": {"team": "ops"}},
                      "userAgent": "okta-agent", "eventSource": "okta.example.com", "eventName": ["UserLogin", "GrantAccess", "UserLogout"][i],
                      "eventTime": "2024-05-14T10:0%d:00Z" % i, "UID": "uid-%d" % i, "requestParameters": {"app": "console"},
                      "responseElements": None, "sourceIPAddress": "198.51.100.%d" % (10 + i), "recipientAccountId": "111122223333"},
    })
write("lake-integration.json", json.dumps(lake, indent=2) + "\n")
print("wrote", sorted(os.listdir(OUT)))
