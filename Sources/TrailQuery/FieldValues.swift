// Reads a field's values from an event. A field can have none (absent, null), one, or several
// (`resource`, or a path through an array): every consumer (filters, grouping, output) sees the
// same list, so they all agree on what an event holds.
import TrailTime
import TrailJSON
import TrailModel

extension EventView {
  /// The values of `field` as text: strings as they are, numbers as written, booleans as
  /// `true`/`false`, objects and arrays as compact JSON. Absent and `null` give no value.
  public func values(of field: Field) -> [String] {
    switch field {
    case .time: return eventTime.map { [$0.iso8601] } ?? []
    case .date: return eventTime.map { [$0.date] } ?? []
    case .hour: return eventTime.map { [$0.hour] } ?? []
    case .service: return service.asList
    case .action: return eventName.map { ["\(service ?? "unknown"):\($0)"] } ?? []
    case .principal: return identity?.principal.asList ?? []
    case .session: return identity?.arn.asList ?? []
    case .actor: return identity?.actor.asList ?? []
    case .account: return (scalar("recipientAccountId") { $0.recipientAccountId } ?? identity?.accountId).asList
    case .region: return scalar("awsRegion") { $0.awsRegion }.asList
    case .ip: return scalar("sourceIPAddress") { $0.sourceIPAddress }.asList
    case .error: return scalar("errorCode") { $0.errorCode }.asList
    case .accessKey: return identity?.accessKeyId.asList ?? []
    case .userAgent: return scalar("userAgent") { $0.userAgent }.asList
    case .category: return scalar("eventCategory") { $0.eventCategory }.asList
    case .type: return identity?.type.map { [$0.rawValue] } ?? []
    case .resource:
      if cache.throughModel { return event.resourceARNs }
      return json["resources"]?.elements.compactMap { $0["ARN"].flatMap(Self.lenientString) } ?? []
    case .eventName: return eventName.asList
    case .eventSource: return eventSource.asList
    case .readOnly: return readOnly.map { [$0 ? "true" : "false"] } ?? []
    case .path(let segments):
      var out: [String] = []
      JSONPath.collect(json, segments[...]) { out.append(JSONPath.text(of: $0)) }
      if out.isEmpty && isKeyFolded {
        // A record whose keys a pipeline lower-cased: `eventName` is its `eventname`.
        JSONPath.collect(json, segments[...], ignoringCase: true) { out.append(JSONPath.text(of: $0)) }
      }
      return out
    }
  }

  /// The record's keys were lower-cased by the pipeline that stored it: paths then match keys
  /// without case.
  var isKeyFolded: Bool { cache.ignoresKeyCase }

  /// `eventSource` without `.amazonaws.com`.
  var service: String? { eventSource.map(CloudTrailEvent.service(of:)) }

  /// The first value of `field`, if any.
  public func value(of field: Field) -> String? { values(of: field).first }
}

/// Walks dotted paths over parsed JSON.
public enum JSONPath {
  /// Calls `body` with each value reached by `segments` from `value`. An array met on the way
  /// fans out to its elements, unless the segment is a number (then it indexes the array); a
  /// string met on the way that holds a JSON object or array is read as that JSON.
  public static func collect(_ value: JSONValue, _ segments: ArraySlice<String>, ignoringCase: Bool = false, _ body: (JSONValue) -> Void) {
    guard let segment = segments.first else {
      if value.kind == .array {
        for element in value.elements where !element.isNull { body(element) }
      } else if !value.isNull {
        body(value)
      }
      return
    }
    switch value.kind {
    case .object:
      if let member = value.member(segment, ignoringCase: ignoringCase) { collect(member, segments.dropFirst(), ignoringCase: ignoringCase, body) }
    case .array:
      if let index = Int(segment) {
        let elements = value.elements
        if index >= 0 && index < elements.count { collect(elements[index], segments.dropFirst(), ignoringCase: ignoringCase, body) }
      } else {
        for element in value.elements { collect(element, segments, ignoringCase: ignoringCase, body) }
      }
    case .string:
      // Some pipelines store `requestParameters` and friends as JSON-encoded strings; a path
      // that goes on reads the JSON inside.
      guard let text = value.string, let first = text.utf8.first(where: { $0 > 0x20 }), first == 0x7B || first == 0x5B,
        let inner = try? JSONDocument(parsing: Array(text.utf8))
      else { return }
      collect(inner.root, segments, ignoringCase: ignoringCase, body)
    default:
      return
    }
  }

  /// A value as text (see `EventView.values(of:)`).
  public static func text(of value: JSONValue) -> String {
    switch value.kind {
    case .string: return value.string ?? ""
    case .number: return value.numberText ?? ""
    case .true: return "true"
    case .false: return "false"
    case .null: return "null"
    case .object, .array:
      var out: [UInt8] = []
      JSONWriter.appendCompacted(value, to: &out)
      return String(decoding: out, as: UTF8.self)
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
