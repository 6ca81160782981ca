// Tolerant field reads for the models. Real logs hold `null`, booleans written as strings,
// account ids written as numbers, and fields of unexpected shapes; a field like that reads as
// absent (or converted, where the meaning is clear) instead of failing the whole event. The
// value itself is never lost: the record's raw JSON keeps it for paths and `jsonl` output.

import TrailTime

extension KeyedDecodingContainer {
  /// A string; a number or boolean is taken as its text; anything else reads as absent.
  func lenientString(_ key: Key) -> String? {
    // One lookup in the common case (a string, null or absent); the fallbacks run only for a
    // value of another type.
    do { return try decodeIfPresent(String.self, forKey: key) } catch {}
    if let i = try? decode(Int64.self, forKey: key) { return String(i) }
    if let d = try? decode(Double.self, forKey: key) { return "\(d)" }
    if let b = try? decode(Bool.self, forKey: key) { return b ? "true" : "false" }
    return nil
  }

  /// A boolean; the strings `true`/`false` (any case) count too, since CloudTrail writes some
  /// flags (`mfaAuthenticated`, `sessionCredentialFromConsole`) as strings.
  func lenientBool(_ key: Key) -> Bool? {
    do { return try decodeIfPresent(Bool.self, forKey: key) } catch {}
    switch (try? decode(String.self, forKey: key))?.lowercased() {
    case "true": return true
    case "false": return false
    default: return nil
    }
  }

  /// A nested model; absent when the value does not have the model's shape.
  func lenient<T: Decodable>(_ type: T.Type, _ key: Key) -> T? {
    try? decodeIfPresent(type, forKey: key)
  }

  /// A timestamp parsed from a string (see `Timestamp.parse` for the accepted forms).
  func lenientTimestamp(_ key: Key) -> Timestamp? {
    lenientString(key).flatMap(Timestamp.parse)
  }
}
