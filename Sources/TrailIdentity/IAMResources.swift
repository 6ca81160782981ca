// Which observed targets can stand as an action's resources. The Service Authorization Reference
// says which resource types each action takes (IAMCatalog.swift); this table says, for the types
// whose ARNs the event layer builds as targets (Sources/TrailEvent/Targets.swift), what such an
// ARN looks like. An action's resources are narrowed to the targets that fit only when every
// call of it named a fitting target for each type the action requires (docs/identity.md).

/// ARN shapes of the narrowable resource types, and the fit of targets to an action.
package enum IAMResources {
  /// The ARN pattern of each narrowable resource type, by `prefix type` (the reference's service
  /// prefix and resource type name; scripts/iam-catalog.py lists the same pairs). In a pattern,
  /// `{p}`, `{r}` and `{a}` are the partition, region and account (non-empty, no `:`), `{id}` a
  /// name without `:` or `/`, `{path}` a name that may hold `/` but no `:`, `{key}` anything
  /// non-empty (S3 object keys hold any character).
  static let patterns: [String: String] = [
    "cloudtrail trail": "arn:{p}:cloudtrail:{r}:{a}:trail/{id}",
    "dynamodb table": "arn:{p}:dynamodb:{r}:{a}:table/{id}",
    "ec2 image": "arn:{p}:ec2:{r}::image/{id}",
    "ec2 instance": "arn:{p}:ec2:{r}:{a}:instance/{id}",
    "ec2 security-group": "arn:{p}:ec2:{r}:{a}:security-group/{id}",
    "ec2 snapshot": "arn:{p}:ec2:{r}::snapshot/{id}",
    "ec2 volume": "arn:{p}:ec2:{r}:{a}:volume/{id}",
    "ec2-instance-connect instance": "arn:{p}:ec2:{r}:{a}:instance/{id}",
    "iam group": "arn:{p}:iam::{a}:group/{path}",
    "iam instance-profile": "arn:{p}:iam::{a}:instance-profile/{path}",
    "iam policy": "arn:{p}:iam::{a}:policy/{path}",
    "iam role": "arn:{p}:iam::{a}:role/{path}",
    "iam user": "arn:{p}:iam::{a}:user/{path}",
    "kms alias": "arn:{p}:kms:{r}:{a}:alias/{path}",
    "kms key": "arn:{p}:kms:{r}:{a}:key/{id}",
    "lambda function": "arn:{p}:lambda:{r}:{a}:function:{id}",
    "logs log-group": "arn:{p}:logs:{r}:{a}:log-group:{path}",
    "rds db": "arn:{p}:rds:{r}:{a}:db:{id}",
    "rds snapshot": "arn:{p}:rds:{r}:{a}:snapshot:{id}",
    "s3 bucket": "arn:{p}:s3:::{id}",
    "s3 object": "arn:{p}:s3:::{id}/{key}",
    "secretsmanager Secret": "arn:{p}:secretsmanager:{r}:{a}:secret:{path}",
    "sns topic": "arn:{p}:sns:{r}:{a}:{id}",
    "sqs queue": "arn:{p}:sqs:{r}:{a}:{id}",
    "ssm instance": "arn:{p}:ec2:{r}:{a}:instance/{id}",
    "ssm parameter": "arn:{p}:ssm:{r}:{a}:parameter/{path}",
    "sts role": "arn:{p}:iam::{a}:role/{path}",
    "sts user": "arn:{p}:iam::{a}:user/{path}",
  ]

  /// The narrowable resource types `action` takes (`prefix type`, and whether it is required);
  /// empty when its resources are always `*`.
  package static func resourceTypes(of action: String) -> [(type: String, required: Bool)] {
    IAMActions.catalog.resourceTypes[action] ?? []
  }

  /// Whether `arn` is an ARN of the resource type `type` (`prefix type`).
  package static func fits(_ arn: String, type: String) -> Bool {
    guard let pattern = patterns[type] else { return false }
    return matches(Array(arn.unicodeScalars)[...], pattern: Array(pattern.unicodeScalars)[...])
  }

  /// The targets of one call that can stand as `action`'s resources, sorted and without
  /// repeats; nil when the call cannot be narrowed (the action takes no narrowable type, or a
  /// type it requires, or any type when none is required, has no fitting target): its resource
  /// is then `*`.
  package static func resources(of action: String, targets: [String]) -> [String]? {
    let types = resourceTypes(of: action)
    guard !types.isEmpty else { return nil }
    var fitting = Set<String>()
    var covered = Set<String>()
    for target in targets {
      for (type, _) in types where fits(target, type: type) {
        fitting.insert(target)
        covered.insert(type)
      }
    }
    let required = types.filter(\.required).map(\.type)
    if required.isEmpty ? covered.isEmpty : !required.allSatisfy(covered.contains) { return nil }
    return fitting.sorted()
  }

  /// `arn` as a policy's Resource names it: the characters IAM reads as wildcards or variables
  /// (`*`, `?`, `$`) escaped as `${*}`, `${?}`, `${$}`, so a key holding them names only itself.
  package static func escaped(_ arn: String) -> String {
    guard arn.contains(where: { $0 == "*" || $0 == "?" || $0 == "$" }) else { return arn }
    var out = ""
    for character in arn {
      switch character {
      case "*", "?", "$": out += "${\(character)}"
      default: out.append(character)
      }
    }
    return out
  }

  // MARK: - Matching

  /// Whether `text` matches `pattern` (placeholders as in `patterns`).
  private static func matches(_ text: ArraySlice<Unicode.Scalar>, pattern: ArraySlice<Unicode.Scalar>) -> Bool {
    guard let first = pattern.first else { return text.isEmpty }
    guard first == "{", let close = pattern.firstIndex(of: "}") else {
      return text.first == first && matches(text.dropFirst(), pattern: pattern.dropFirst())
    }
    let name = String(String.UnicodeScalarView(pattern[pattern.index(after: pattern.startIndex)..<close]))
    let rest = pattern[pattern.index(after: close)...]
    // The longest run the placeholder may take, then every shorter one down to one character.
    var end = text.startIndex
    while end < text.endIndex, allowed(text[end], in: name) { end += 1 }
    while end > text.startIndex {
      if matches(text[end...], pattern: rest) { return true }
      end -= 1
    }
    return false
  }

  private static func allowed(_ scalar: Unicode.Scalar, in placeholder: String) -> Bool {
    switch placeholder {
    case "key": return true
    case "path": return scalar != ":"
    case "id": return scalar != ":" && scalar != "/"
    default: return scalar != ":"  // {p}, {r}, {a}
    }
  }
}
