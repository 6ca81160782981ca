// A field's single value as the bytes it is written with in the record, for grouping without
// making a `String` per event (`stats --by principal`). Only fields with at most one value, and
// only when the bytes are the value's text (no escapes); otherwise the caller asks `values(of:)`.
import TrailJSON
import TrailModel

extension EventView {
  /// Calls `body` once with the text of `field`'s value as UTF-8 bytes — the same text
  /// `values(of: field)` gives as its only element — or with nil when the field has no value;
  /// returns false (without calling `body`) when it cannot answer so cheaply: a field that can
  /// have several values or is computed (`target`, `origin`, `time`…), or a value written with
  /// escapes.
  public func withSingleValue(of field: Field, _ body: (UnsafeRawBufferPointer?) -> Void) -> Bool {
    switch field {
    case .principal: return withPrincipal(body)
    case .session: return withIdentityText("arn", body)
    case .accessKey: return withIdentityText("accessKeyId", body)
    case .eventName: return Self.withScalar(member("eventName"), body)
    case .eventSource: return Self.withScalar(member("eventSource"), body)
    case .region: return Self.withScalar(member("awsRegion"), body)
    case .ip: return Self.withScalar(member("sourceIPAddress"), body)
    case .userAgent: return Self.withScalar(member("userAgent"), body)
    case .category: return Self.withScalar(member("eventCategory"), body)
    default: return false
    }
  }

  /// Calls `body` once with the text `scalar(key)` gives, as UTF-8 bytes, or with nil when it
  /// gives nil; returns false (without calling `body`) when the value is written with escapes.
  public func withScalar(_ key: String, _ body: (UnsafeRawBufferPointer?) -> Void) -> Bool {
    Self.withScalar(member(key), body)
  }

  /// `JSONText.scalar(value)` as bytes: a string without escapes, a number or a boolean as
  /// written; nil for null, objects, arrays and absence.
  static func withScalar(_ value: JSONValue?, _ body: (UnsafeRawBufferPointer?) -> Void) -> Bool {
    guard let value else {
      body(nil)
      return true
    }
    switch value.kind {
    case .string:
      return value.withPlainString { body($0) } != nil
    case .number, .true, .false:
      return value.withRawNonString(body)
    case .null, .object, .array:
      body(nil)
      return true
    }
  }

  /// `identity?.<key>` (a text field of `userIdentity`) as bytes.
  func withIdentityText(_ key: String, _ body: (UnsafeRawBufferPointer?) -> Void) -> Bool {
    guard let identity = member("userIdentity"), identity.kind == .object else {
      body(nil)
      return true
    }
    return Self.withScalar(JSONPath.member(identity, key, foldsKeyCase: foldsKeyCase), body)
  }

  /// `principal` as bytes: the one `userIdentity` field the rules pick for its type, or
  /// `unknown`.
  func withPrincipal(_ body: (UnsafeRawBufferPointer?) -> Void) -> Bool {
    if let known = cache.principal {
      guard var principal = known else {
        body(nil)
        return true
      }
      principal.withUTF8 { body(UnsafeRawBufferPointer($0)) }
      return true
    }
    guard let value = member("userIdentity"), value.kind == .object else {
      body(nil)
      return true
    }
    switch root.principalSource(value) {
    case .field(let chosen):
      if chosen.withPlainString({ body($0) }) != nil { return true }
      return chosen.withRawNonString(body)
    case .unknown:
      var unknown = "unknown"
      unknown.withUTF8 { body(UnsafeRawBufferPointer($0)) }
      return true
    case .joined:
      return false
    }
  }
}

extension JSONValue {
  /// Calls `body` with the value's text as written (numbers, literals; strings without quotes).
  func withRawText(_ body: (UnsafeRawBufferPointer) -> Void) {
    let text = rawText
    text.withUnsafeBytes { body($0) }
  }

  /// `withRawText` for a number or literal; false (without calling `body`) for a string.
  func withRawNonString(_ body: (UnsafeRawBufferPointer?) -> Void) -> Bool {
    guard kind != .string else { return false }
    withRawText { body($0) }
    return true
  }
}
