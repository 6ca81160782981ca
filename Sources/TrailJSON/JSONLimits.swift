// Bounds on everything JSON input can make grow, so a hostile file costs bounded memory and
// time. Each limit, when exceeded, is a clear JSONError naming the limit.

/// Limits applied while framing and parsing records.
public struct JSONLimits: Sendable, Equatable {
  /// Largest record (one element of `Records`, or one top-level event) in bytes. CloudTrail's own
  /// limit is 256 KB per event (1 MB in CloudTrail Lake), so 1 MiB leaves room.
  public var maxRecordSize: Int
  /// Deepest nesting of arrays and objects inside a record. Real events nest about 10 deep.
  public var maxDepth: Int

  /// Limits with 1 MiB records and 256 levels of nesting unless given.
  public init(maxRecordSize: Int = 1 << 20, maxDepth: Int = 256) {
    self.maxRecordSize = maxRecordSize
    self.maxDepth = maxDepth
  }

  /// 1 MiB records, 256 levels of nesting.
  public static let `default` = JSONLimits()

  /// A byte count as people read it: `1 MiB`, `512 KiB`, `900 bytes`.
  static func describe(bytes: Int) -> String {
    if bytes >= 1 << 20 && bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
    if bytes >= 1 << 10 && bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
    return "\(bytes) bytes"
  }
}
