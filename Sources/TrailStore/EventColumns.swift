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

/// One event, ready for the writer.
struct EventRow: Sendable {
  var seq: Int
  var offset: Int
  var lake: Bool
  /// The record, compressed.
  var record: [UInt8]
  var time: String?
  var seconds: Int64?
  var nanoseconds: Int32?
  var eventName: String?
  var eventSource: String?
  var service: String?
  var action: String?
  var identity: IdentityKey?
  var account: String?
  var region: String?
  var ip: String?
  var error: String?
  var userAgent: String?
  var category: String?
  var readOnly: String?
  var eventID: String?
  var eventType: String?
  var recipientAccountId: String?
  var targets: [String]

  init(_ view: EventView, seq: Int, offset: Int, compressor: RecordCompressor, scratch: inout [UInt8]) {
    self.seq = seq
    self.offset = offset
    lake = view.isLakeEvent
    scratch.removeAll(keepingCapacity: true)
    JSONWriter.appendCompacted(view.json, to: &scratch)
    record = scratch.withUnsafeBytes { compressor.compress($0) }
    let eventTime = view.eventTime
    time = view.value(of: .time)
    seconds = eventTime?.seconds
    nanoseconds = eventTime?.nanoseconds
    eventName = view.value(of: .eventName)
    eventSource = view.value(of: .eventSource)
    service = view.value(of: .service)
    action = view.value(of: .action)
    if view.identity != nil {
      let userNames = view.values(of: .path(["userIdentity", "userName"]))
      let principalIds = view.values(of: .path(["userIdentity", "principalId"]))
      identity = IdentityKey(
        principal: view.value(of: .principal), session: view.value(of: .session), actor: view.value(of: .actor),
        userName: userNames.count == 1 ? userNames[0] : nil,
        principalId: principalIds.count == 1 ? principalIds[0] : nil,
        accessKey: view.value(of: .accessKey), type: view.value(of: .type),
        irregular: userNames.count > 1 || principalIds.count > 1, credential: OriginReference(view).encoded)
    } else {
      let userNames = view.values(of: .path(["userIdentity", "userName"]))
      let principalIds = view.values(of: .path(["userIdentity", "principalId"]))
      // A `userIdentity` that is not an object can still hold paths (an array of objects).
      identity =
        userNames.isEmpty && principalIds.isEmpty
        ? nil
        : IdentityKey(
          irregular: true, credential: "")
    }
    account = view.value(of: .account)
    region = view.value(of: .region)
    ip = view.value(of: .ip)
    error = view.value(of: .error)
    userAgent = view.value(of: .userAgent)
    category = view.value(of: .category)
    readOnly = view.value(of: .readOnly)
    eventID = view.eventID
    eventType = view.scalar("eventType")
    recipientAccountId = view.scalar("recipientAccountId")
    targets = view.values(of: .target)
  }
}
