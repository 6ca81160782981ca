// Finds the intact records inside bytes that did not frame or parse as one record: a record
// cut short, a string with a stray quote, a missing bracket make the framer read on into the
// records after it. Those records are still whole; this finds them again so a damaged record
// never loses its neighbours.
//
// A record start is found by its bytes alone: `{`, optional white space, then the first key
// that records of this array begin with (CloudTrail's `"eventVersion"`). In valid JSON that
// byte sequence cannot occur inside a string (a raw `"` would end it), so it is found whatever
// the damage did to the string state before it.

/// Splits damaged bytes into intact records and the damaged spans between them.
public enum RecordRecovery {
  /// A part of the bytes: an intact record, or a damaged span.
  public struct Piece: Equatable, Sendable {
    /// Offsets relative to the start of the bytes given.
    public var range: Range<Int>
    /// True for a whole record that parses; false for a damaged span.
    public var isIntact: Bool
  }

  /// The key CloudTrail records start with, when an array's own first key is not known.
  public static let defaultFirstKey = Array("eventVersion".utf8)

  /// The intact records in `bytes` (each starting at a record start and parsing as one JSON
  /// object) and the damaged spans around them, in order; separators (white space, commas)
  /// between records are in no piece. A record start at offset 0 is tried too.
  public static func split(_ bytes: UnsafeRawBufferPointer, firstKey: [UInt8], maxDepth: Int) -> [Piece] {
    var pieces: [Piece] = []
    var damageStart: Int?
    var position = 0
    var nodes: [JSONNode] = []
    func damage(upTo end: Int) {
      if let start = damageStart, start < end { pieces.append(Piece(range: start..<end, isIntact: false)) }
      damageStart = nil
    }
    while position < bytes.count {
      let b = bytes[position]
      if ASCII.isWhitespace(b) || b == ASCII.comma {
        position += 1
        continue
      }
      if let end = intactRecord(bytes, at: position, firstKey: firstKey, maxDepth: maxDepth, nodes: &nodes) {
        damage(upTo: position)
        pieces.append(Piece(range: position..<end, isIntact: true))
        position = end
        continue
      }
      if damageStart == nil { damageStart = position }
      // On to the next possible record start.
      position = nextStart(bytes, after: position, firstKey: firstKey) ?? bytes.count
    }
    damage(upTo: trimmedEnd(bytes))
    return pieces
  }

  /// The end of a valid JSON object starting with `firstKey` at `start`, if one is there.
  static func intactRecord(
    _ bytes: UnsafeRawBufferPointer, at start: Int, firstKey: [UInt8], maxDepth: Int, nodes: inout [JSONNode]
  ) -> Int? {
    guard isRecordStart(bytes, start, firstKey: firstKey) else { return nil }
    var skipper = ValueSkipper(startingWith: ASCII.openBrace)
    guard let end = skipper.advance(bytes, from: start) else { return nil }
    var parser = JSONParser(bytes: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), maxDepth: maxDepth)
    do throws(JSONError) {
      try parser.parseDocument(into: &nodes)
    } catch {
      return nil
    }
    return end
  }

  /// The next record start after `position`.
  static func nextStart(_ bytes: UnsafeRawBufferPointer, after position: Int, firstKey: [UInt8]) -> Int? {
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

  /// The end of `bytes` without trailing white space and commas.
  static func trimmedEnd(_ bytes: UnsafeRawBufferPointer) -> Int {
    var end = bytes.count
    while end > 0 && (ASCII.isWhitespace(bytes[end - 1]) || bytes[end - 1] == ASCII.comma) { end -= 1 }
    return end
  }
}
