// Which call issued each temporary credential of an archive. One pass over the events builds a
// small index (one entry per credential issued, not per event); chains are then walked in the
// index alone, so `origin`, `trace` and `stats --by origin` never rescan the archive per
// question. Memory: one `Issue` per issued credential (a few hundred bytes each).
import TrailEvent
import TrailJSON
import TrailTime

/// What a link between a credential and the call that issued it rests on.
package enum Evidence: String, Sendable, Equatable {
  /// The issuing call's `responseElements.credentials.accessKeyId` is the key the session used.
  case accessKey = "access-key"
  /// A console `SwitchRole` sign-in named the session (`additionalEventData.SwitchFrom` is who
  /// switched); the session's console calls within 12 hours of it carry its ARN.
  case switchRole = "switch-role"
}

/// One credential issued by a call in the archive.
package struct Issue: Sendable, Equatable {
  /// The temporary access key issued (or, for a console switch, the session ARN it opened).
  package var credential: String
  /// The session the credential belongs to (`assumedRoleUser.arn`, `federatedUser.arn`, the
  /// switched-to role session), when the call says.
  package var session: String?
  /// Who called: the caller's `principal` (for a switch, `SwitchFrom`).
  package var callerPrincipal: String
  /// The credential the caller used (its `accessKeyId`), when it used one.
  package var callerKey: String?
  /// The caller's session ARN (`userIdentity.arn`).
  package var callerSession: String?
  /// The caller's `userIdentity.type`.
  package var callerType: String?
  /// `requestParameters.roleSessionName` (an instance id for an instance profile).
  package var sessionName: String?
  /// The issuing event.
  package var eventID: String?
  package var sharedEventID: String?
  package var eventName: String
  package var time: Timestamp?
  package var account: String?
  package var region: String?
  package var evidence: Evidence

  /// Two records of one call (a cross-account `AssumeRole` is logged in both accounts with one
  /// `sharedEventID`).
  func isSameCall(as other: Issue) -> Bool {
    if let shared = sharedEventID, shared == other.sharedEventID { return true }
    return eventID != nil && eventID == other.eventID
  }

  /// Of two copies of one call, the one kept: the copy that says more of the caller (the
  /// caller's account logs its session ARN and key; the role's account may log only the
  /// account), then the smaller account, event ID and region, so that the choice is the same
  /// whatever order the copies were read in.
  func isPreferred(over other: Issue) -> Bool {
    func rank(_ issue: Issue) -> (Int, String, String, String) {
      let detail = (issue.callerSession == nil ? 2 : 0) + (issue.callerKey == nil ? 1 : 0)
      return (detail, issue.account ?? "", issue.eventID ?? "", issue.region ?? "")
    }
    return rank(self) < rank(other)
  }
}

/// The credentials issued in an archive, keyed by credential.
package struct CredentialIndex: Sendable {
  /// Issues per credential; more than one distinct call for a credential is a conflict.
  package private(set) var issues: [String: [Issue]] = [:]

  package init() {}

  /// The STS calls that return credentials in `responseElements.credentials`.
  static let issuingCalls: Set<String> = [
    "AssumeRole", "AssumeRoleWithSAML", "AssumeRoleWithWebIdentity", "GetSessionToken", "GetFederationToken",
  ]

  /// Adds the credential `view` issues, if it issues one (a successful STS call returning
  /// credentials, or a console `SwitchRole`).
  package mutating func add(_ view: EventView) {
    guard let source = view.eventSource, let name = view.eventName else { return }
    if source == "sts.amazonaws.com" && Self.issuingCalls.contains(name) {
      addSTS(view, name: name)
    } else if source == "signin.amazonaws.com" && name == "SwitchRole" {
      addSwitch(view)
    }
  }

  mutating func addSTS(_ view: EventView, name: String) {
    guard let key = text(view, ["responseElements", "credentials", "accessKeyId"]), !key.isEmpty else { return }
    let identity = view.identity
    let session =
      text(view, ["responseElements", "assumedRoleUser", "arn"])
      ?? text(view, ["responseElements", "federatedUser", "arn"])
    insert(
      Issue(
        credential: key, session: session, callerPrincipal: identity?.principal ?? "unknown",
        callerKey: identity?.accessKeyId.flatMap { $0.isEmpty ? nil : $0 }, callerSession: identity?.arn,
        callerType: identity?.type?.rawValue, sessionName: text(view, ["requestParameters", "roleSessionName"]),
        eventID: view.eventID, sharedEventID: view.scalar("sharedEventID"), eventName: name, time: view.eventTime,
        account: view.account, region: view.scalar("awsRegion"), evidence: .accessKey))
  }

  mutating func addSwitch(_ view: EventView) {
    guard view.errorCode == nil, let session = view.identity?.arn, !session.isEmpty,
      let from = text(view, ["additionalEventData", "SwitchFrom"]), !from.isEmpty
    else { return }
    insert(
      Issue(
        credential: session, session: session, callerPrincipal: from, callerKey: nil, callerSession: from,
        callerType: nil, sessionName: nil, eventID: view.eventID, sharedEventID: view.scalar("sharedEventID"),
        eventName: "SwitchRole", time: view.eventTime, account: view.account, region: view.scalar("awsRegion"),
        evidence: .switchRole))
  }

  mutating func insert(_ issue: Issue) {
    var list = issues[issue.credential] ?? []
    // The same call seen twice (two accounts' copies, a file delivered twice) is one issue. Which
    // copy is kept must not depend on the order workers met them in (see `isPreferred(over:)`).
    if let same = list.firstIndex(where: { $0.isSameCall(as: issue) }) {
      guard issue.isPreferred(over: list[same]) else { return }
      list[same] = issue
    } else {
      list.append(issue)
    }
    list.sort { ($0.time ?? .epoch, $0.eventID ?? "") < ($1.time ?? .epoch, $1.eventID ?? "") }
    issues[issue.credential] = list
  }

  /// Adds another worker's index.
  package mutating func merge(_ other: CredentialIndex) {
    for list in other.issues.values { for issue in list { insert(issue) } }
  }

  /// Credentials issued by more than one call: reported, never silently resolved.
  package var conflicts: [(credential: String, issues: [Issue])] {
    issues.filter { $0.value.count > 1 }.map { ($0.key, $0.value) }.sorted { $0.credential < $1.credential }
  }

  func text(_ view: EventView, _ path: [String]) -> String? {
    view.values(atPath: path).first.flatMap(JSONText.scalar)
  }
}
