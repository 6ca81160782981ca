// Finds where records start again inside bytes that did not frame or parse as one record: a
// record cut short, a string with a stray quote, a missing bracket make the framer read on into
// the records after it. Those records are still whole; the framer frames again from the start
// found here, so a damaged record never loses its neighbours.
//
// A record start is found by its bytes alone: `{`, optional white space, then the first key
// that records of this array begin with (CloudTrail's `"eventVersion"`). In valid JSON that
// byte sequence cannot occur inside a string (a raw `"` would end it), so it is found whatever
// the damage did to the string state before it.

/// Finds record starts in damaged bytes.
public enum RecordRecovery {
  /// The key CloudTrail records start with, when an array's own first key is not known.
  public static let defaultFirstKey = Array("eventVersion".utf8)

  /// The first record start after `position`: `{`, white space, then `"firstKey"`.
  public static func nextStart(_ bytes: UnsafeRawBufferPointer, after position: Int, firstKey: [UInt8]) -> Int? {
    var i = position + 1
    while i < bytes.count {
      if bytes[i] == ASCII.openBrace && isRecordStart(bytes, i, firstKey: firstKey) { return i }
      i += 1
    }
    return nil
  }

  /// `{`, white space, then `"firstKey"` at `i`.
  static func isRecordStart(_ bytes: UnsafeRawBufferPointer, _ i: Int, firstKey: [UInt8]) -> Bool {
    guard i < bytes.count, bytes[i] == ASCII.openBrace else { return false }
    var j = i + 1
    while j < bytes.count && ASCII.isWhitespace(bytes[j]) { j += 1 }
    guard j + firstKey.count + 1 < bytes.count, bytes[j] == ASCII.quote, bytes[j + firstKey.count + 1] == ASCII.quote
    else { return false }
    for k in 0..<firstKey.count where bytes[j + 1 + k] != firstKey[k] { return false }
    return true
  }
}
