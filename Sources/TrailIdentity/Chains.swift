// Walking credential chains in the index: from the credential an event used back to the
// identity that started the chain (its `origin`), hop by hop, stopping at the last link the
// archive proves and saying why. Nothing is guessed from names: a session whose key no call in
// the archive issued is its own origin, whatever its session name looks like.
import TrailEvent
import TrailTime

/// One link of a chain: `principal` used `used` to obtain `obtained`.
package struct Hop: Sendable, Equatable {
  /// Who obtained the credential (the caller of the issuing call).
  package var principal: String
  /// The credential the caller used (nil: a long-term key not shown, a console sign-in).
  package var used: String?
  /// The credential obtained (an access key; for a console switch, the session ARN).
  package var obtained: String
  /// The session the obtained credential belongs to.
  package var session: String?
  /// The issuing call and where it was recorded.
  package var eventName: String
  package var eventID: String?
  package var time: Timestamp?
  package var account: String?
  package var evidence: Evidence
}

/// The chain behind a credential, from its origin on.
package struct Chain: Sendable, Equatable {
  /// The principal that started the chain (see `docs/identity.md`).
  package var origin: String
  /// The links from the origin to the credential, in that order.
  package var hops: [Hop]
  /// Why the chain stops where it does, when that is not a natural start (a long-term key, a
  /// person signing in, a web or SAML identity, an AWS service): a missing link or a conflict.
  package var gap: String?
}

extension CredentialIndex {
  /// The most links a chain is walked through (a longer one is cut and says so).
  static let maxHops = 32

  /// The chain behind an event: the credential it used (`key`, or for a console session of a
  /// switched role its `session`), and the event's own `principal` as the fallback origin.
  /// `temporary` says whether the event's credential is a temporary one that some call must
  /// have issued (an assumed-role or federated session).
  package func chain(key: String?, session: String?, console: Bool, principal: String, temporary: Bool) -> Chain {
    var hops: [Hop] = []
    var currentKey = key
    var currentSession = console ? session : nil
    var currentPrincipal = principal
    var needsIssuer = temporary
    var seen = Set<String>()
    var gap: String?
    var origin: String?
    while hops.count < Self.maxHops {
      let credential =
        currentKey.flatMap { issues[$0] != nil ? $0 : nil } ?? currentSession.flatMap { issues[$0] != nil ? $0 : nil }
      guard let credential, let found = issues[credential] else {
        if needsIssuer {
          gap =
            "no call in the archive issued \(currentKey ?? currentSession ?? "the credential of \(currentPrincipal)")"
        }
        break
      }
      guard found.count == 1, let issue = found.first else {
        gap =
          "\(credential) was issued by \(found.count) different calls (\(found.compactMap(\.eventID).joined(separator: ", "))); not resolved"
        break
      }
      guard seen.insert(credential).inserted else {
        gap = "the chain loops back to \(credential)"
        break
      }
      hops.insert(
        Hop(
          principal: issue.callerPrincipal, used: issue.callerKey, obtained: issue.credential, session: issue.session,
          eventName: issue.eventName, eventID: issue.eventID, time: issue.time, account: issue.account,
          evidence: issue.evidence), at: 0)
      if let instance = Self.instance(behind: issue) {
        origin = instance
        break
      }
      currentKey = issue.callerKey
      currentSession = nil
      currentPrincipal = issue.callerPrincipal
      needsIssuer = issue.callerType == "AssumedRole" || issue.callerType == "FederatedUser"
    }
    if hops.count == Self.maxHops { gap = "cut after \(Self.maxHops) links" }
    return Chain(origin: origin ?? currentPrincipal, hops: hops, gap: gap)
  }

  /// An instance profile's credentials: issued by `ec2.amazonaws.com` to a session named after
  /// the instance. The origin is the instance.
  static func instance(behind issue: Issue) -> String? {
    guard issue.callerType == "AWSService", issue.callerPrincipal == "ec2.amazonaws.com",
      let name = issue.sessionName, name.hasPrefix("i-")
    else { return nil }
    let region = issue.region ?? ""
    let partition = Derived.partition(ofRegion: region)
    let account =
      issue.session.flatMap { arn in
        arn.split(separator: ":", omittingEmptySubsequences: false).dropFirst(4).first.map(String.init)
      } ?? issue.account ?? ""
    return "arn:\(partition):ec2:\(region):\(account):instance/\(name)"
  }

  /// The chain behind `view`'s credential.
  package func chain(of view: EventView) -> Chain {
    let reference = OriginReference(view)
    return chain(reference)
  }

  /// The chain behind a recorded reference.
  package func chain(_ reference: OriginReference) -> Chain {
    chain(
      key: reference.key, session: reference.session, console: reference.console, principal: reference.principal,
      temporary: reference.temporary)
  }
}

/// What an event's origin depends on, recorded during a scan so that the origin can be found
/// once the whole archive has been indexed (`stats --by origin` in one pass).
package struct OriginReference: Hashable, Sendable {
  package var key: String?
  package var session: String?
  package var console: Bool
  package var principal: String
  package var temporary: Bool

  package init(_ view: EventView) {
    let identity = view.identity
    key = identity?.accessKeyId.flatMap { $0.isEmpty ? nil : $0 }
    session = identity?.arn
    // A console session: its calls say so, and the sign-in events themselves are console ones.
    console = view.scalar("sessionCredentialFromConsole") == "true" || view.eventSource == "signin.amazonaws.com"
    principal = identity?.principal ?? "unknown"
    let type = identity?.type?.rawValue
    temporary = type == "AssumedRole" || type == "FederatedUser"
  }

  /// The reference as one text value (a group key), and back.
  package var encoded: String {
    [key ?? "", session ?? "", console ? "1" : "0", temporary ? "1" : "0", principal].joined(separator: "\u{1F}")
  }

  package init?(encoded: String) {
    let parts = encoded.split(separator: "\u{1F}", maxSplits: 4, omittingEmptySubsequences: false).map(String.init)
    guard parts.count == 5 else { return nil }
    key = parts[0].isEmpty ? nil : parts[0]
    session = parts[1].isEmpty ? nil : parts[1]
    console = parts[2] == "1"
    temporary = parts[3] == "1"
    principal = parts[4]
  }
}

/// Answers `origin` from a finished index (attached to views when a scan needs it).
package struct CredentialResolver: OriginResolving {
  package let index: CredentialIndex

  package init(_ index: CredentialIndex) { self.index = index }

  package func origin(of view: EventView) -> String? {
    guard view.identity != nil else { return nil }
    return index.chain(of: view).origin
  }
}
