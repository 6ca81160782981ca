// One entry of a parsed record's tape: the flat, Foundation-style map that the decoder and
// path lookups walk instead of a tree of allocated values.
//
// Worked example: `{"a":[1,"x"],"b":null}` parses into seven nodes, in document order:
//
//   index kind    start end next count   bytes
//   0     object  0     22  7    2       {"a":[1,"x"],"b":null}
//   1     string  2     3   2    0       a          (key: start/end exclude the quotes)
//   2     array   5     12  5    2       [1,"x"]
//   3     number  6     7   4    0       1
//   4     string  9     10  5    0       x
//   5     string  14    15  6    0       b          (key)
//   6     null    17    21  7    0       null
//
// `next` is the index just past a value's subtree, so a reader skips a whole value in one step;
// an object's members are key, value, key, value… from index + 1 up to `next`.

/// A JSON value's place in a record's byte buffer.
public struct JSONNode: Sendable, Equatable {
  /// The JSON type of a value; `true` and `false` are kinds of their own, so a node needs no
  /// payload.
  public enum Kind: UInt8, Sendable {
    case null, `true`, `false`, number, string, object, array
  }

  /// Offset of the value's first byte (for strings: the first byte after the opening quote).
  public var start: UInt32
  /// Offset just past the value's last byte (for strings: of the closing quote).
  public var end: UInt32
  /// Index of the node after this value's subtree.
  public var next: UInt32
  /// Members of an object, elements of an array; 0 for scalars.
  public var count: UInt32
  /// The value's JSON type.
  public var kind: Kind
  /// Strings: the text holds at least one backslash escape. Numbers: it has a fraction or exponent.
  /// Objects and arrays: opaque, validated but left off the tape (`JSONKeySet`); `next` is the
  /// node after this one and `count` is still the number of members or elements.
  public var flag: Bool

  @inline(__always)
  init(kind: Kind, start: Int, end: Int, next: Int, count: UInt32 = 0, flag: Bool = false) {
    self.kind = kind
    self.start = UInt32(truncatingIfNeeded: start)
    self.end = UInt32(truncatingIfNeeded: end)
    self.next = UInt32(truncatingIfNeeded: next)
    self.count = count
    self.flag = flag
  }
}
