// Sigma's leaf semantics on hand-made values: string patterns (case-insensitive, `*` and `?`,
// backslash escapes), the `re` engine (PCRE subset, flags, unsupported constructs named, linear
// time), and conditions read through the event layer (dotted paths through arrays, numbers as
// numbers, booleans, objects, keywords, exists, fieldref, cidr).
import Testing
import TrailEvent
import TrailJSON
import TrailQuery
import TrailTestSupport

struct SigmaStringTests {
  func matches(_ pattern: String, _ text: String, cased: Bool = false) -> Bool {
    SigmaString(sigma: pattern, caseSensitive: cased).matches(text)
  }

  @Test func plainComparisonIsCaseInsensitive() {
    #expect(matches("DeleteBucket", "deletebucket"))
    #expect(matches("deletebucket", "DELETEBUCKET"))
    #expect(!matches("DeleteBucket", "DeleteBuckets"))
    #expect(!matches("DeleteBucket", "deletebucket", cased: true))
    #expect(matches("DeleteBucket", "DeleteBucket", cased: true))
    // Non-ASCII letters fold too (Unicode lower-casing), and `?` is one scalar.
    #expect(matches("ÉQUIPE", "équipe"))
    #expect(matches("?quipe", "équipe"))
    #expect(!matches("??quipe", "équipe"))
    #expect(matches("", ""))
    #expect(!matches("", "x"))
  }

  @Test func wildcards() {
    #expect(matches("Delete*", "DeleteTrail"))
    #expect(matches("*Trail", "StopTrail"))
    #expect(matches("*op*ra*", "StopTrail"))
    #expect(!matches("*op*ra", "StopTrails"))
    #expect(matches("prog?.exe", "progA.exe"))
    #expect(!matches("prog?.exe", "prog.exe"))
    #expect(!matches("prog?.exe", "progAB.exe"))
    #expect(matches("*", ""))
    #expect(matches("a*b*c", "aXbYbZc"))
    #expect(!matches("a*b*c", "aXbYbZ"))
    #expect(matches("*a?", "bab"))
  }

  @Test func escapes() {
    // `\*` and `\?` are the plain characters.
    #expect(matches(#"a\*b"#, "a*b"))
    #expect(!matches(#"a\*b"#, "axb"))
    #expect(matches(#"a\?"#, "a?"))
    #expect(!matches(#"a\?"#, "ab"))
    // A backslash before anything else is a plain backslash; `\\` is one backslash.
    #expect(matches(#"C:\Windows"#, #"C:\Windows"#))
    #expect(matches(#"C:\\Windows"#, #"C:\Windows"#))
    // `\\*`: a backslash then a wildcard; `\\\*`: a backslash then a star.
    #expect(matches(#"dir\\*"#, #"dir\anything"#))
    #expect(!matches(#"dir\\\*"#, #"dir\anything"#))
    #expect(matches(#"dir\\\*"#, #"dir\*"#))
    // Printing keeps the escapes.
    #expect(SigmaString(sigma: #"a\*b?"#).description == #"a\*b?"#)
  }
}

struct SigmaRegexTests {
  func matches(_ pattern: String, _ text: String, _ flags: SigmaRegex.Flags = .init()) throws -> Bool {
    try SigmaRegex(pattern, flags: flags).matches(text)
  }

  @Test func searchAnywhereAndAnchors() throws {
    #expect(try matches(".+:assumed-role/aws:.+", "arn:aws:sts::1:assumed-role/aws:ec2-instance/i-1"))
    #expect(try !matches(".+:assumed-role/aws:.+", "arn:aws:sts::1:assumed-role/Admin/x"))
    #expect(try matches("role", "arn:aws:iam::1:role/x"))
    #expect(try !matches("^role", "arn:aws:iam::1:role/x"))
    #expect(try matches("x$", "role/x"))
    // PCRE's `$` also matches before a final newline; `\z` does not.
    #expect(try matches("x$", "role/x\n"))
    #expect(try !matches(#"x\z"#, "role/x\n"))
    #expect(try !matches("^b", "a\nb"))
    #expect(try matches("^b", "a\nb", .init(multiline: true)))
    #expect(try matches("a$", "a\nb", .init(multiline: true)))
  }

  @Test func caseAndDotFlags() throws {
    // Regexes are case-sensitive unless `i`.
    #expect(try !matches("stoplogging", "StopLogging"))
    #expect(try matches("stoplogging", "StopLogging", .init(caseInsensitive: true)))
    #expect(try matches("(?i)stoplogging", "StopLogging"))
    #expect(try matches("(?i:stop)Logging", "STOPLogging"))
    #expect(try !matches("(?i:stop)Logging", "STOPLOGGING"))
    #expect(try matches("[a-z]+", "ABC", .init(caseInsensitive: true)))
    #expect(try matches("É", "é", .init(caseInsensitive: true)))
    #expect(try !matches("a.b", "a\nb"))
    #expect(try matches("a.b", "a\nb", .init(dotAll: true)))
  }

  @Test func groupsClassesRepetition() throws {
    #expect(try matches("^(Put|Delete)Bucket(Policy|Acl)$", "DeleteBucketAcl"))
    #expect(try !matches("^(Put|Delete)Bucket(Policy|Acl)$", "GetBucketAcl"))
    #expect(try matches(#"^\d{12}$"#, "111122223333"))
    #expect(try !matches(#"^\d{12}$"#, "11112222333"))
    #expect(try matches(#"^a{2,}$"#, "aaaa"))
    #expect(try !matches(#"^a{2,3}$"#, "aaaa"))
    #expect(try matches(#"^(?:ab)+$"#, "ababab"))
    #expect(try matches(#"^(?P<x>a|b)*c"#, "abac"))
    #expect(try matches(#"\bkey\b"#, "a key here"))
    #expect(try !matches(#"\bkey\b"#, "monkeys"))
    #expect(try matches(#"[^\s]+@[\w.-]+"#, "mail bob@example.com"))
    #expect(try matches("[[:digit:]]+", "abc123"))
    #expect(try matches(#"\x41\x{263A}"#, "A☺"))
    #expect(try matches("a{b", "a{b"))  // a brace that starts no repetition is literal
    #expect(try matches(#"\.\*"#, "x.*y"))
  }

  @Test func unsupportedConstructsAreNamed() {
    let cases: [(String, String)] = [
      (#"(a)\1"#, "backreferences"), ("(?=a)", "lookahead"), ("(?<!a)b", "lookbehind"), ("(?>a)", "atomic"),
      ("a++", "possessive"), (#"\p{L}"#, "unsupported escape"), ("(a", "not closed"), ("a)", "unbalanced"),
      ("*a", "nothing to repeat"), ("a{3,2}", "reversed"), ("a{1001}", "larger than 1000"), ("[z-a]", "out of order"),
    ]
    for (pattern, words) in cases {
      do {
        _ = try SigmaRegex(pattern)
        Issue.record("\(pattern) compiled")
      } catch {
        #expect(error.message.contains(words), "\(pattern): \(error.message)")
      }
    }
  }

  /// A regex's required text (the plain characters every match contains, searched for before
  /// the program runs) never changes an answer: each pattern matches exactly what the same
  /// pattern does as one branch of an alternation, which has no required text.
  @Test func requiredTextNeverChangesAnAnswer() throws {
    #expect(try matches(".+:assumed-role/aws:.+", "x:assumed-role/aws:y"))
    #expect(try !matches(".+:assumed-role/aws:.+", "x:assumed-role/AWS:y"))
    #expect(try matches("(?i).+:assumed-role/aws:.+", "x:ASSUMED-ROLE/AWS:y"))
    #expect(try matches("(?i)key", "\u{212A}EY"))  // Kelvin sign: a letter k in any case
    #expect(try matches(#"ab\bc"#, "ab c") == false)
    #expect(try matches("(?:ab)+c|zz", "zz"))
    var random = SplitMix64(seed: 0x5265_7175_6972_6564)
    let atoms = ["a", "b", ":", "/", "-", ".", ".+", "a*", "(?:ab)+", "(?:a|b)", "[a-b]", #"\d"#, "\\b", "^", "$", "k"]
    let letters: [Character] = ["a", "b", "A", "B", ":", "/", "-", "1", "k", "K", "\u{212A}", " "]
    for _ in 0..<400 {
      var pattern = random.next() % 5 == 0 ? "(?i)" : ""
      for _ in 0..<(1 + Int(random.next() % 6)) { pattern += atoms[Int(random.next() % UInt64(atoms.count))] }
      let regex = try SigmaRegex(pattern)
      let unfiltered = try SigmaRegex("(?:" + pattern + ")|\\b\\B")
      for _ in 0..<20 {
        let text = String(
          (0..<Int(random.next() % 12)).map { _ in letters[Int(random.next() % UInt64(letters.count))] })
        #expect(regex.matches(text) == unfiltered.matches(text), "\(pattern) on \(text)")
      }
    }
  }

  @Test func pathologicalPatternsRunInLinearTime() throws {
    let regex = try SigmaRegex("^(a+)+$")
    let text = String(repeating: "a", count: 20_000) + "b"
    #expect(!regex.matches(text))
    #expect(try SigmaRegex("(x+x+)+y").matches(String(repeating: "x", count: 5_000)) == false)
  }
}

struct SigmaConditionTests {
  static let event = """
    {"eventName":"PutBucketVersioning","eventSource":"s3.amazonaws.com","sourceIPAddress":"203.0.113.7",
     "userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/alice","userName":"alice"},
     "requestParameters":{"bucketName":"prod","VersioningConfiguration":{"Status":"Suspended"},
       "layers":["arn:aws:lambda:x:1:layer:a","arn:aws:lambda:x:1:layer:b"],"port":22,"size":"1024","flag":true,
       "nothing":null,"policy":"{\\"Effect\\":\\"Allow\\"}"},
     "responseElements":{"publiclyAccessible":true,"items":[{"name":"x","count":3},{"name":"y","count":7}]},
     "errorCode":null}
    """

  func holds(_ field: String?, _ test: SigmaTest) throws -> Bool {
    let condition = SigmaCondition(field: field?.split(separator: ".").map(String.init), test: test)
    return condition.evaluate(try view(Self.event))
  }

  func text(_ pattern: String) -> SigmaTest { .string(SigmaString(sigma: pattern)) }
  func number(_ op: PatternOperator, _ text: String) throws -> SigmaTest {
    .number(op, try #require(PatternNumber(text)))
  }

  @Test func dottedPathsSearchArraysElementByElement() throws {
    #expect(try holds("requestParameters.layers", text("*layer:b")))
    #expect(try holds("responseElements.items.name", text("Y")))
    #expect(try !holds("responseElements.items.name", text("z")))
    #expect(try holds("requestParameters.policy.Effect", text("allow")))  // JSON held in a string
  }

  @Test func numbersCompareAsNumbers() throws {
    #expect(try holds("requestParameters.port", number(.equal, "22")))
    #expect(try holds("requestParameters.port", number(.equal, "22.0")))
    #expect(try holds("requestParameters.size", number(.equal, "1024")))  // a string holding a number
    #expect(try holds("requestParameters.size", number(.greater, "1000")))
    #expect(try !holds("requestParameters.size", number(.less, "1000")))
    #expect(try holds("responseElements.items.count", number(.greaterOrEqual, "7")))
    #expect(try !holds("requestParameters.bucketName", number(.equal, "0")))
    // A string pattern compares with the number as written.
    #expect(try holds("requestParameters.port", text("2?")))
  }

  @Test func booleansAndObjects() throws {
    #expect(try holds("responseElements.publiclyAccessible", .boolean(true)))
    #expect(try holds("responseElements.publiclyAccessible", text("TRUE")))
    #expect(try !holds("responseElements.publiclyAccessible", .boolean(false)))
    #expect(try holds("requestParameters.flag", .boolean(true)))
    // An object is matched as its compact JSON and as each value inside it.
    #expect(try holds("requestParameters", text("*suspended*")))
    #expect(try holds("requestParameters", text(#"*"bucketName":"prod"*"#)))
    #expect(try holds("requestParameters", text(#"*"Effect":"Allow"*"#)))
    #expect(try !holds("requestParameters", text("*nowhere*")))
  }

  @Test func existsAndNull() throws {
    #expect(try holds("requestParameters.bucketName", .exists))
    #expect(try !holds("requestParameters.nothing", .exists))  // null counts as absent
    #expect(try !holds("errorCode", .exists))
    #expect(try !holds("missing.path", .exists))
    #expect(try !holds("missing.path", text("*")))
  }

  @Test func keywordsSearchEveryValue() throws {
    #expect(try holds(nil, text("*suspended*")))
    #expect(try holds(nil, text("*ALICE*")))
    #expect(try !holds(nil, text("*VersioningConfiguration*")))  // keys are not values
  }

  @Test func fieldRefCidrAndRegex() throws {
    #expect(try holds("userIdentity.arn", .fieldRef(["userIdentity", "userName"], .endsWith, caseSensitive: false)))
    #expect(try !holds("userIdentity.arn", .fieldRef(["userIdentity", "userName"], .equal, caseSensitive: false)))
    #expect(try holds("userIdentity.userName", .fieldRef(["userIdentity", "userName"], .equal, caseSensitive: true)))
    #expect(try !holds("userIdentity.arn", .fieldRef(["missing"], .contains, caseSensitive: false)))
    #expect(try holds("sourceIPAddress", .cidr(try #require(IPNetwork("203.0.113.0/24")))))
    #expect(try !holds("sourceIPAddress", .cidr(try #require(IPNetwork("10.0.0.0/8")))))
    #expect(try holds("userIdentity.arn", .regex(try SigmaRegex(":user/al"))))
  }
}
