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
  /// Per event, its identity in `identityList` (-1: none); each distinct identity is listed
  /// once per batch, so the writer looks it up once.
  var identityRefs: [Int32] = []
  var identityList: [IdentityKey] = []
  var identitySerials: [Int: Int32] = [:]
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
    identityRefs.reserveCapacity(capacity)
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

  /// Writes `text` to `bytes`; its span (a count of -1: NULL).
  mutating func write(_ text: String?) -> (start: Int, count: Int) {
    guard let text else { return (0, -1) }
    let start = bytes.count
    bytes.append(contentsOf: text.utf8)
    return (start, bytes.count - start)
  }

  /// Writes what `read` passes (nil: NULL); when `read` cannot answer from bytes, `fallback`.
  mutating func write(
    _ read: ((UnsafeRawBufferPointer?) -> Void) -> Bool, orElse fallback: () -> String?
  ) -> (start: Int, count: Int) {
    let start = bytes.count
    var isNull = false
    let answered = read { raw in
      if let raw { bytes.append(contentsOf: raw) } else { isNull = true }
    }
    guard answered else {
      bytes.removeSubrange(start...)
      return write(fallback())
    }
    return (start, isNull ? -1 : bytes.count - start)
  }

  mutating func set(_ row: Int, _ slot: Slot, _ span: (start: Int, count: Int)) {
    let at = (row * Self.slots + slot.rawValue) * 2
    spans[at] = span.start
    spans[at + 1] = span.count
  }

  /// Whether the bytes of `span` (not NULL) pass `test`. No slice of `bytes` outlives the call:
  /// one kept alive while `bytes` grows would make every append copy the whole buffer.
  func check(_ span: (start: Int, count: Int), _ test: (UnsafeBufferPointer<UInt8>) -> Bool) -> Bool {
    guard span.count >= 0 else { return false }
    return bytes.withUnsafeBufferPointer { all in
      test(UnsafeBufferPointer(rebasing: all[span.start..<(span.start + span.count)]))
    }
  }

  static let amazonaws = Array(".amazonaws.com".utf8)

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
    spans.append(contentsOf: repeatElement(0, count: Self.slots * 2))
    set(row, .time, write(view.value(of: .time)))
    let name = write({ view.withSingleValue(of: .eventName, $0) }, orElse: { view.value(of: .eventName) })
    set(row, .eventName, name)
    let source = write({ view.withSingleValue(of: .eventSource, $0) }, orElse: { view.value(of: .eventSource) })
    set(row, .eventSource, source)
    // `service` is `eventSource` without `.amazonaws.com`: for ASCII text (where a `String`'s
    // suffix is its bytes' suffix) a part of the same bytes; `action` is `service:eventName`.
    var service = source
    if check(source, { $0.allSatisfy { $0 < 0x80 } }) {
      if check(
        source, { $0.count >= Self.amazonaws.count && $0.suffix(Self.amazonaws.count).elementsEqual(Self.amazonaws) })
      {
        service.count -= Self.amazonaws.count
      }
    } else if source.count >= 0 {
      service = write(view.value(of: .service))
    }
    set(row, .service, service)
    if name.count >= 0 {
      // (Copied out first: appending a slice of `bytes` to itself would copy the whole buffer.)
      var action = service.count >= 0 ? Array(bytes[service.start..<(service.start + service.count)]) : []
      if service.count < 0 { action.append(contentsOf: "unknown".utf8) }
      action.append(UInt8(ascii: ":"))
      action.append(contentsOf: bytes[name.start..<(name.start + name.count)])
      let start = bytes.count
      bytes.append(contentsOf: action)
      set(row, .action, (start, bytes.count - start))
    } else {
      set(row, .action, (0, -1))
    }
    let recipient = write(
      { view.withScalar("recipientAccountId", $0) }, orElse: { view.scalar("recipientAccountId") })
    set(row, .recipientAccountId, recipient)
    // `account` is `recipientAccountId`, else the identity's account.
    set(row, .account, recipient.count >= 0 ? recipient : write(view.value(of: .account)))
    set(row, .region, write({ view.withSingleValue(of: .region, $0) }, orElse: { view.value(of: .region) }))
    set(row, .ip, write({ view.withSingleValue(of: .ip, $0) }, orElse: { view.value(of: .ip) }))
    set(row, .error, write(view.value(of: .error)))
    set(row, .userAgent, write({ view.withSingleValue(of: .userAgent, $0) }, orElse: { view.value(of: .userAgent) }))
    set(row, .category, write({ view.withSingleValue(of: .category, $0) }, orElse: { view.value(of: .category) }))
    set(row, .readOnly, write(view.value(of: .readOnly)))
    set(row, .eventID, write({ view.withScalar("eventID", $0) }, orElse: { view.eventID }))
    set(row, .eventType, write({ view.withScalar("eventType", $0) }, orElse: { view.scalar("eventType") }))
    scratch.removeAll(keepingCapacity: true)
    JSONWriter.appendCompacted(view.json, to: &scratch)
    let start = bytes.count
    scratch.withUnsafeBytes { compressor.compress($0, appendingTo: &bytes) }
    set(row, .record, (start, bytes.count - start))
    // Which service, from the bytes just written (no `String`; the two names are ASCII, which
    // only bytes equal to them are canonically equivalent to).
    let signin = check(source) { $0.elementsEqual("signin.amazonaws.com".utf8) }
    let sts = check(source) { $0.elementsEqual("sts.amazonaws.com".utf8) }
    let (identity, serial) = identityCache.identity(view, signin: signin)
    if let identity {
      if let ref = identitySerials[serial] {
        identityRefs.append(ref)
      } else {
        let ref = Int32(identityList.count)
        identityList.append(identity)
        identitySerials[serial] = ref
        identityRefs.append(ref)
      }
    } else {
      identityRefs.append(-1)
    }
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
  var known: [Key: (identity: IdentityKey?, serial: Int)] = [:]
  /// Numbers each identity derived (a batch lists an identity once by its number).
  var serials = 0
  let limit: Int

  init(limit: Int = 16384) { self.limit = limit }

  func identity(_ view: EventView, signin: Bool) -> (identity: IdentityKey?, serial: Int) {
    serials += 1
    guard let value = view.member("userIdentity") else { return (EventBatch.identity(view), serials) }
    var flags: UInt8 = view.foldsKeyCase ? 1 : 0
    if view.isLakeEvent { flags |= 2 }
    if signin { flags |= 4 }
    if let console = view.scalar("sessionCredentialFromConsole") { flags |= console == "true" ? 8 : 16 }
    let key = Key(text: Array(value.jsonText), flags: flags)
    if let found = known[key] { return found }
    let identity = EventBatch.identity(view)
    if known.count >= limit { known.removeAll(keepingCapacity: true) }
    known[key] = (identity, serials)
    return (identity, serials)
  }
}
