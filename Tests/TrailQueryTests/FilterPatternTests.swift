// The `--where` language on hand-made records: how `&&`/`||`/parentheses group, every operator,
// IS NULL vs NOT EXISTS, booleans, arrays, wildcards, numbers, bare values, and the semantics
// decisions of docs/filter-language.md (missing fields, `!=`, strings vs numbers).
import Testing
import TrailJSON
import TrailQuery

/// Whether `pattern` selects the record `json`.
func selects(_ pattern: String, _ json: String) throws -> Bool {
  try FilterPattern.parse(pattern).evaluate(view(json))
}

/// The AWS documentation's sample record for JSON filter patterns.
let awsSample = """
  {"eventType":"UpdateTrail","sourceIPAddress":"111.111.111.111","arrayKey":["value","another value"],
   "objectList":[{"name":"a","id":1},{"name":"b","id":2}],"SomeObject":null,"ThisFlag":true}
  """

/// The AWS documentation's sample record for compound conditions.
let awsCompound = """
  {"user":{"id":1,"email":"John.Stiles@example.com"},
   "users":[{"id":2,"email":"John.Doe@example.com"},{"id":3,"email":"Jane.Doe@example.com"}],
   "actions":["GET","PUT","DELETE"],"coordinates":[[0,1,2],[4,5,6],[7,8,9]]}
  """

struct FilterPatternDocumentationTests {
  @Test(arguments: [
    #"{ $.eventType = "UpdateTrail" }"#,
    "{ $.sourceIPAddress != 123.123.* }",
    #"{ $.arrayKey[0] = "value" }"#,
    "{ $.objectList[1].id = 2 }",
    "{ $.SomeObject IS NULL }",
    "{ $.SomeOtherObject NOT EXISTS }",
    "{ $.ThisFlag IS TRUE }",
    "{ $.eventType = %Trail% }",
    "{ $.arrayKey[*] = %val.{2}% }",
  ])
  func documentedExamplesMatchTheSample(_ pattern: String) throws {
    #expect(try selects(pattern, awsSample))
  }

  @Test(arguments: [
    (#"{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }"#, true),
    (#"{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "GET" }"#, false),
    (
      #"{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch && $.actions[2] = nomatch }"#, true
    ),
    (
      #"{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch) && $.actions[2] = nomatch }"#,
      false
    ),
    ("{ $.coordinates[0][1] = 1 }", true),
    ("{ $.coordinates[2][0] = 7 && $.coordinates[1][2] >= 6 }", true),
  ])
  func documentedCompoundExamples(_ pattern: String, _ expected: Bool) throws {
    #expect(try selects(pattern, awsCompound) == expected)
  }

  @Test func selectorOnAnObjectOrArrayNeverMatches() throws {
    // "both {$.users = 1} and {$.users != 1} will fail to match a log event where users is an array"
    let record = #"{"users":[1,2,3],"user":{"id":1}}"#
    for pattern in [
      "{$.users = 1}", "{$.users != 1}", "{$.users = *}", "{$.user = *}", "{$.user != 1}", "{$.users IS NULL}",
      "{$.user NOT EXISTS}",
    ] {
      #expect(try !selects(pattern, record), "\(pattern)")
    }
  }
}

struct FilterPatternPrecedenceTests {
  // a: true, b: false, c: false
  let record = #"{"a":"yes","b":"no","c":"no"}"#

  @Test func andBindsTighterThanOr() throws {
    // a || (b && c) = true; (a || b) && c would be false.
    #expect(try selects(#"{ $.a = "yes" || $.b = "yes" && $.c = "yes" }"#, record))
    #expect(try !selects(#"{ ($.a = "yes" || $.b = "yes") && $.c = "yes" }"#, record))
    // (b && c) || a, written the other way round.
    #expect(try selects(#"{ $.b = "yes" && $.c = "yes" || $.a = "yes" }"#, record))
    #expect(try !selects(#"{ $.b = "yes" && ($.c = "yes" || $.a = "yes") }"#, record))
  }

  @Test func parseTreeShape() throws {
    let p = try FilterPattern.parse("{ $.a = 1 || $.b = 2 && $.c = 3 }")
    guard case .or(let parts) = p, parts.count == 2, case .pattern = parts[0], case .and(let inner) = parts[1] else {
      Issue.record("unexpected shape \(p)")
      return
    }
    #expect(inner.count == 2)
    // Chains of the same operator are flat; redundant parentheses disappear.
    guard case .or(let flat) = try FilterPattern.parse("{ ($.a = 1 || ($.b = 2)) || (($.c = 3)) }") else {
      Issue.record("expected or")
      return
    }
    #expect(flat.count == 3)
    guard case .pattern(let single) = try FilterPattern.parse("{((($.a = 1)))}") else {
      Issue.record("expected a single condition")
      return
    }
    #expect(single.description == "$.a = 1")
  }

  @Test func nestedParentheses() throws {
    let pattern = #"{ (($.a = "yes" && ($.b = "no" || $.c = "yes")) && (($.c = "no"))) }"#
    #expect(try selects(pattern, record))
    #expect(try !selects(#"{ (($.a = "yes" && ($.b = "yes" || $.c = "yes"))) }"#, record))
  }

  @Test func whitespaceIsFreeBetweenTokens() throws {
    for pattern in [
      #"{$.a="yes"&&$.b!="yes"}"#, "{\n\t$.a = \"yes\"\n\t&& $.b != \"yes\"\n}",
      #"  {  (  $.a  =  "yes"  )  &&  (  $.b  !=  yes  )  }  "#,
    ] {
      #expect(try selects(pattern, record), "\(pattern)")
    }
  }
}

struct FilterPatternOperatorTests {
  let record = #"{"n":5,"d":55.5,"neg":-3,"big":123456789012345678901,"s":"abc","e":2.5e3,"code":"400","zero":0}"#

  @Test(arguments: [
    ("{ $.n = 5 }", true), ("{ $.n = 5.0 }", true), ("{ $.n = 0.5e1 }", true), ("{ $.n = +5 }", true),
    ("{ $.n = 6 }", false),
    ("{ $.n != 5 }", false), ("{ $.n != 6 }", true),
    ("{ $.n < 6 }", true), ("{ $.n < 5 }", false), ("{ $.n <= 5 }", true), ("{ $.n <= 4.99 }", false),
    ("{ $.n > 4 }", true), ("{ $.n > 5 }", false), ("{ $.n >= 5 }", true), ("{ $.n >= 5.01 }", false),
    ("{ $.d <= 55.5 }", true), ("{ $.d > 55.49 }", true), ("{ $.d < 55.5 }", false),
    ("{ $.neg < 0 }", true), ("{ $.neg = -3 }", true), ("{ $.neg > -3.5 }", true), ("{ $.neg >= -2 }", false),
    ("{ $.e = 2500 }", true), ("{ $.e > 10e2 }", true), ("{ $.e < 10e-3 }", false),
    ("{ $.big = 123456789012345678901 }", true), ("{ $.big > 123456789012345678900 }", true),
    ("{ $.big < 123456789012345678902 }", true),
    ("{ $.zero = -0 }", true), ("{ $.zero >= 0.0 }", true),
    ("{ $.missing < 1 }", false), ("{ $.missing != 1 }", false),
  ])
  func numbers(_ pattern: String, _ expected: Bool) throws {
    #expect(try selects(pattern, record) == expected, "\(pattern)")
  }

  @Test(arguments: [
    // A string is never ordered; `=`/`!=` with a bare number compare the text as written.
    ("{ $.code = 400 }", true), ("{ $.code != 400 }", false), ("{ $.code = 400.0 }", false), ("{ $.code > 1 }", false),
    ("{ $.code < 1000 }", false), (#"{ $.code = "400" }"#, true),
    // A number compared with text (quoted or a glob) is compared by its text as written.
    (#"{ $.n = "5" }"#, true), ("{ $.n = 5* }", true), (#"{ $.d = "55.5" }"#, true), (#"{ $.e = "2500" }"#, false),
    ("{ $.n = * }", true), ("{ $.n = %^[0-9]$% }", true),
  ])
  func stringsAndNumbers(_ pattern: String, _ expected: Bool) throws {
    #expect(try selects(pattern, record) == expected, "\(pattern)")
  }

  @Test func notEqualNeedsThePresentValue() throws {
    // AWS: a missing field does not satisfy `!=` (use NOT EXISTS); nor does null or an object.
    let record = #"{"a":"x","nul":null,"obj":{"k":"v"},"flag":true}"#
    #expect(try selects(#"{ $.a != "y" }"#, record))
    #expect(try !selects(#"{ $.a != "x" }"#, record))
    #expect(try !selects(#"{ $.missing != "y" }"#, record))
    #expect(try !selects(#"{ $.nul != "y" }"#, record))
    #expect(try !selects(#"{ $.obj != "y" }"#, record))
    #expect(try !selects(#"{ $.flag != "y" }"#, record))
    #expect(try !selects(#"{ $.a.deeper != "y" }"#, record))
    #expect(try selects(#"{ $.missing != "y" || $.missing NOT EXISTS }"#, record))
  }
}

struct FilterPatternNullAndExistenceTests {
  let record = #"{"nul":null,"empty":"","obj":{"inner":null},"arr":[null,1],"f":false}"#

  @Test(arguments: [
    ("{ $.nul IS NULL }", true), ("{ $.nul NOT EXISTS }", false),
    ("{ $.missing IS NULL }", false), ("{ $.missing NOT EXISTS }", true),
    ("{ $.empty IS NULL }", false), ("{ $.empty NOT EXISTS }", false), (#"{ $.empty = "" }"#, true),
    ("{ $.obj.inner IS NULL }", true), ("{ $.obj.other NOT EXISTS }", true), ("{ $.obj NOT EXISTS }", false),
    ("{ $.nul.deeper NOT EXISTS }", true), ("{ $.nul.deeper IS NULL }", false), ("{ $.empty.deeper NOT EXISTS }", true),
    ("{ $.arr[0] IS NULL }", true), ("{ $.arr[1] IS NULL }", false), ("{ $.arr[2] NOT EXISTS }", true),
    ("{ $.arr[1] NOT EXISTS }", false),
    ("{ $.f IS NULL }", false), ("{ $.nul = * }", false), (#"{ $.nul = "null" }"#, false), ("{ $.nul = null }", false),
  ])
  func nullVersusAbsent(_ pattern: String, _ expected: Bool) throws {
    #expect(try selects(pattern, record) == expected, "\(pattern)")
  }
}

struct FilterPatternBooleanTests {
  let record =
    #"{"readOnly":true,"mgmt":false,"sessionContext":{"attributes":{"mfaAuthenticated":"true"}},"text":"TRUE"}"#

  @Test(arguments: [
    ("{ $.readOnly IS TRUE }", true), ("{ $.readOnly IS FALSE }", false),
    ("{ $.mgmt IS FALSE }", true), ("{ $.mgmt IS TRUE }", false),
    ("{ $.missing IS TRUE }", false), ("{ $.missing IS FALSE }", false),
    // Strings are not booleans, whatever they spell.
    ("{ $.sessionContext.attributes.mfaAuthenticated IS TRUE }", false), ("{ $.text IS TRUE }", false),
    // ... and are compared as strings, quoted or bare.
    (#"{ $.sessionContext.attributes.mfaAuthenticated = "true" }"#, true),
    ("{ $.sessionContext.attributes.mfaAuthenticated = true }", true),
    // JSON booleans are not value nodes: `=`/`!=` never select them (use IS TRUE / IS FALSE).
    ("{ $.readOnly = true }", false), (#"{ $.readOnly = "true" }"#, false), ("{ $.readOnly != false }", false),
    ("{ $.readOnly = * }", false),
  ])
  func booleans(_ pattern: String, _ expected: Bool) throws {
    #expect(try selects(pattern, record) == expected, "\(pattern)")
  }
}

struct FilterPatternArrayTests {
  let record = """
    {"resources":[{"ARN":"arn:aws:s3:::prod/x","type":"AWS::S3::Object"},{"ARN":"arn:aws:s3:::prod","type":"AWS::S3::Bucket"}],
     "tags":["a","b"],"matrix":[[1,2],[3,4]],"empty":[],"obj":{"k1":"v1","k2":"v2"},"scalar":"s",
     "mixed":[{"id":1},{"other":2},null]}
    """

  @Test(arguments: [
    (#"{ $.resources[0].ARN = "arn:aws:s3:::prod/x" }"#, true),
    (#"{ $.resources[1].ARN = "arn:aws:s3:::prod/x" }"#, false),
    (#"{ $.resources[2].ARN = * }"#, false), (#"{ $.resources[2].ARN NOT EXISTS }"#, true),
    (#"{ $.resources[*].type = "AWS::S3::Bucket" }"#, true),
    (#"{ $.resources[*].type = "AWS::IAM::Role" }"#, false),
    (#"{ $.resources[*].ARN = "*prod" }"#, true),
    // Any element: `!=` holds when some element differs.
    (#"{ $.tags[*] != "a" }"#, true), (#"{ $.tags[*] = "b" }"#, true), (#"{ $.tags[*] = "c" }"#, false),
    (#"{ $.tags[1] = "b" }"#, true), (#"{ $.tags[0] = "b" }"#, false),
    ("{ $.matrix[1][0] = 3 }", true), ("{ $.matrix[*][1] = 4 }", true), ("{ $.matrix[*][1] = 3 }", false),
    ("{ $.matrix[0][*] > 1 }", true), ("{ $.matrix[0][*] > 2 }", false),
    // A name does not reach through an array: CloudWatch needs an index or [*].
    (#"{ $.resources.ARN = * }"#, false), (#"{ $.resources.ARN NOT EXISTS }"#, true),
    // An index or [*] on something that is not an array selects nothing.
    (#"{ $.scalar[0] = "s" }"#, false), (#"{ $.scalar[*] = "s" }"#, false), (#"{ $.scalar[0] NOT EXISTS }"#, true),
    // An empty array has no element to match, and nothing exists in it.
    ("{ $.empty[*] = * }", false), ("{ $.empty[*] NOT EXISTS }", true), ("{ $.empty[0] NOT EXISTS }", true),
    // `.*` and `[*]` on an object: any member.
    (#"{ $.obj.* = "v2" }"#, true), (#"{ $.obj[*] = "v1" }"#, true), (#"{ $.obj.* = "v3" }"#, false),
    // Some element without the field: NOT EXISTS holds for that element; IS NULL for the null one.
    ("{ $.mixed[*].id NOT EXISTS }", true), ("{ $.mixed[*] IS NULL }", true), ("{ $.mixed[*].id = 1 }", true),
    ("{ $.mixed[0].id NOT EXISTS }", false),
  ])
  func arrays(_ pattern: String, _ expected: Bool) throws {
    #expect(try selects(pattern, record) == expected, "\(pattern)")
  }

  @Test func quotedNamesReachKeysWithDots() throws {
    let record = #"{"requestParameters":{"cluster.name":"prod","x-amz-acl":"private","aws:SourceIp":"10.0.0.1"}}"#
    #expect(try selects(#"{ $.requestParameters.['cluster.name'] = "prod" }"#, record))
    #expect(try selects(#"{ $.requestParameters['cluster.name'] = prod }"#, record))
    #expect(try selects(#"{ $.requestParameters.x-amz-acl = private }"#, record))
    #expect(try selects(#"{ $.requestParameters.['aws:SourceIp'] = 10.0.0.* }"#, record))
    #expect(try !selects(#"{ $.requestParameters.cluster.name = "prod" }"#, record))
  }
}

struct FilterPatternTextTests {
  let record =
    #"{"eventName":"PutBucketPolicy","errorCode":"Client.UnauthorizedOperation","src":"cloudtrail.amazonaws.com","star":"Ev*ent","ip":"123.123.4.5","esc":"say \"hi\"\\now","uni":"été"}"#

  @Test(arguments: [
    ("{ $.eventName = PutBucketPolicy }", true), (#"{ $.eventName = "PutBucketPolicy" }"#, true),
    ("{ $.eventName = putbucketpolicy }", false),  // case-sensitive
    ("{ $.eventName = Put* }", true), ("{ $.eventName = *Policy }", true), ("{ $.eventName = *Bucket* }", true),
    ("{ $.eventName = *Bucket }", false), ("{ $.eventName = Bucket* }", false), ("{ $.eventName = * }", true),
    (#"{ $.eventName = "*" }"#, true), ("{ $.eventName = PutBucketPolicy* }", true),
    ("{ $.eventName = *PutBucketPolicy* }", true),
    // `*` inside a value is an ordinary character (AWS: `Ev*ent` only matches `Ev*ent`).
    ("{ $.eventName = Put*Policy }", false), ("{ $.star = Ev*ent }", true), (#"{ $.star = "*v*e*" }"#, true),
    (#"{ $.errorCode = "*UnauthorizedOperation" }"#, true), (#"{ $.errorCode = "AccessDenied*" }"#, false),
    ("{ $.src = cloudtrail.amazonaws.com }", true), ("{ $.src != cloudtrail.amazonaws.com }", false),
    ("{ $.ip != 123.123.* }", false), ("{ $.ip = 123.123.* }", true), ("{ $.ip != 10.* }", true),
    (#"{ $.esc = "say \"hi\"\\now" }"#, true), (#"{ $.esc = "*\"hi\"*" }"#, true),
    (#"{ $.uni = "été" }"#, true), (#"{ $.uni = "é*" }"#, true), (#"{ $.uni = "*e" }"#, false),
    (#"{ $.eventName = "" }"#, false),
  ])
  func stringsAndWildcards(_ pattern: String, _ expected: Bool) throws {
    #expect(try selects(pattern, record) == expected, "\(pattern)")
  }

  @Test func barewordsEndAtWhitespaceParenthesesBracesAndConnectives() throws {
    let record = #"{"a":"x.y-z:1/2@3","b":"q"}"#
    #expect(try selects("{$.a=x.y-z:1/2@3&&$.b=q}", record))
    #expect(try selects("{($.a=x.y-z:1/2@3)||($.b=nope)}", record))
    #expect(try selects("{ $.b = nope || $.a = x.y-z:1/2@3 }", record))
  }

  @Test func conditionsDescribeThemselves() throws {
    let cases = [
      (#"{$.a.b[0][*].['c.d']="x y"}"#, #"$.a.b[0][*].['c.d'] = "x y""#),
      ("{ $.n >= -1.5e3 }", "$.n >= -1.5e3"),
      ("{ $.x != Foo* }", "$.x != Foo*"),
      ("{ $.x = %a|b% }", "$.x = %a|b%"),
      ("{ $.x NOT EXISTS }", "$.x NOT EXISTS"),
      ("{ $.x IS NULL }", "$.x IS NULL"),
      ("{ $.x.* IS FALSE }", "$.x[*] IS FALSE"),
    ]
    for (pattern, text) in cases {
      guard case .pattern(let condition) = try FilterPattern.parse(pattern) else {
        Issue.record("\(pattern)")
        continue
      }
      #expect(condition.description == text)
    }
  }

  @Test func conditionsAreData() throws {
    guard case .pattern(let condition) = try FilterPattern.parse(#"{ $.userIdentity.type = "Root" }"#) else {
      Issue.record("expected a condition")
      return
    }
    #expect(condition.selector.steps == [.member("userIdentity"), .member("type")])
    guard case .compare(.equal, .text(let text)) = condition.test else {
      Issue.record("\(condition.test)")
      return
    }
    #expect(text.core == "Root" && text.quoted && !text.anyPrefix && !text.anySuffix)
    // Equal patterns parse to equal, hashable predicates.
    #expect(try FilterPattern.parse("{ $.a = 1 && $.b = x }") == FilterPattern.parse("{($.a=1)&&($.b=x)}"))
    #expect(Set([try FilterPattern.parse("{ $.a = 1 }"), try FilterPattern.parse("{$.a=1}")]).count == 1)
  }
}
