// libFuzzer target `where`: `--where` takes pattern text straight from the command line or a
// rule file, so the pattern parser, the regex compiler, evaluation and the caret rendering of
// errors must never trap, whatever the text; regexes are also run on long values that reach
// their counts. Run it with scripts/fuzz.sh.

import TrailEvent
import TrailJSON
import TrailQuery

/// Fixed events to evaluate parsed patterns on: a real-looking console sign-in, a record with
/// every JSON kind in awkward places, and an empty object.
let eventTexts = [
  #"""
  {"eventVersion":"1.08","userIdentity":{"type":"IAMUser","principalId":"AIDAEXAMPLE","arn":"arn:aws:iam::111122223333:user/alice","accountId":"111122223333","userName":"alice","sessionContext":{"attributes":{"mfaAuthenticated":"false","creationDate":"2024-05-14T10:00:00Z"}}},"eventTime":"2024-05-14T10:05:00Z","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","userAgent":"Mozilla/5.0","requestParameters":null,"responseElements":{"ConsoleLogin":"Success"},"additionalEventData":{"LoginTo":"https://console.aws.amazon.com/","MobileVersion":"No","MFAUsed":"No"},"eventID":"00000000-0000-4000-8000-000000000001","readOnly":false,"eventType":"AwsConsoleSignIn","managementEvent":true,"recipientAccountId":"111122223333","eventCategory":"Management","tlsDetails":{"tlsVersion":"TLSv1.2","cipherSuite":"ECDHE-RSA-AES128-GCM-SHA256","clientProvidedHostHeader":"signin.aws.amazon.com"}}
  """#,
  #"""
  {"eventName":"PutBucketPolicy","eventSource":"s3.amazonaws.com","errorCode":"AccessDenied","errorMessage":"Failed authentication","userIdentity":{"type":"Root","invokedBy":null},"eventType":"AwsApiCall","readOnly":true,"managementEvent":"true","requestParameters":{"bucketName":"prod-logs","maxResults":500,"x-amz-server-side-encryption":"AES256","cluster.name":"a.b","@odd:key":"v","é":"été","size":-1.5e3,"big":123456789012345678901,"zero":-0,"tiny":1e-400,"huge":1e400,"list":[1,"2",null,true,false,{"c":[[]]},[],{}],"nested":{"a":{"b":{"c":{"d":[0,{"e":"deep"}]}}}},"dup":1,"dup":2,"quote\"key":"say \"hi\"\\\n\u0000","empty":""},"resources":[{"ARN":"arn:aws:kms:us-east-1:111122223333:key/1","type":"AWS::KMS::Key"},{"ARN":"arn:aws:s3:::prod-logs"},{"accountId":"444455556666"}],"recipientAccountId":"123456789012","sourceIPAddress":"10.1.2.3","status":404,"latency":55.5,"additionalEventData":{"MFAUsed":"Yes"},"responseElements":{"ConsoleLogin":"Failure"},"tags":[],"nums":[0,-0,1,-1,0.1,1e-7,0.30000000000000004,9007199254740993,123456789012345678901,1.5e3,-1.5E+3,1e400,1e-400,10e999999999,1e1000000005,0.0000e-5,5,5.0,0.5e1,500]}
  """#,
  "{}",
]

/// The fixed events, parsed and decoded once.
nonisolated(unsafe) let views: [EventView] = eventTexts.map { text in
  let document = try! JSONDocument(parsing: Array(text.utf8))
  return EventView(json: document.root)
}

/// Pattern text for a parsed predicate, fully parenthesised (as the property tests print it).
func patternText(_ predicate: Predicate) -> String {
  switch predicate {
  case .and(let parts): return "(" + parts.map(patternText).joined(separator: " && ") + ")"
  case .or(let parts): return "(" + parts.map(patternText).joined(separator: " || ") + ")"
  case .pattern(let condition): return condition.description
  default: fatalError("FilterPattern.parse made a predicate other than and/or/pattern: \(predicate)")
  }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  let predicate: Predicate
  do {
    predicate = try FilterPattern.parse(text)
  } catch {
    let count = text.count
    check(
      error.column >= 1 && error.column <= count + 1, "column \(error.column) outside a pattern of \(count) characters")
    check(!error.message.isEmpty, "an error without a message")
    let rendered = error.rendered(pattern: text)
    check(rendered.contains("^"), "rendering has no caret:\n\(rendered)")
    _ = error.description
    return 0
  }
  let results = views.map { predicate.evaluate($0) }
  // Evaluation is a function of the record.
  check(views.map { predicate.evaluate($0) } == results, "evaluation is not deterministic")

  // Each comparison agrees with the documented semantics and the other operators.
  for condition in leaves(predicate) {
    checkLeaf(condition, text)
    if case .compare(_, .regex(let regex)) = condition.test { checkRegex(regex, text) }
  }

  // Printing the predicate and parsing it again gives the same predicate and the same answers.
  let printed = "{" + patternText(predicate) + "}"
  do {
    let again = try FilterPattern.parse(printed)
    check(again == predicate, "printed pattern parses to another predicate:\n \(text)\n \(printed)")
    check(again.hashValue == predicate.hashValue, "equal predicates hash differently")
    check(views.map { again.evaluate($0) } == results, "printed pattern evaluates differently:\n \(text)\n \(printed)")
  } catch {
    fatalError("printed pattern does not parse: \(error)\n \(text)\n \(printed)\n\(error.rendered(pattern: printed))")
  }
  return 0
}

/// The conditions of a parsed predicate.
func leaves(_ predicate: Predicate) -> [PatternCondition] {
  switch predicate {
  case .and(let parts), .or(let parts): return parts.flatMap(leaves)
  case .pattern(let condition): return [condition]
  default: return []
  }
}

/// The value a selector without wildcards picks (nil: absent), walked independently.
func resolve(_ value: JSONValue, _ steps: [PatternSelector.Step]) -> JSONValue? {
  var current = value
  for step in steps {
    switch step {
    case .member(let name):
      let wanted = Array(name.utf8)
      guard current.kind == .object, let next = current.members.first(where: { Array($0.key.utf8) == wanted }) else {
        return nil
      }
      current = next.value
    case .index(let n):
      guard current.kind == .array, n < current.count else { return nil }
      current = current.elements[n]
    case .any:
      fatalError("resolve is for selectors without wildcards")
    }
  }
  return current
}

/// Text matching as docs/filter-language.md states it, on UTF-8 bytes.
func textMatches(_ pattern: PatternText, _ text: [UInt8]) -> Bool {
  let core = Array(pattern.core.utf8)
  switch (pattern.anyPrefix, pattern.anySuffix) {
  case (false, false): return text == core
  case (true, false): return text.count >= core.count && Array(text.suffix(core.count)) == core
  case (false, true): return text.starts(with: core)
  case (true, true):
    if core.isEmpty { return true }
    guard text.count >= core.count else { return false }
    return (0...(text.count - core.count)).contains { Array(text[$0..<$0 + core.count]) == core }
  }
}

/// Checks one comparison on every fixed event against an independent reading of the rules:
/// only strings and numbers compare, `=` and `!=` never both hold and one holds on a present
/// value, numbers order exactly (never against what `Double` proves), text matches by bytes.
func checkLeaf(_ condition: PatternCondition, _ pattern: String) {
  guard case .compare(_, let literal) = condition.test, !condition.selector.steps.contains(.any) else { return }
  for view in views {
    func on(_ op: PatternOperator) -> Bool {
      PatternCondition(selector: condition.selector, test: .compare(op, literal)).evaluate(view)
    }
    let eq = on(.equal)
    let ne = on(.notEqual)
    let context = "\(condition) in \(pattern)"
    check(!(eq && ne), "= and != both hold: \(context)")
    let value = resolve(view.json, condition.selector.steps)
    let ordered: [Bool]
    if case .number = literal {
      ordered = [on(.less), on(.greater), on(.lessOrEqual), on(.greaterOrEqual)]
    } else {
      ordered = []
    }
    guard let value, value.kind == .string || value.kind == .number else {
      check(!eq && !ne && !ordered.contains(true), "a comparison holds on an absent or non-scalar value: \(context)")
      continue
    }
    let written = Array(value.kind == .string ? Array((value.string ?? "").utf8) : Array(value.rawText))
    switch literal {
    case .text(let text):
      check(eq == textMatches(text, written), "= \(eq) against the text rules: \(context)")
      check(ne == !eq, "!= is not the negation of = on a present value: \(context)")
    case .regex:
      check(ne == !eq, "!= is not the negation of = on a present value: \(context)")
    case .number(let number):
      if value.kind == .string {
        check(eq == (written == Array(number.text.utf8)), "a string against a number literal: \(context)")
        check(ne == !eq, "!= is not the negation of = on a present value: \(context)")
        check(!ordered.contains(true), "a string was ordered against a number: \(context)")
        continue
      }
      let (lt, gt, le, ge) = (ordered[0], ordered[1], ordered[2], ordered[3])
      check([lt, eq, gt].filter { $0 }.count == 1, "not exactly one of <, =, > holds: \(context)")
      check(le == (lt || eq) && ge == (gt || eq) && ne == !eq, "<=, >= or != disagree with <, =, >: \(context)")
      if let a = Double(String(decoding: written, as: UTF8.self)), let b = Double(number.text), a.isFinite, b.isFinite {
        check(!(a < b) || lt, "\(a) < \(b) as doubles but not exactly: \(context)")
        check(!(a > b) || gt, "\(a) > \(b) as doubles but not exactly: \(context)")
      }
    }
  }
}

/// Matches a regex on more than the fixed events' values: the input itself, and runs of its
/// own characters long enough to reach its repetition counts. A regex without anchors that is
/// found in a text is found in any text around it.
func checkRegex(_ regex: PatternRegex, _ pattern: String) {
  let letters = Set(regex.source.filter { $0.isLetter || $0.isNumber })
  var texts = [pattern, "", String(repeating: "a", count: 1100)]
  for letter in letters.sorted().prefix(3) {
    texts.append(String(repeating: letter, count: 1001))
    texts.append(String(repeating: String(letter) + "-", count: 600))
  }
  let anchored = regex.source.contains("^") || regex.source.contains("$")
  for text in texts {
    let found = regex.matches(text)
    check(regex.matches(text) == found, "\(regex) is not deterministic on \(text.prefix(40))…")
    if found && !anchored {
      check(regex.matches("é\n" + text + "\n-"), "\(regex) is found in a text but not around it: \(text.prefix(40))…")
    }
  }
}

@inline(__always)
func check(_ condition: Bool, _ message: @autoclosure () -> String) {
  if !condition { fatalError(message()) }
}
