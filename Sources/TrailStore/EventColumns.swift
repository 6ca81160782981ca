// What the store keeps of an event besides its record: the fields of docs/fields.md as columns,
// each read through the event layer (`EventView.values(of:)`) so a column holds exactly what a
// filter on that field tests; the identity fields apart (few distinct ones per archive), and the
// targets as several values.
import TrailEvent
import TrailIdentity
import TrailJSON

/// The identity fields of an event, stored once per distinct combination. Its hash is taken
/// once, by the worker that read the event, so the one writer only compares.
struct IdentityKey: Hashable, Sendable {
  var principal: String?
  var session: String?
  var actor: String?
  var userName: String?
  var principalId: String?
  var accessKey: String?
  var type: String?
  /// `userIdentity.userName` or `.principalId` gave several values (a hostile record): every
  /// question on them reads the record.
  var irregular: Bool
  /// The credential reference `origin` is resolved from (TrailIdentity's `OriginReference`).
  var credential: String
  var hash = 0

  init(
    principal: String? = nil, session: String? = nil, actor: String? = nil, userName: String? = nil,
    principalId: String? = nil, accessKey: String? = nil, type: String? = nil, irregular: Bool, credential: String
  ) {
    self.principal = principal
    self.session = session
    self.actor = actor
    self.userName = userName
    self.principalId = principalId
    self.accessKey = accessKey
    self.type = type
    self.irregular = irregular
    self.credential = credential
    var hasher = Hasher()
    for part in [principal, session, actor, userName, principalId, accessKey, type] { hasher.combine(part) }
    hasher.combine(irregular)
    hasher.combine(credential)
    hash = hasher.finalize()
  }

  func hash(into hasher: inout Hasher) { hasher.combine(hash) }

  static func == (a: IdentityKey, b: IdentityKey) -> Bool {
    a.hash == b.hash && a.credential == b.credential && a.principal == b.principal && a.session == b.session
      && a.actor == b.actor && a.userName == b.userName && a.principalId == b.principalId
      && a.accessKey == b.accessKey && a.type == b.type && a.irregular == b.irregular
  }
}

/// The text columns of `event_rows` a batch carries per event, in the order the writer binds
/// them, and the record (a blob) last.
enum Slot: Int, CaseIterable {
  case time, eventName, eventSource, service, action, account, region, ip, error, userAgent, category, readOnly
  case eventID, eventType, recipientAccountId, record
}

/// Events ready for the writer, flat: every text and record of the batch in one byte buffer
/// (which the writer binds without copies), so a batch is a handful of arrays rather than a
/// row object with twenty strings per event (which the one writer thread would otherwise
/// release and free).
struct EventBatch: Sendable {
  static let slots = Slot.allCases.count
  var count = 0
  var bytes: [UInt8] = []
  /// Per event, `slots` pairs of (start in `bytes`, length); a length of -1 is NULL.
  var spans: [Int] = []
  /// Per event: seq, byte offset, Lake flag, seconds, nanoseconds (`Int64.min`: NULL).
  var numbers: [Int64] = []
  var identities: [IdentityKey?] = []
  /// Per event, the end of its targets in `targets` (pairs of start and length in `bytes`).
  var targetEnds: [Int] = []
  var targets: [Int] = []
  /// The credentials an event issues (`sts`/`signin` events only), by event, for `origin`.
  var credentials: [Int: CredentialIndex] = [:]

  static let numberCount = 5
  static let null = Int64.min

  init(capacity: Int) {
    bytes.reserveCapacity(capacity * 1024)
    spans.reserveCapacity(capacity * Self.slots * 2)
    numbers.reserveCapacity(capacity * Self.numberCount)
    identities.reserveCapacity(capacity)
    targetEnds.reserveCapacity(capacity)
  }

  /// The span of `slot` of event `row`: nil for NULL.
  func span(_ row: Int, _ slot: Slot) -> (start: Int, count: Int)? {
    let at = (row * Self.slots + slot.rawValue) * 2
    let count = spans[at + 1]
    return count < 0 ? nil : (spans[at], count)
  }

  func number(_ row: Int, _ index: Int) -> Int64 { numbers[row * Self.numberCount + index] }

  /// The text of `slot` of event `row` (for the rare paths that need a `String`).
  func text(_ row: Int, _ slot: Slot) -> String? {
    span(row, slot).map { String(decoding: bytes[$0.start..<($0.start + $0.count)], as: UTF8.self) }
  }

  mutating func put(_ text: String?) {
    guard let text else {
      spans.append(0)
      spans.append(-1)
      return
    }
    let start = bytes.count
    bytes.append(contentsOf: text.utf8)
    spans.append(start)
    spans.append(bytes.count - start)
  }

  /// Appends what `read` passes (nil: NULL); when `read` cannot answer from bytes, `fallback`.
  mutating func put(
    _ read: ((UnsafeRawBufferPointer?) -> Void) -> Bool, orElse fallback: () -> String?
  ) {
    let start = bytes.count
    var isNull = false
    let answered = read { raw in
      if let raw { bytes.append(contentsOf: raw) } else { isNull = true }
    }
    guard answered else {
      bytes.removeSubrange(start...)
      put(fallback())
      return
    }
    spans.append(start)
    spans.append(isNull ? -1 : bytes.count - start)
  }

  /// Adds one event: its columns, identity, targets and compressed record.
  mutating func append(
    _ view: EventView, seq: Int, offset: Int, compressor: RecordCompressor, identityCache: IdentityCache,
    scratch: inout [UInt8]
  ) {
    let row = count
    count += 1
    let eventTime = view.eventTime
    numbers.append(Int64(seq))
    numbers.append(Int64(offset))
    numbers.append(view.isLakeEvent ? 1 : 0)
    numbers.append(eventTime?.seconds ?? Self.null)
    numbers.append(eventTime.map { Int64($0.nanoseconds) } ?? Self.null)
    put(view.value(of: .time))
    put({ view.withSingleValue(of: .eventName, $0) }, orElse: { view.value(of: .eventName) })
    put({ view.withSingleValue(of: .eventSource, $0) }, orElse: { view.value(of: .eventSource) })
    put(view.value(of: .service))
    put(view.value(of: .action))
    put(view.value(of: .account))
    put({ view.withSingleValue(of: .region, $0) }, orElse: { view.value(of: .region) })
    put({ view.withSingleValue(of: .ip, $0) }, orElse: { view.value(of: .ip) })
    put(view.value(of: .error))
    put({ view.withSingleValue(of: .userAgent, $0) }, orElse: { view.value(of: .userAgent) })
    put({ view.withSingleValue(of: .category, $0) }, orElse: { view.value(of: .category) })
    put(view.value(of: .readOnly))
    put({ view.withScalar("eventID", $0) }, orElse: { view.eventID })
    put({ view.withScalar("eventType", $0) }, orElse: { view.scalar("eventType") })
    put({ view.withScalar("recipientAccountId", $0) }, orElse: { view.scalar("recipientAccountId") })
    scratch.removeAll(keepingCapacity: true)
    JSONWriter.appendCompacted(view.json, to: &scratch)
    let start = bytes.count
    scratch.withUnsafeBytes { compressor.compress($0, appendingTo: &bytes) }
    spans.append(start)
    spans.append(bytes.count - start)
    // Which service, from the bytes just written (no `String`; the two names are ASCII, which
    // only bytes equal to them are canonically equivalent to).
    let source = span(row, .eventSource).map { bytes[$0.start..<($0.start + $0.count)] }
    let signin = source.map { $0.elementsEqual("signin.amazonaws.com".utf8) } ?? false
    let sts = source.map { $0.elementsEqual("sts.amazonaws.com".utf8) } ?? false
    identities.append(identityCache.identity(view, signin: signin))
    var seen: [String] = []
    for target in view.values(of: .target) where !seen.contains(target) {
      seen.append(target)
      let start = bytes.count
      bytes.append(contentsOf: target.utf8)
      targets.append(start)
      targets.append(bytes.count - start)
    }
    targetEnds.append(targets.count)
    if sts || signin {
      var index = CredentialIndex()
      index.add(view)
      if !index.issues.isEmpty { credentials[row] = index }
    }
  }

  /// The targets of event `row`, as spans of `bytes`.
  func targetSpans(_ row: Int) -> Range<Int> { (row == 0 ? 0 : targetEnds[row - 1])..<targetEnds[row] }

  static func identity(_ view: EventView) -> IdentityKey? {
    let userNames = view.values(of: .path(["userIdentity", "userName"]))
    let principalIds = view.values(of: .path(["userIdentity", "principalId"]))
    guard view.identity != nil else {
      // A `userIdentity` that is not an object can still hold paths (an array of objects).
      return userNames.isEmpty && principalIds.isEmpty ? nil : IdentityKey(irregular: true, credential: "")
    }
    return IdentityKey(
      principal: view.value(of: .principal), session: view.value(of: .session), actor: view.value(of: .actor),
      userName: userNames.count == 1 ? userNames[0] : nil,
      principalId: principalIds.count == 1 ? principalIds[0] : nil,
      accessKey: view.value(of: .accessKey), type: view.value(of: .type),
      irregular: userNames.count > 1 || principalIds.count > 1, credential: OriginReference(view).encoded)
  }
}

/// The identity fields of the events a worker reads, remembered by what they are derived from:
/// the `userIdentity` value as written, whether the record's keys fold case, and the two
/// top-level facts `OriginReference` reads. An archive has few distinct identities (59,353 in
/// 200,000 events), and deriving one reads a dozen paths. At most `limit` are kept.
final class IdentityCache {
  struct Key: Hashable {
    var text: [UInt8]
    var flags: UInt8

    func hash(into hasher: inout Hasher) {
      hasher.combine(flags)
      text.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
  }
  var known: [Key: IdentityKey?] = [:]
  let limit: Int

  init(limit: Int = 16384) { self.limit = limit }

  func identity(_ view: EventView, signin: Bool) -> IdentityKey? {
    guard let value = view.member("userIdentity") else { return EventBatch.identity(view) }
    var flags: UInt8 = view.foldsKeyCase ? 1 : 0
    if view.isLakeEvent { flags |= 2 }
    if signin { flags |= 4 }
    if let console = view.scalar("sessionCredentialFromConsole") { flags |= console == "true" ? 8 : 16 }
    let key = Key(text: Array(value.jsonText), flags: flags)
    if let found = known[key] { return found }
    let identity = EventBatch.identity(view)
    if known.count >= limit { known.removeAll(keepingCapacity: true) }
    known[key] = identity
    return identity
  }
}
