// What `trace` gathers in one pass: the credential index, and for every credential used, who
// used it and for what (counts per action and per account). Questions are then answered from
// these alone: the chain behind a key, a session or an event, and everything an origin obtained.
import TrailEvent
import TrailTime

/// How one credential was used in the archive.
package struct CredentialUse: Sendable, Equatable {
  /// The first use seen (who held the credential).
  package var reference: OriginReference
  package var events = 0
  package var actions: [String: Int] = [:]
  package var accounts: [String: Int] = [:]
  package var firstSeen: Timestamp?
  package var lastSeen: Timestamp?

  mutating func merge(_ other: CredentialUse) {
    events += other.events
    for (action, count) in other.actions { actions[action, default: 0] += count }
    for (account, count) in other.accounts { accounts[account, default: 0] += count }
    firstSeen = [firstSeen, other.firstSeen].compactMap { $0 }.min()
    lastSeen = [lastSeen, other.lastSeen].compactMap { $0 }.max()
  }
}

/// One pass of `trace`: the index, each credential's use, and the event asked for.
package struct TraceData: Sendable {
  package var index = CredentialIndex()
  /// Uses per credential: the access key, or for a console session without one, its ARN.
  package var uses: [String: CredentialUse] = [:]
  /// The event `--event-id` asks for, once seen.
  package var event: OriginReference?
  let eventID: String?

  package init(eventID: String? = nil) { self.eventID = eventID }

  /// Takes one event (every event of the archive, unfiltered).
  package mutating func add(_ view: EventView) {
    index.add(view)
    guard view.identity != nil else { return }
    let reference = OriginReference(view)
    if let eventID, view.eventID == eventID, event == nil { event = reference }
    guard let credential = reference.key ?? (reference.console ? reference.session : nil) else { return }
    var use = uses[credential] ?? CredentialUse(reference: reference)
    use.events += 1
    if let action = view.action { use.actions[action, default: 0] += 1 }
    if let account = view.account { use.accounts[account, default: 0] += 1 }
    if let time = view.eventTime {
      use.firstSeen = min(use.firstSeen ?? time, time)
      use.lastSeen = max(use.lastSeen ?? time, time)
    }
    uses[credential] = use
  }

  /// Adds another worker's part.
  package mutating func merge(_ other: TraceData) {
    index.merge(other.index)
    for (credential, use) in other.uses {
      if var mine = uses[credential] {
        mine.merge(use)
        uses[credential] = mine
      } else {
        uses[credential] = use
      }
    }
    if event == nil { event = other.event }
  }

  /// The chain behind an access key (or a console session ARN).
  package func chain(credential: String) -> Chain? {
    if let use = uses[credential] { return index.chain(use.reference) }
    guard index.issues[credential] != nil else { return nil }
    return index.chain(key: credential, session: nil, console: false, principal: "unknown", temporary: true)
  }

  /// The chains behind every credential a session used.
  package func chains(session: String) -> [(credential: String, chain: Chain)] {
    uses.filter { $0.value.reference.session == session }.keys.sorted().compactMap { credential in
      chain(credential: credential).map { (credential, $0) }
    }
  }

  /// Every credential whose chain starts at `origin` (directly or through chains), with its
  /// chain, oldest first.
  package func obtained(by origin: (String) -> Bool) -> [(credential: String, chain: Chain)] {
    let credentials = Set(index.issues.keys).union(uses.keys)
    return credentials.compactMap { credential -> (String, Chain)? in
      guard let chain = chain(credential: credential), !chain.hops.isEmpty, origin(chain.origin) else { return nil }
      return (credential, chain)
    }.sorted { a, b in
      let (x, y) = (a.1.hops.last?.time ?? .epoch, b.1.hops.last?.time ?? .epoch)
      return x != y ? x < y : a.0 < b.0
    }
  }
}
