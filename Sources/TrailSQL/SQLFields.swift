// The fields of docs/fields.md as SQL, rule for rule as the event layer derives them
// (Sources/TrailEvent/FieldValues.swift, Identity.swift, Targets.swift): principal by identity
// type, actor, account, error and outcome, service and action, the target table, and dotted
// paths, which fan out over arrays and read JSON held in strings as the local engine does.
import TrailEvent
import TrailQuery

extension SQLTranslator {
  /// The values of `field`: a column the query computes once per event (`f_…`), so that a
  /// field used in a filter and in the output is written once.
  package func value(of field: Field) throws(SQLError) -> SQLFieldValue {
    if let known = derivedColumns.first(where: { $0.field == field }) { return known.value }
    let computed = try computeValue(of: field)
    // A column or struct field is read as it is.
    if case .single(let expression) = computed, !expression.contains(" "), !expression.contains("(") {
      return computed
    }
    var name = "f_" + String(field.description.map { $0.isLetter || $0.isNumber ? $0 : "_" })
    if derivedColumns.contains(where: { $0.name == name }) { name += "_\(derivedColumns.count)" }
    let value: SQLFieldValue
    switch computed {
    case .single: value = .single(dialect.quote(name))
    case .multiple: value = .multiple(dialect.quote(name))
    }
    derivedColumns.append(DerivedColumn(field: field, name: name, expression: computed, value: value))
    return value
  }

  /// The expression of `field` over the event's columns.
  func computeValue(of field: Field) throws(SQLError) -> SQLFieldValue {
    switch field {
    case .time: return .single(timeText(time))
    case .date: return .single("CASE WHEN \(time) IS NOT NULL THEN \(dialect.format(time, "yyyy-MM-dd")) END")
    case .hour: return .single("CASE WHEN \(time) IS NOT NULL THEN \(dialect.format(time, "yyyy-MM-dd'T'HH")) END")
    case .service: return .single(service)
    case .action: return .single(action)
    case .principal: return .single(principal)
    case .session: return .single(identity("arn"))
    case .actor: return .single(actor)
    case .account: return .single(account)
    case .region: return .single(column("awsRegion"))
    case .ip: return .single(column("sourceIPAddress"))
    case .error: return .single(error)
    case .outcome: return .single("CASE WHEN \(error) IS NULL THEN 'success' ELSE 'failure' END")
    case .accessKey: return .single(identity("accessKeyId"))
    case .userAgent: return .single(column("userAgent"))
    case .category: return .single(column("eventCategory"))
    case .type: return .single(identity("type"))
    case .eventName: return .single(column("eventName"))
    case .eventSource: return .single(column("eventSource"))
    case .readOnly:
      let readOnly = column("readOnly")
      return .single("CASE WHEN \(readOnly) THEN 'true' WHEN NOT \(readOnly) THEN 'false' END")
    case .target, .resource: return .multiple(try targets())
    case .origin:
      throw SQLError(
        "origin needs the credential chains of the whole archive (docs/identity.md), which SQL cannot follow")
    case .path(let segments): return try dottedPath(segments)
    }
  }

  /// The values as an array of strings (one or none for a single-valued field).
  package func values(of field: Field) throws(SQLError) -> String {
    switch try value(of: field) {
    case .multiple(let array): return array
    case .single(let expression):
      return
        "CASE WHEN \(expression) IS NULL THEN \(dialect.stringArray([])) ELSE \(dialect.stringArray([expression])) END"
    }
  }

  /// `YYYY-MM-DDTHH:MM:SSZ`, with `.mmm` when the time has a fraction of a second.
  package func timeText(_ timestamp: String) -> String {
    "CASE WHEN \(timestamp) IS NULL THEN NULL WHEN \(dialect.milliseconds(timestamp)) = 0 THEN "
      + "\(dialect.format(timestamp, "yyyy-MM-dd'T'HH:mm:ss'Z'")) ELSE "
      + "\(dialect.format(timestamp, "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")) END"
  }

  func nonEmpty(_ expression: String) -> String { "nullif(\(expression), '')" }

  /// `userIdentity.a.b…`.
  func identity(_ names: String...) -> String {
    names.reduce(column("userIdentity")) { field($0, $1) }
  }

  var service: String {
    let source = column("eventSource")
    return "CASE WHEN \(source) LIKE '%.amazonaws.com' THEN substr(\(source), 1, length(\(source)) - 14) "
      + "ELSE \(source) END"
  }

  var action: String {
    let name = column("eventName")
    return "CASE WHEN \(name) IS NOT NULL THEN concat(COALESCE(\(service), 'unknown'), ':', \(name)) END"
  }

  var account: String { "COALESCE(\(column("recipientAccountId")), \(identity("accountId")))" }

  /// `Identity.swift`'s `principal`: the source of each identity type, then the fallback.
  var principal: String {
    let arn = nonEmpty(identity("arn"))
    let fallback =
      "COALESCE(\(arn), \(nonEmpty(identity("principalId"))), \(nonEmpty(identity("invokedBy"))), 'unknown')"
    let issuer = nonEmpty(identity("sessionContext", "sessionIssuer", "arn"))
    let provider = nonEmpty(identity("identityProvider"))
    let user = nonEmpty(identity("userName"))
    return "CASE WHEN \(column("userIdentity")) IS NULL THEN NULL ELSE CASE \(identity("type")) "
      + "WHEN 'Root' THEN COALESCE(\(arn), \(fallback)) "
      + "WHEN 'IAMUser' THEN COALESCE(\(arn), \(fallback)) "
      + "WHEN 'Role' THEN COALESCE(\(arn), \(fallback)) "
      + "WHEN 'AssumedRole' THEN COALESCE(\(issuer), \(arn), \(fallback)) "
      + "WHEN 'FederatedUser' THEN COALESCE(\(issuer), \(arn), \(fallback)) "
      + "WHEN 'AWSService' THEN COALESCE(\(nonEmpty(identity("invokedBy"))), \(fallback)) "
      + "WHEN 'AWSAccount' THEN COALESCE(\(nonEmpty(identity("accountId"))), \(fallback)) "
      + "WHEN 'IdentityCenterUser' THEN COALESCE(\(nonEmpty(identity("onBehalfOf", "userId"))), \(fallback)) "
      + "WHEN 'SAMLUser' THEN COALESCE(concat(\(provider), ':', \(user)), \(fallback)) "
      + "WHEN 'WebIdentityUser' THEN COALESCE(concat(\(provider), ':', \(user)), \(fallback)) "
      + "ELSE \(fallback) END END"
  }

  /// `sourceIdentity`, the Identity Center user, an assumed role's session name, the user name,
  /// else the principal.
  var actor: String {
    let arn = identity("arn")
    // The session name is what follows `assumed-role/ROLE/` in the part of the ARN after its
    // fifth `:` (or after its last, with fewer), as UserIdentity.sessionName splits it.
    let session =
      "COALESCE(\(dialect.regexGroup(arn, "\\A(?:[^:]*:){5}assumed-role/[^/]*/([\\s\\S]+)\\z", 1)), "
      + "\(dialect.regexGroup(arn, "\\A(?:[^:]*:){0,4}assumed-role/[^/:]*/([^:]+)\\z", 1)))"
    return "CASE WHEN \(column("userIdentity")) IS NULL THEN NULL ELSE COALESCE("
      + "\(nonEmpty(identity("sessionContext", "sourceIdentity"))), \(nonEmpty(identity("onBehalfOf", "userId"))), "
      + "CASE WHEN \(identity("type")) = 'AssumedRole' THEN \(session) END, \(nonEmpty(identity("userName"))), "
      + "\(principal)) END"
  }

  /// `errorCode`, else `errorMessage`, else `Failure` for a sign-in whose response says so.
  var error: String {
    let response = parsed("responseElements")
    let signIns = ["ConsoleLogin", "SwitchRole", "CredentialVerification", "CredentialChallenge"].map { key in
      let value = dialect.jsonPath(response, [.member(key)])
      return dialect.definitely("\(dialect.jsonKind(value)) = 'string' AND \(dialect.jsonString(value)) = 'Failure'")
    }
    return "COALESCE(\(nonEmpty(column("errorCode"))), \(nonEmpty(column("errorMessage"))), "
      + "CASE WHEN \(signIns.joined(separator: " OR ")) THEN 'Failure' END)"
  }

  // MARK: - Dotted paths

  /// A dotted path, resolved against the table: struct fields by name, `resources` fanned out,
  /// and inside JSON-text columns the local engine's walk (`PathMode.dotted`).
  func dottedPath(_ segments: [String]) throws(SQLError) -> SQLFieldValue {
    let text = segments.joined(separator: ".")
    guard let first = segments.first, let root = SQLSchema.column(first) else {
      throw SQLError("\(text): \(segments.first ?? "") is not a column of the SQL table (docs/scale-out.md)")
    }
    var expression = column(first)
    var current = root
    var rest = segments.dropFirst()
    while let segment = rest.first {
      switch current.type {
      case .json:
        let values = try jsonValues(parsed(current.name), Array(rest), path: text)
        return .multiple(jsonTexts(values))
      case .structure:
        guard let child = current.field(segment) else {
          throw SQLError("\(text): \(current.name) has no field '\(segment)' in the SQL table")
        }
        expression = field(expression, segment)
        current = child
      case .array(let element):
        if let index = Int(segment) {
          expression = dialect.element(expression, index + 1)
          current = SQLColumn(current.name, element)
        } else {
          guard case .structure = element, let child = SQLColumn(current.name, element).field(segment) else {
            throw SQLError("\(text): \(current.name) has no field '\(segment)' in the SQL table")
          }
          guard child.type == .string, rest.count == 1 else {
            throw SQLError("\(text): only a text field of each \(current.name) element can be read")
          }
          let v = variable()
          let mapped = dialect.transform(expression, v, field(v, segment))
          let w = variable()
          return .multiple("COALESCE(\(dialect.filter(mapped, w, "\(w) IS NOT NULL")), \(dialect.stringArray([])))")
        }
      case .map:
        guard rest.count == 1 else { throw SQLError("\(text): \(current.name) holds text values only") }
        return .single(dialect.mapValue(expression, segment))
      case .string, .boolean:
        throw SQLError("\(text): \(current.name) is a text value in the SQL table; a path cannot go below it")
      }
      rest = rest.dropFirst()
    }
    switch current.type {
    case .string: return .single(expression)
    case .boolean: return .single("CASE WHEN \(expression) THEN 'true' WHEN NOT \(expression) THEN 'false' END")
    case .json: return .multiple(jsonTexts(try jsonValues(parsed(current.name), [], path: text)))
    case .structure, .array, .map:
      throw SQLError("\(text) is an object in the SQL table; name a field inside it")
    }
  }

  /// The JSON values a dotted path reaches below `json` (an array of JSON values, without
  /// NULLs or JSON nulls): a name on an array applies to each element (a number indexes it), a
  /// string holding a JSON object or array is read as that JSON (unless `readsStrings` is off),
  /// and a final array gives its elements.
  func jsonValues(_ json: String, _ segments: [String], path: String, readsStrings: Bool = true) throws(SQLError)
    -> String
  {
    var current = dialect.array([json])
    for segment in segments {
      try SQLSchema.checkKey(segment, in: path)
      if readsStrings { current = readingStrings(current) }
      let v = variable()
      current = dialect.flatten(dialect.transform(current, v, step(v, segment)))
    }
    let v = variable()
    let w = variable()
    let finish = "COALESCE(\(dialect.jsonElements(v)), \(dialect.array([v])))"
    let all = dialect.flatten(dialect.transform(current, v, finish))
    return dialect.filter(all, w, "\(w) IS NOT NULL AND NOT \(dialect.jsonIsNull(w))")
  }

  /// Each value of `values`, or the JSON a string value holds when it starts with `{` or `[`.
  func readingStrings(_ values: String) -> String {
    let v = variable()
    let text = dialect.jsonString(v)
    let inner = "CASE WHEN \(dialect.regexLike(text, "\\A\\s*[\\[{]")) THEN \(dialect.parseJSON(text)) END"
    return dialect.transform(values, v, "COALESCE(\(inner), \(v))")
  }

  /// One dotted step from the JSON value `v` (NULL allowed), as an array of JSON values (NULLs
  /// allowed): the member `segment` of an object; of an array, each element's member, or for a
  /// number that element.
  func step(_ v: String, _ segment: String) -> String {
    let member = dialect.array([dialect.jsonPath(v, [.member(segment)])])
    if let index = Int(segment) {
      let element = index < 0 ? "NULL" : dialect.jsonPath(v, [.index(index)])
      return "CASE WHEN \(dialect.jsonElements(v)) IS NOT NULL THEN \(dialect.array([element])) ELSE \(member) END"
    }
    let e = variable()
    return
      "COALESCE(\(dialect.transform(dialect.jsonElements(v), e, dialect.jsonPath(e, [.member(segment)]))), \(member))"
  }

  /// JSON values as text: scalars as the model reads them, objects and arrays as compact JSON
  /// (`JSONText.of`).
  func jsonTexts(_ values: String) -> String {
    let v = variable()
    let kind = dialect.jsonKind(v)
    let text =
      "CASE \(kind) WHEN 'string' THEN \(dialect.jsonString(v)) WHEN 'number' THEN \(dialect.jsonScalarText(v)) "
      + "WHEN 'boolean' THEN \(dialect.jsonScalarText(v)) ELSE \(dialect.jsonText(v)) END"
    return dialect.transform(values, v, text)
  }

  // MARK: - Targets

  /// `target`: each `resources[].ARN`, then what the targets table reads (TargetTable), and an
  /// S3 object's ARN, each once, in that order. The table's rows for the event's service become
  /// (values, form, template) entries, and one expression turns every value into its target.
  func targets() throws(SQLError) -> String {
    let region = column("awsRegion")
    let partition = Self.partition(region)
    var byService: [(String, [String])] = []
    for rule in TargetTable.rules {
      var values = try jsonValues(
        parsed(rule.path[0]), Array(rule.path.dropFirst()), path: rule.path.joined(separator: "."), readsStrings: false)
      if let containing = rule.eventNameContaining {
        values =
          "CASE WHEN COALESCE(\(column("eventName")), '') LIKE \(dialect.string("%" + containing + "%")) "
          + "THEN \(values) ELSE \(dialect.emptyJSONArray) END"
      }
      let (form, template) = Self.formCode(rule.form)
      let entry = dialect.targetEntry(values: values, form: form, template: template)
      if let index = byService.firstIndex(where: { $0.0 == rule.service }) {
        byService[index].1.append(entry)
      } else {
        byService.append((rule.service, [entry]))
      }
    }
    let cases = byService.map { "WHEN \(dialect.string($0.0)) THEN \(dialect.array($0.1))" }
    let entries = "CASE \(service) \(cases.joined(separator: " ")) END"
    let r = variable()
    let x = variable()
    let perEntry = dialect.transform(
      dialect.field(r, "values"), x,
      target(
        dialect.jsonScalar(x), form: dialect.field(r, "form"), template: dialect.field(r, "template"),
        partition: partition, region: region))
    let fromTable = "COALESCE(\(dialect.flatten(dialect.transform(entries, r, perEntry))), \(dialect.stringArray([])))"
    // An S3 object call acts on the object and its bucket.
    let bucket = dialect.jsonScalar(dialect.jsonPath(parsed("requestParameters"), [.member("bucketName")]))
    let key = dialect.jsonScalar(dialect.jsonPath(parsed("requestParameters"), [.member("key")]))
    let object =
      "CASE WHEN \(service) = 's3' AND \(bucket) <> '' AND \(key) <> '' THEN "
      + "\(dialect.stringArray(["concat('arn:', \(partition), ':s3:::', \(bucket), '/', \(key))"])) "
      + "ELSE \(dialect.stringArray([])) END"
    let all = dialect.concatArrays([try dottedPathArray(["resources", "ARN"]), fromTable, object])
    let y = variable()
    return "array_distinct(\(dialect.filter(all, y, "\(y) IS NOT NULL")))"
  }

  func dottedPathArray(_ segments: [String]) throws(SQLError) -> String {
    switch try dottedPath(segments) {
    case .multiple(let array): return array
    case .single(let expression):
      return
        "CASE WHEN \(expression) IS NULL THEN \(dialect.stringArray([])) ELSE \(dialect.stringArray([expression])) END"
    }
  }

  /// `Derived.partition(ofRegion:)`.
  static func partition(_ region: String) -> String {
    "CASE WHEN \(region) LIKE 'cn-%' THEN 'aws-cn' WHEN \(region) LIKE 'us-gov-%' THEN 'aws-us-gov' "
      + "WHEN \(region) LIKE 'us-isob-%' THEN 'aws-iso-b' WHEN \(region) LIKE 'us-iso-%' THEN 'aws-iso' ELSE 'aws' END"
  }

  /// A target form as data: a code and the template it fills.
  static func formCode(_ form: TargetForm) -> (String, String) {
    switch form {
    case .asIs: return ("as-is", "")
    case .template(let template): return ("template", template)
    case .ec2Instance: return ("ec2-instance", "arn:{p}:ec2:{r}:{a}:instance/{v}")
    case .kmsKey: return ("kms-key", "")
    case .sqsQueueURL: return ("sqs-url", "")
    case .ssmParameter: return ("ssm-parameter", "")
    }
  }

  /// `TargetContext.target`: the target the text `v` names in the form `form` with `template`
  /// (SQL expressions); NULL when it is not a target.
  func target(_ v: String, form: String, template: String, partition: String, region: String) -> String {
    // The template to fill, by form (NULL: not a target).
    let chosen =
      "CASE \(form) WHEN 'template' THEN \(template) "
      + "WHEN 'ec2-instance' THEN CASE WHEN \(v) LIKE 'i-%' THEN \(template) END "
      + "WHEN 'kms-key' THEN CASE WHEN \(v) LIKE 'alias/%' THEN 'arn:{p}:kms:{r}:{a}:{v}' ELSE 'arn:{p}:kms:{r}:{a}:key/{v}' END "
      + "WHEN 'ssm-parameter' THEN CASE WHEN \(v) LIKE '/%' THEN 'arn:{p}:ssm:{r}:{a}:parameter{v}' "
      + "ELSE 'arn:{p}:ssm:{r}:{a}:parameter/{v}' END END"
    let t = variable()
    // A template that needs a region or an account the event does not have keeps the value.
    let filled =
      "CASE WHEN (\(t) LIKE '%{r}%' AND \(region) IS NULL) OR (\(t) LIKE '%{a}%' AND \(account) IS NULL) THEN \(v) "
      + "ELSE replace(replace(replace(replace(\(t), '{p}', \(partition)), '{r}', COALESCE(\(region), '')), '{a}', "
      + "COALESCE(\(account), '')), '{v}', \(v)) END"
    let fill = dialect.element(dialect.transform(dialect.stringArray([chosen]), t, filled), 1)
    let url = "\\A/*(http[^/]*)/+([^/]+)/+([^/]+)/+([^/]+)"
    let host = dialect.regexGroup(v, url, 2)
    let queueRegion =
      "COALESCE(\(dialect.regexGroup(host, "\\Asqs\\.([^.]+)\\.[^.]+\\.[^.]+", 1)), \(region), 'us-east-1')"
    let sqs =
      "CASE WHEN \(dialect.regexLike(v, url)) THEN concat('arn:', \(Self.partition(queueRegion)), ':sqs:', "
      + "\(queueRegion), ':', \(dialect.regexGroup(v, url, 3)), ':', \(dialect.regexGroup(v, url, 4))) ELSE \(v) END"
    return "CASE WHEN \(v) IS NULL OR \(v) = '' THEN NULL WHEN \(v) LIKE 'arn:%' THEN \(v) "
      + "WHEN \(form) = 'as-is' THEN \(v) WHEN \(form) = 'sqs-url' THEN \(sqs) ELSE \(fill) END"
  }
}
