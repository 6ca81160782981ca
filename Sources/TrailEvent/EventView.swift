// The one door to an event: every front end (filter flags, `--where`, rule patterns and
// matches, grouping, output columns, the `fields` census) reads an event through this view, so
// they all see the same values. It knows the three ways an event's own fields can sit in a
// record — as the record itself, with keys a pipeline lower-cased, or in a Lake integration
// event's `eventData` under its envelope — and hides them behind one member lookup.
import TrailJSON
import TrailModel
import TrailTime

/// One event as every front end reads it.
public struct EventView {
  /// The record as delivered (the whole Lake envelope, the EventBridge `detail`…): what event
  /// output (`jsonl`, `json`) prints.
  public let json: JSONValue
  /// Where the event's own fields are.
  var root: EventRoot
  var cache: Cache

  /// Decoded parts, computed once per event.
  final class Cache {
    var event: CloudTrailEvent? { didSet { holdsLargeValues = true } }
    var identity: UserIdentity?? { didSet { holdsLargeValues = true } }
    var principal: String??
    var time: Timestamp??
    /// `event` or `identity` was set (they are large: `clear` writes them only then).
    var holdsLargeValues = false
    init() {}

    /// Forgets everything, for another event.
    func clear() {
      if holdsLargeValues {
        event = nil
        identity = nil
        holdsLargeValues = false
      }
      principal = nil
      time = nil
    }
  }

  /// The event in the record `json` itself; `timeField` is where an event without `eventTime`
  /// takes its time from (`--time-field`, a dotted path such as `@timestamp`).
  public init(json: JSONValue, timeField: [String]? = nil) {
    self.json = json
    root = EventRoot(event: json, envelope: nil, foldsKeyCase: EventRoot.hasLowerCasedKeys(json), timeField: timeField)
    cache = Cache()
  }

  /// The event in `json`, whose keys the caller knows are as written (`hasLowerCasedKeys` false).
  init(json: JSONValue, foldsKeyCase: Bool, timeField: [String]?, cache: Cache) {
    self.json = json
    root = EventRoot(event: json, envelope: nil, foldsKeyCase: foldsKeyCase, timeField: timeField)
    self.cache = cache
  }

  /// A CloudTrail Lake integration event: the event in `data` (its `eventData`), completed by
  /// the `envelope`'s own fields (`LakeEvent.envelopeKeys`); output prints the envelope.
  public init(lakeEnvelope envelope: JSONValue, data: JSONValue, timeField: [String]? = nil) {
    json = envelope
    root = EventRoot(
      event: data, envelope: envelope, foldsKeyCase: EventRoot.hasLowerCasedKeys(data), timeField: timeField)
    cache = Cache()
  }

  /// Where this view takes the time of an event without `eventTime` from.
  public var timeField: [String]? { root.timeField }

  /// What answers `origin` for this view.
  public var originResolver: (any OriginResolving)? { root.originResolver }

  /// The same view with `resolver` answering `origin`.
  public func resolvingOrigin(with resolver: (any OriginResolving)?) -> EventView {
    guard let resolver else { return self }
    var copy = self
    copy.root.originResolver = resolver
    copy.cache = Cache()
    return copy
  }

  /// Whether this is a Lake integration event (its `json` is the envelope).
  public var isLakeEvent: Bool { root.envelope != nil }

  /// The view of a record read again from its JSON (by a sink that held events as bytes), the
  /// way the original view read it; `limits` are the scan's, for a Lake `eventData` held in a
  /// string.
  public init(reopening json: JSONValue, asLakeEvent: Bool, timeField: [String]? = nil, limits: JSONLimits = .default) {
    guard asLakeEvent, let data = json["eventData"] else {
      self.init(json: json, timeField: timeField)
      return
    }
    let event = data.kind == .string ? JSONPath.embeddedJSON(data, limits: limits)?.root ?? data : data
    self.init(lakeEnvelope: json, data: event, timeField: timeField)
  }

  /// The value of the event's top-level field `key`, wherever the record keeps it.
  public func member(_ key: String) -> JSONValue? { root.member(key) }

  /// The event's top-level fields, as paths read them (a Lake event's `eventData` members and
  /// the envelope's own fields; a key that repeats, once).
  public var members: [(key: String, value: JSONValue)] { root.members }

  /// Whether keys are compared without case below the top level too (a record whose keys a
  /// pipeline lower-cased).
  public var foldsKeyCase: Bool { root.foldsKeyCase }

  /// The whole model (decoded on first use), read with the same rules as every field.
  public var event: CloudTrailEvent {
    if let event = cache.event { return event }
    let decoded = root.decodeModel()
    cache.event = decoded
    return decoded
  }

  /// `eventTime`, parsed.
  public var eventTime: Timestamp? {
    if let time = cache.time { return time }
    var time: Timestamp?
    if let value = member("eventTime") {
      // A string without escapes is parsed where it lies (no String made); anything else as text.
      time = value.withPlainString(Timestamp.parse) ?? JSONText.scalar(value).flatMap(Timestamp.parse)
    }
    if time == nil, let timeField = root.timeField {
      time = values(atPath: timeField).lazy.compactMap(JSONText.scalar).compactMap(Timestamp.parse).first
    }
    cache.time = .some(time)
    return time
  }

  /// `userIdentity`, decoded alone (straight from the tape: Codable decoding of the element
  /// cost a third of a `stats --by principal` scan). `EventLayerTests` keeps this reading equal
  /// to the Codable model on every corpus event.
  public var identity: UserIdentity? {
    if let identity = cache.identity { return identity }
    var identity: UserIdentity?
    if let value = member("userIdentity"), value.kind == .object {
      identity = root.identityFields(value)
    }
    cache.identity = .some(identity)
    return identity
  }

  /// The principal of `userIdentity` (`UserIdentity.principal`), reading from the tape only the
  /// fields its type needs; nil when the event has no `userIdentity` object.
  public var principal: String? {
    if let principal = cache.principal { return principal }
    var principal: String?
    if let identity = cache.identity {
      principal = identity?.principal
    } else if let value = member("userIdentity"), value.kind == .object {
      principal = root.principal(value)
    }
    cache.principal = .some(principal)
    return principal
  }

  /// A top-level field as text (strings; numbers and booleans as written).
  public func scalar(_ key: String) -> String? { member(key).flatMap(JSONText.scalar) }

  /// The top-level `eventName` as text, wherever the record keeps it (see `scalar(_:)`).
  public var eventName: String? { scalar("eventName") }
  /// The top-level `eventSource` as text, wherever the record keeps it (see `scalar(_:)`).
  public var eventSource: String? { scalar("eventSource") }
  /// The top-level `eventID` as text, wherever the record keeps it (see `scalar(_:)`).
  public var eventID: String? { scalar("eventID") }

  /// `readOnly` as a boolean (also from the strings "true"/"false", any case).
  public var readOnly: Bool? {
    guard let value = member("readOnly") else { return nil }
    if let b = value.bool { return b }
    switch value.string?.lowercased() {
    case "true": return true
    case "false": return false
    default: return nil
    }
  }
}

/// Finds the principal that started the credential chain behind an event (TrailIdentity's
/// credential index implements it); attached to views by `EventReader` when a scan needs
/// `origin`.
public protocol OriginResolving: Sendable {
  /// The origin of `view`, or nil to fall back to its own principal.
  func origin(of view: EventView) -> String?
}

/// A Lake integration event's split between its envelope and `eventData`.
public enum LakeEvent {
  /// Fields the envelope owns: read from the envelope when it has them, whatever `eventData`
  /// says (CloudTrail Lake sets them on ingestion). Every other field is read from `eventData`,
  /// and from the envelope only when `eventData` lacks it (`recipientAccountId`, `metadata`).
  public static let envelopeKeys: Set<String> = [
    "eventVersion", "eventCategory", "eventType", "eventID", "eventTime", "awsRegion", "addendum",
  ]
}

/// Where an event's top-level fields are, and how keys compare.
struct EventRoot {
  /// The object holding the event's own fields.
  let event: JSONValue
  /// A Lake envelope around `event`.
  let envelope: JSONValue?
  /// Keys compare without ASCII case (after an exact match fails).
  let foldsKeyCase: Bool
  /// Where an event without `eventTime` takes its time from.
  var timeField: [String]? = nil
  /// What answers `origin` (nil: the event's own principal).
  var originResolver: (any OriginResolving)? = nil

  /// A record whose keys a pipeline lower-cased (`eventname`, `useridentity`, as Athena and
  /// Panther store them): none of `eventVersion`/`eventName`, but `eventversion` or `eventname`.
  static func hasLowerCasedKeys(_ json: JSONValue) -> Bool {
    json["eventVersion"] == nil && json["eventName"] == nil && (json["eventversion"] != nil || json["eventname"] != nil)
  }

  func member(_ key: String) -> JSONValue? {
    guard let envelope else { return JSONPath.member(event, key, foldsKeyCase: foldsKeyCase) }
    if LakeEvent.envelopeKeys.contains(key), let owned = envelope[key] { return owned }
    return JSONPath.member(event, key, foldsKeyCase: foldsKeyCase) ?? envelope[key]
  }

  var members: [(key: String, value: JSONValue)] {
    guard let envelope else { return event.members }
    var seen = Set<String>()
    var out: [(key: String, value: JSONValue)] = []
    for (key, _) in event.members + envelope.members where key != "eventData" && seen.insert(key).inserted {
      if let value = member(key) { out.append((key, value)) }
    }
    return out
  }

  /// The Codable model, with the same rules as `member`: keys without case for lower-cased
  /// records; for a Lake event, decoded from the members as `members` merges them (Lake events
  /// are rare, so their merged object is written out and parsed again).
  func decodeModel() -> CloudTrailEvent {
    let decoder = JSONValueDecoder(ignoresKeyCase: foldsKeyCase)
    guard envelope != nil else { return (try? decoder.decode(CloudTrailEvent.self, from: event)) ?? CloudTrailEvent() }
    var bytes: [UInt8] = [UInt8(ascii: "{")]
    for (i, member) in members.enumerated() {
      if i > 0 { bytes.append(UInt8(ascii: ",")) }
      JSONWriter.appendString(member.key, to: &bytes)
      bytes.append(UInt8(ascii: ":"))
      JSONWriter.appendCompacted(member.value, to: &bytes)
    }
    bytes.append(UInt8(ascii: "}"))
    guard let merged = try? JSONDocument(parsing: bytes) else { return CloudTrailEvent() }
    return (try? decoder.decode(CloudTrailEvent.self, from: merged.root)) ?? CloudTrailEvent()
  }

  /// `UserIdentity.principal` of the `userIdentity` object `value`, each field read from the
  /// tape as `identityFields` reads it, and only when the identity's type needs it.
  func principal(_ value: JSONValue) -> String {
    switch principalSource(value) {
    case .field(let chosen): return JSONText.scalar(chosen) ?? ""
    case .unknown: return "unknown"
    case .joined(let provider, let user): return "\(JSONText.scalar(provider) ?? ""):\(JSONText.scalar(user) ?? "")"
    }
  }

  /// Which values of the `userIdentity` object `value` make its principal: each a string,
  /// number or boolean found as `identityFields` finds it (what `JSONText.scalar` reads).
  func principalSource(_ value: JSONValue) -> UserIdentity.PrincipalChoice<JSONValue> {
    let folds = foldsKeyCase
    func scalar(_ object: JSONValue?, _ key: String) -> JSONValue? {
      guard let object, let found = JSONPath.member(object, key, foldsKeyCase: folds) else { return nil }
      switch found.kind {
      case .string, .number, .true, .false: return found
      case .null, .object, .array: return nil
      }
    }
    func object(_ parent: JSONValue?, _ key: String) -> JSONValue? {
      guard let parent, let child = JSONPath.member(parent, key, foldsKeyCase: folds), child.kind == .object else {
        return nil
      }
      return child
    }
    let type = scalar(value, "type").flatMap(JSONText.scalar).map(UserIdentity.Kind.init(rawValue:))
    return UserIdentity.principalChoice(
      type: type,
      { field in
        switch field {
        case .arn: return scalar(value, "arn")
        case .principalId: return scalar(value, "principalId")
        case .invokedBy: return scalar(value, "invokedBy")
        case .accountId: return scalar(value, "accountId")
        case .userName: return scalar(value, "userName")
        case .identityProvider: return scalar(value, "identityProvider")
        case .onBehalfOfUserId: return scalar(object(value, "onBehalfOf"), "userId")
        case .sessionIssuerArn: return scalar(object(object(value, "sessionContext"), "sessionIssuer"), "arn")
        }
      }, isEmpty: { $0.kind == .string && $0.rawText.isEmpty })
  }

  /// The fields of `userIdentity` that the derived fields read, taken straight from the tape,
  /// lenient as the model is.
  func identityFields(_ value: JSONValue) -> UserIdentity {
    let folds = foldsKeyCase
    func text(_ object: JSONValue?, _ key: String) -> String? {
      object.flatMap { JSONPath.member($0, key, foldsKeyCase: folds) }.flatMap(JSONText.scalar)
    }
    func object(_ parent: JSONValue, _ key: String) -> JSONValue? {
      guard let child = JSONPath.member(parent, key, foldsKeyCase: folds), child.kind == .object else { return nil }
      return child
    }
    var identity = UserIdentity(type: text(value, "type").map(UserIdentity.Kind.init(rawValue:)))
    identity.principalId = text(value, "principalId")
    identity.arn = text(value, "arn")
    identity.accountId = text(value, "accountId")
    identity.accessKeyId = text(value, "accessKeyId")
    identity.userName = text(value, "userName")
    identity.invokedBy = text(value, "invokedBy")
    identity.identityProvider = text(value, "identityProvider")
    identity.credentialId = text(value, "credentialId")
    if let behalf = object(value, "onBehalfOf") {
      identity.onBehalfOf = OnBehalfOf(
        userId: text(behalf, "userId"), identityStoreArn: text(behalf, "identityStoreArn"))
    }
    if let context = object(value, "sessionContext") {
      var session = SessionContext()
      session.sourceIdentity = text(context, "sourceIdentity")
      if let issuer = object(context, "sessionIssuer") {
        var sessionIssuer = SessionIssuer()
        sessionIssuer.arn = text(issuer, "arn")
        sessionIssuer.type = text(issuer, "type")
        sessionIssuer.principalId = text(issuer, "principalId")
        sessionIssuer.accountId = text(issuer, "accountId")
        sessionIssuer.userName = text(issuer, "userName")
        session.sessionIssuer = sessionIssuer
      }
      identity.sessionContext = session
    }
    return identity
  }
}
