// Reads a field's values from an event, derived fields included: this is the one place they are
// computed. A field can have none (absent, null), one, or several (`resource`, or a path
// through an array): every consumer (filters, grouping, output) sees the same list.

import TrailJSON
import TrailModel
import TrailTime

extension EventView {
  /// The values of `field` as text: strings as they are, numbers as written, booleans as
  /// `true`/`false`, objects and arrays as compact JSON. Absent and `null` give no value.
  public func values(of field: Field) -> [String] {
    switch field {
    case .time: return eventTime.map { [$0.iso8601] } ?? []
    case .date: return eventTime.map { [$0.date] } ?? []
    case .hour: return eventTime.map { [$0.hour] } ?? []
    case .service: return service.asList
    case .action: return action.asList
    case .principal: return principal.asList
    case .origin: return (root.originResolver?.origin(of: self) ?? principal).asList
    case .session: return identity?.arn.asList ?? []
    case .actor: return identity?.actor.asList ?? []
    case .account: return account.asList
    case .region: return scalar("awsRegion").asList
    case .ip: return scalar("sourceIPAddress").asList
    case .error: return errorCode.asList
    case .outcome: return [failed ? "failure" : "success"]
    case .accessKey: return identity?.accessKeyId.asList ?? []
    case .userAgent: return scalar("userAgent").asList
    case .category: return scalar("eventCategory").asList
    case .type: return identity?.type.map { [$0.rawValue] } ?? []
    case .resource, .target: return targets
    case .eventName: return eventName.asList
    case .eventSource: return eventSource.asList
    case .readOnly: return readOnly.map { [$0 ? "true" : "false"] } ?? []
    case .path(let segments): return values(atPath: segments).map(JSONText.of)
    }
  }

  /// The first value of `field`, if any.
  public func value(of field: Field) -> String? { values(of: field).first }

  /// `eventSource` without `.amazonaws.com` (`s3`, `iam`, `signin`).
  public var service: String? { eventSource.map(Derived.service(of:)) }

  /// IAM-style `service:eventName`, e.g. `s3:GetObject`.
  public var action: String? { eventName.map { "\(service ?? "unknown"):\($0)" } }

  /// Whether the call failed: it has an `errorCode` or an `errorMessage`, or it is a sign-in
  /// whose `responseElements` say `Failure` (console sign-ins fail with an `errorMessage` and no
  /// code).
  public var failed: Bool { errorCode != nil }

  /// The error code: `errorCode`; for a failure without one, its `errorMessage`; for a sign-in
  /// that says `Failure` and gives neither, `Failure`. Nil for a call that succeeded.
  public var errorCode: String? {
    if let code = scalar("errorCode"), !code.isEmpty { return code }
    if let message = scalar("errorMessage"), !message.isEmpty { return message }
    guard let response = member("responseElements"), response.kind == .object else { return nil }
    for key in ["ConsoleLogin", "SwitchRole", "CredentialVerification", "CredentialChallenge"] {
      if let value = JSONPath.member(response, key, foldsKeyCase: foldsKeyCase), value.string == "Failure" {
        return "Failure"
      }
    }
    return nil
  }

  /// `recipientAccountId`, else `userIdentity.accountId`.
  public var account: String? { scalar("recipientAccountId") ?? identity?.accountId }

  /// The ARNs of `resources`, in order.
  public var resourceARNs: [String] {
    guard let resources = member("resources"), resources.kind == .array else { return [] }
    return resources.elements.compactMap { resource in
      resource.kind == .object
        ? JSONPath.member(resource, "ARN", foldsKeyCase: foldsKeyCase).flatMap(JSONText.scalar) : nil
    }
  }
}

extension String {
  var asList: [String] { [self] }
}

extension Optional where Wrapped == String {
  var asList: [String] {
    guard let s = self else { return [] }
    return [s]
  }
}
