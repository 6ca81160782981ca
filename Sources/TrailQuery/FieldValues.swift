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
    case .time: return event.eventTime.map { [$0.iso8601] } ?? []
    case .date: return event.eventTime.map { [$0.date] } ?? []
    case .hour: return event.eventTime.map { [$0.hour] } ?? []
    case .service: return event.service.asList
    case .action: return event.action.asList
    case .principal: return event.principal.asList
    case .session: return event.session.asList
    case .actor: return event.actor.asList
    case .account: return event.account.asList
    case .region: return event.awsRegion.asList
    case .ip: return event.sourceIPAddress.asList
    case .error: return event.errorCode.asList
    case .accessKey: return event.userIdentity?.accessKeyId.asList ?? []
    case .userAgent: return event.userAgent.asList
    case .category: return event.eventCategory.asList
    case .type: return event.userIdentity?.type.map { [$0.rawValue] } ?? []
    case .resource: return event.resourceARNs
    case .path(let segments):
      var out: [String] = []
      JSONPath.collect(json, segments[...]) { out.append(JSONPath.text(of: $0)) }
      return out
    }
  }

  /// The first value of `field`, if any.
  public func value(of field: Field) -> String? { values(of: field).first }
}

/// Walks dotted paths over parsed JSON.
public enum JSONPath {
  /// Calls `body` with each value reached by `segments` from `value`. An array met on the way
  /// fans out to its elements, unless the segment is a number (then it indexes the array).
  public static func collect(_ value: JSONValue, _ segments: ArraySlice<String>, _ body: (JSONValue) -> Void) {
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
      if let member = value[segment] { collect(member, segments.dropFirst(), body) }
    case .array:
      if let index = Int(segment) {
        let elements = value.elements
        if index >= 0 && index < elements.count { collect(elements[index], segments.dropFirst(), body) }
      } else {
        for element in value.elements { collect(element, segments, body) }
      }
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

extension Optional where Wrapped == String {
  var asList: [String] {
    guard let s = self else { return [] }
    return [s]
  }
}
