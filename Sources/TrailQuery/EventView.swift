// What a query sees of one event: the record's JSON (for any dotted path and lossless output)
// and the model, decoded only as far as a query asks. Most fields are read straight from the
// JSON; `userIdentity` is decoded alone when an identity field is needed; the whole
// CloudTrailEvent only when `event` is read. A query for one field never pays for thirty.
import TrailJSON
import TrailModel
import TrailTime

/// One event as the query layer reads it.
public struct EventView {
  /// The record's JSON (the top-level object of the event).
  public let json: JSONValue
  let cache: Cache

  /// Decoded parts, computed once per event.
  final class Cache {
    var event: CloudTrailEvent?
    var identity: UserIdentity??
    var time: Timestamp??
    /// Read every field through the model: it was given (a Lake event's merged fields) or the
    /// record's keys are lower-cased, so the JSON's own names do not apply.
    let throughModel: Bool
    let ignoresKeyCase: Bool

    init(event: CloudTrailEvent?, throughModel: Bool, ignoresKeyCase: Bool) {
      self.event = event
      self.throughModel = throughModel
      self.ignoresKeyCase = ignoresKeyCase
    }
  }

  /// A view whose model is decoded from `json` on demand.
  public init(json: JSONValue) {
    self.json = json
    let folded = Self.hasLowerCasedKeys(json)
    cache = Cache(event: nil, throughModel: folded, ignoresKeyCase: folded)
  }

  /// A view with a given model (decoded elsewhere, or merged from several parts).
  public init(event: CloudTrailEvent, json: JSONValue) {
    self.json = json
    cache = Cache(event: event, throughModel: true, ignoresKeyCase: false)
  }

  /// A record whose keys a pipeline lower-cased (`eventname`, `useridentity`, as Athena stores
  /// them): it has none of `eventVersion`/`eventName` but `eventversion` or `eventname`. Such a
  /// record is read with case-insensitive keys, by the model and by paths.
  static func hasLowerCasedKeys(_ json: JSONValue) -> Bool {
    json["eventVersion"] == nil && json["eventName"] == nil && (json["eventversion"] != nil || json["eventname"] != nil)
  }

  /// The whole model (decoded on first use).
  public var event: CloudTrailEvent {
    if let event = cache.event { return event }
    let decoded = (try? JSONValueDecoder(ignoresKeyCase: cache.ignoresKeyCase).decode(CloudTrailEvent.self, from: json)) ?? CloudTrailEvent()
    cache.event = decoded
    return decoded
  }

  /// `eventTime`, parsed.
  public var eventTime: Timestamp? {
    if let time = cache.time { return time }
    let time = cache.throughModel ? event.eventTime : json["eventTime"].flatMap(Self.lenientString).flatMap(Timestamp.parse)
    cache.time = .some(time)
    return time
  }

  /// `userIdentity`, decoded alone.
  public var identity: UserIdentity? {
    if let identity = cache.identity { return identity }
    let identity: UserIdentity?
    if cache.throughModel || cache.event != nil {
      identity = event.userIdentity
    } else if let value = json["userIdentity"], value.kind == .object {
      identity = Self.identityFields(value)
    } else {
      identity = nil
    }
    cache.identity = .some(identity)
    return identity
  }

  /// The fields of `userIdentity` that the derived fields read, taken straight from the tape
  /// (Codable decoding of the whole element cost a third of a `stats --by principal` scan).
  /// Lenient as the model is; LazyViewTests keeps the two readings equal on every corpus event.
  static func identityFields(_ value: JSONValue) -> UserIdentity {
    func text(_ object: JSONValue?, _ key: String) -> String? { object?[key].flatMap(lenientString) }
    var identity = UserIdentity(type: text(value, "type").map(UserIdentity.Kind.init(rawValue:)))
    identity.principalId = text(value, "principalId")
    identity.arn = text(value, "arn")
    identity.accountId = text(value, "accountId")
    identity.accessKeyId = text(value, "accessKeyId")
    identity.userName = text(value, "userName")
    identity.invokedBy = text(value, "invokedBy")
    identity.identityProvider = text(value, "identityProvider")
    identity.credentialId = text(value, "credentialId")
    if let behalf = value["onBehalfOf"], behalf.kind == .object {
      identity.onBehalfOf = OnBehalfOf(userId: text(behalf, "userId"), identityStoreArn: text(behalf, "identityStoreArn"))
    }
    if let context = value["sessionContext"], context.kind == .object {
      var session = SessionContext()
      session.sourceIdentity = text(context, "sourceIdentity")
      if let issuer = context["sessionIssuer"], issuer.kind == .object {
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

  /// A top-level field as the model reads it (strings; numbers and booleans as their text),
  /// straight from the JSON when the record's names apply.
  func scalar(_ key: String, _ model: (CloudTrailEvent) -> String?) -> String? {
    if cache.throughModel { return model(event) }
    return json[key].flatMap(Self.lenientString)
  }

  public var eventName: String? { scalar("eventName") { $0.eventName } }
  public var eventSource: String? { scalar("eventSource") { $0.eventSource } }
  public var eventID: String? { scalar("eventID") { $0.eventID } }

  /// `readOnly` as a boolean (also from the strings "true"/"false").
  public var readOnly: Bool? {
    if cache.throughModel { return event.readOnly }
    guard let value = json["readOnly"] else { return nil }
    if let b = value.bool { return b }
    switch value.string?.lowercased() {
    case "true": return true
    case "false": return false
    default: return nil
    }
  }

  /// The model's reading of a scalar: strings as they are, numbers as written, booleans as
  /// `true`/`false`; nil for null, objects and arrays.
  static func lenientString(_ value: JSONValue) -> String? {
    switch value.kind {
    case .string: return value.string
    case .number: return value.numberText
    case .true: return "true"
    case .false: return "false"
    default: return nil
    }
  }
}
