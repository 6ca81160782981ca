// The query layer on hand-made events: field values (derived and paths through arrays), globs,
// the filter flags' AND/OR meaning, time bounds, and aggregation keys, counts and order.

import Testing
import TrailEvent
import TrailJSON
import TrailModel
import TrailQuery
import TrailTime

/// Parses `json` and returns a view; the document stays alive through the view.
func view(_ json: String) throws -> EventView {
  let doc = try JSONDocument(parsing: Array(json.utf8))
  return EventView(json: doc.root)
}

let s3Event = """
  {"eventTime":"2024-05-14T09:20:41Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","awsRegion":"eu-west-1",
   "userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::111122223333:assumed-role/EtlRole/job","accessKeyId":"ASIAX",
     "principalId":"AROA:job","sessionContext":{"sessionIssuer":{"arn":"arn:aws:iam::111122223333:role/EtlRole"}}},
   "requestParameters":{"bucketName":"prod","tags":[{"k":"a"},{"k":"b"}],"n":5,"flag":true,"none":null},
   "resources":[{"ARN":"arn:aws:s3:::prod/x"},{"ARN":"arn:aws:s3:::prod"}],"recipientAccountId":"111122223333"}
  """

struct FieldTests {
  @Test func derivedAndPathValues() throws {
    let v = try view(s3Event)
    #expect(v.values(of: .principal) == ["arn:aws:iam::111122223333:role/EtlRole"])
    #expect(v.values(of: .hour) == ["2024-05-14T09"])
    #expect(v.values(of: .resource) == ["arn:aws:s3:::prod/x", "arn:aws:s3:::prod"])
    #expect(v.values(of: try Field(parsing: "requestParameters.bucketName")) == ["prod"])
    #expect(v.values(of: try Field(parsing: "requestParameters.tags.k")) == ["a", "b"])
    #expect(v.values(of: try Field(parsing: "requestParameters.tags.1.k")) == ["b"])
    #expect(v.values(of: try Field(parsing: "requestParameters.n")) == ["5"])
    #expect(v.values(of: try Field(parsing: "requestParameters.flag")) == ["true"])
    #expect(v.values(of: try Field(parsing: "requestParameters.none")) == [])
    #expect(v.values(of: try Field(parsing: "resources.ARN")) == ["arn:aws:s3:::prod/x", "arn:aws:s3:::prod"])
    #expect(v.values(of: try Field(parsing: "requestParameters.tags.0")) == [#"{"k":"a"}"#])
    #expect(v.values(of: try Field(parsing: "missing.path")) == [])
  }

  @Test func fieldNames() throws {
    #expect(
      try Field.list("principal, action,requestParameters.bucketName") == [
        .principal, .action, .path(["requestParameters", "bucketName"]),
      ])
    #expect(throws: QueryError.self) { try Field(parsing: "a..b") }
    #expect(throws: QueryError.self) { try Field.list(" , ") }
    for (field, _) in Field.derived { #expect(try Field(parsing: field.description) == field) }
  }
}

struct GlobTests {
  @Test(arguments: [
    ("Delete*", "DeleteBucket", true), ("Delete*", "Delete", true), ("Delete*", "UndeleteX", false),
    ("*Bucket*", "PutBucketPolicy", true), ("*Policy", "PutBucketPolicy", true), ("a*b*c", "abc", true),
    ("a*b*c", "acb", false), ("a*a", "a", false), ("ConsoleLogin", "ConsoleLogin", true),
    ("ConsoleLogin", "consolelogin", false),
    ("*", "", true), ("é*", "été", true),
  ])
  func matches(_ pattern: String, _ text: String, _ expected: Bool) {
    #expect(Glob(pattern).matches(text) == expected)
  }
}

struct FilterTests {
  @Test func flagsCombineAsAndOfOrs() throws {
    let v = try view(s3Event)
    var f = FilterSet()
    f.eventNames = ["PutObject", "Get*"]
    f.eventSources = ["s3"]
    #expect(f.predicate.evaluate(v))
    f.regions = ["us-east-1"]
    #expect(!f.predicate.evaluate(v))
    f.regions = ["us-east-1", "eu-*"]
    #expect(f.predicate.evaluate(v))
    f.accounts = ["111122223333"]
    f.principals = ["ASIAX"]
    #expect(f.predicate.evaluate(v))
    f.errors = ["*"]
    #expect(!f.predicate.evaluate(v))
  }

  @Test(arguments: [
    "arn:aws:iam::111122223333:role/EtlRole", "*assumed-role/EtlRole/job", "AROA:job", "ASIAX", "*EtlRole*",
  ])
  func principalMatchesEveryIdentityForm(_ value: String) throws {
    var f = FilterSet()
    f.principals = [value]
    #expect(f.predicate.evaluate(try view(s3Event)))
  }

  /// `--event-name` and the other plain top-level fields are matched on the string's bytes
  /// where they can be (ASCII, no escape): the answer must be `Glob.matches` on the `String`,
  /// escapes, Unicode equivalence (U+212A KELVIN SIGN is K), numbers and absence included.
  @Test(arguments: [
    (#"{"eventName":"ConsoleLogin"}"#, "ConsoleLogin", true),
    (#"{"eventName":"ConsoleLogin"}"#, "ConsoleLogi", false),
    (#"{"eventName":"ConsoleLogin"}"#, "Console*", true),
    (#"{"eventName":"Console\u004cogin"}"#, "ConsoleLogin", true),
    (#"{"eventName":"Console\u004cogin"}"#, "*Login", true),
    ("{\"eventName\":\"\u{212A}\"}", "K", true),
    (#"{"eventName":"K"}"#, "\u{212A}", true),
    ("{\"eventName\":\"e\u{301}t\u{E9}\"}", "\u{E9}t\u{E9}", true),
    (#"{"eventName":12}"#, "12", true),
    (#"{"eventName":null}"#, "*", false),
    (#"{"eventSource":"x"}"#, "*", false),
    (#"{"eventname":"ConsoleLogin","eventversion":"1"}"#, "ConsoleLogin", true),
    (#"{"eventSource":"signin.amazonaws.com","eventName":"x"}"#, "signin.amazonaws.com", false),
  ])
  func plainFieldsMatchTheirText(_ json: String, _ pattern: String, _ expected: Bool) throws {
    let v = try view(json)
    let predicate = Predicate.matches(.eventName, Glob(pattern))
    #expect(predicate.evaluate(v) == expected)
    #expect(predicate.evaluate(v) == v.values(of: .eventName).contains(where: Glob(pattern).matches))
  }

  @Test func errorFilter() throws {
    let denied = try view(#"{"errorCode":"AccessDenied"}"#)
    var f = FilterSet()
    f.errors = ["*"]
    #expect(f.predicate.evaluate(denied))
    f.errors = ["Client.*"]
    #expect(!f.predicate.evaluate(denied))
    f.errors = ["Client.*", "AccessDenied"]
    #expect(f.predicate.evaluate(denied))
  }

  @Test func timeBounds() throws {
    let now = Timestamp(year: 2024, month: 5, day: 20)!
    #expect(try TimeBound.parse("7d", edge: .since, now: now) == Timestamp(year: 2024, month: 5, day: 13))
    #expect(try TimeBound.parse("2024-05-14", edge: .since, now: now) == Timestamp(year: 2024, month: 5, day: 14))
    #expect(try TimeBound.parse("2024-05-14", edge: .until, now: now) == Timestamp(year: 2024, month: 5, day: 15))
    #expect(
      try TimeBound.parse("2024-05-14T09:20:41Z", edge: .until, now: now)
        == Timestamp(year: 2024, month: 5, day: 14, hour: 9, minute: 20, second: 41))
    #expect(throws: QueryError.self) { try TimeBound.parse("last tuesday", edge: .since, now: now) }

    let v = try view(s3Event)
    var f = FilterSet()
    f.since = Timestamp(year: 2024, month: 5, day: 14, hour: 9, minute: 20, second: 41)
    #expect(f.predicate.evaluate(v))  // since is inclusive
    f.until = f.since
    #expect(!f.predicate.evaluate(v))  // until is exclusive
    var g = FilterSet()
    g.since = Timestamp(year: 2000, month: 1, day: 1)
    #expect(!g.predicate.evaluate(try view(#"{"eventName":"NoTime"}"#)))
  }
}

struct AggregationTests {
  @Test func countsFanOutAndOrder() throws {
    var agg = Aggregator(Aggregation(groupBy: [.service, .resource]))
    agg.add(try view(s3Event))
    agg.add(try view(s3Event))
    agg.add(try view(#"{"eventSource":"iam.amazonaws.com","eventTime":"2024-05-14T08:00:00Z"}"#))
    let rows = agg.rows()
    #expect(rows.map(\.key) == [["s3", "arn:aws:s3:::prod"], ["s3", "arn:aws:s3:::prod/x"], ["iam", nil]])
    #expect(rows.map(\.count) == [2, 2, 1])
    #expect(rows[2].firstSeen == Timestamp(year: 2024, month: 5, day: 14, hour: 8))

    var top = Aggregator(Aggregation(groupBy: [.service], top: 1))
    var other = Aggregator(Aggregation(groupBy: [.service], top: 1))
    top.add(try view(#"{"eventSource":"iam.amazonaws.com","eventTime":"2024-05-14T08:00:00Z"}"#))
    other.add(try view(#"{"eventSource":"iam.amazonaws.com","eventTime":"2024-05-14T07:00:00Z"}"#))
    other.add(try view(s3Event))
    top.merge(other)
    #expect(
      top.rows() == [
        GroupRow(
          key: ["iam"], count: 2, firstSeen: Timestamp(year: 2024, month: 5, day: 14, hour: 7),
          lastSeen: Timestamp(year: 2024, month: 5, day: 14, hour: 8))
      ])
  }
}

struct IPNetworkTests {
  @Test(arguments: [
    ("10.0.0.0/8", "10.255.1.2", true), ("10.0.0.0/8", "11.0.0.1", false), ("198.51.100.7", "198.51.100.7", true),
    ("198.51.100.0/24", "198.51.101.7", false), ("0.0.0.0/0", "203.0.113.9", true), ("0.0.0.0/0", "2001:db8::1", false),
    ("2001:db8::/32", "2001:db8:e131:8::1", true), ("2001:db8::/32", "2001:db9::1", false), ("::1", "::1", true),
    ("::ffff:192.0.2.0/120", "192.0.2.44", true), ("10.0.0.0/8", "AWS Internal", false),
    ("10.0.0.0/8", "lambda.amazonaws.com", false),
    ("fe80::/10", "fe80::1%eth0", true),
  ])
  func contains(_ network: String, _ address: String, _ expected: Bool) throws {
    let net = try #require(IPNetwork(network))
    #expect(net.contains(address) == expected)
  }

  @Test(arguments: [
    "AWS Internal", "10.0.0.0/33", "1.2.3", "1.2.3.4.5", "2001:db8:::1", "1::2::3", "10.0.0.256", "g::1", "10.0.0.0/-1",
  ])
  func rejects(_ text: String) { #expect(IPNetwork(text) == nil) }
}
