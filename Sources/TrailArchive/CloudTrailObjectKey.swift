// What a CloudTrail S3 object key says before the file is opened: account, region, folder
// and delivery time. The scanner prunes on it, and digests are told apart by it
// (layout in shared/docs/cloudtrail-formats.md §1.1).
import TrailTime

/// The parts of a CloudTrail S3 object key:
/// `[<prefix>/]AWSLogs/[<o-org>/]<account>/<Folder>/<region>/<YYYY>/<MM>/<DD>/<file>`.
///
/// For example `logs/AWSLogs/o-exampleorgid/111122223333/CloudTrail/us-east-1/2024/01/15/`
/// `111122223333_CloudTrail_us-east-1_20240115T0105Z_AbCdEfGh12345678.json.gz` has prefix
/// `logs`, organization `o-exampleorgid`, account `111122223333`, folder `.cloudTrail`,
/// region `us-east-1` and delivery time 2024-01-15T01:05Z.
package struct CloudTrailObjectKey: Sendable, Hashable {
  /// The folder below the account: which kind of file this is.
  package enum Folder: Sendable, Hashable {
    /// `CloudTrail`: management and data events.
    case cloudTrail
    /// `CloudTrail-Insight`: Insights events.
    case insight
    /// `CloudTrail-Digest`: hourly digest files (not events).
    case digest
    /// `CloudTrail-NetworkActivity`: network activity events.
    case networkActivity
    /// `CloudTrail-Aggregated`: data-event aggregations.
    case aggregated
    /// Any other folder name, kept as written.
    case other(String)

    init(_ name: Substring) {
      switch name {
      case "CloudTrail": self = .cloudTrail
      case "CloudTrail-Insight": self = .insight
      case "CloudTrail-Digest": self = .digest
      case "CloudTrail-NetworkActivity": self = .networkActivity
      case "CloudTrail-Aggregated": self = .aggregated
      default: self = .other(String(name))
      }
    }

    /// `init(_:)` over the bytes of an ASCII name.
    init(ascii name: Slice<UnsafeBufferPointer<UInt8>>) {
      if name.elementsEqual("CloudTrail".utf8) {
        self = .cloudTrail
      } else if name.elementsEqual("CloudTrail-Insight".utf8) {
        self = .insight
      } else if name.elementsEqual("CloudTrail-Digest".utf8) {
        self = .digest
      } else if name.elementsEqual("CloudTrail-NetworkActivity".utf8) {
        self = .networkActivity
      } else if name.elementsEqual("CloudTrail-Aggregated".utf8) {
        self = .aggregated
      } else {
        self = .other(String(decoding: UnsafeBufferPointer(rebasing: name), as: UTF8.self))
      }
    }
  }

  /// The S3 key prefix before `AWSLogs/` (`""` if none); may contain `/`. For a file-system
  /// path this is the directory holding `AWSLogs`.
  package var prefix: String
  /// The organization id (`o-…`) for organization trails, else nil.
  package var organizationID: String?
  /// The account that generated the events (not required to be 12 digits).
  package var accountID: String
  /// The folder below the account.
  package var folder: Folder
  /// The region folder.
  package var region: String
  /// The delivery time from the file name stamp (`YYYYMMDDTHHmmZ`, digests
  /// `YYYYMMDDTHHMMSSZ`), UTC; nil when the name carries no valid stamp.
  package var deliveryTime: Timestamp?
  /// Midnight UTC of the `YYYY/MM/DD` date folders (the delivery day).
  package var deliveryDay: Timestamp
  /// True for digest names ending `_backfill.json.gz`.
  package var isBackfill: Bool
  /// For digest files, the trail name from the file name (may contain `_`, `.` and `-`).
  package var trailName: String?
  /// For digest files, the region where the trail was created.
  package var homeRegion: String?

  /// Parses the S3 key contained in `path`, anchored on its last `AWSLogs` path component.
  ///
  /// Returns nil when the path is not in the layout (wrong number of components after
  /// `AWSLogs`, an empty account or region, or date folders that are not a valid date). A file
  /// name that does not follow CloudTrail's naming still parses, with `deliveryTime` nil.
  package init?(path: String) {
    // Paths are ASCII but for rare names: their bytes are their characters, and reading them
    // in place as bytes costs a fiftieth of reading characters (a store lists 800 files in
    // 0.2 ms, not 35).
    var text = path
    let parsed: CloudTrailObjectKey?? = text.withUTF8 { bytes in
      guard Self.isASCII(bytes) else { return nil }
      return .some(Self(ascii: bytes))
    }
    switch parsed {
    case .some(let key?): self = key
    case .some(nil): return nil
    case nil:
      guard let key = Self(characters: path) else { return nil }
      self = key
    }
  }

  /// `init(path:)` reading characters (any path).
  package init?(characters path: String) {
    let parts = path.split(separator: "/", omittingEmptySubsequences: false)
    guard let anchor = parts.lastIndex(of: "AWSLogs") else { return nil }
    let rest = parts[(anchor + 1)...].filter { !$0.isEmpty }
    var index = rest.startIndex
    if rest.count == 8 && rest[index].hasPrefix("o-") {
      organizationID = String(rest[index])
      index += 1
    } else if rest.count == 7 {
      organizationID = nil
    } else {
      return nil
    }
    let account = rest[index]
    let folderName = rest[index + 1]
    let region = rest[index + 2]
    let file = rest[index + 6]
    guard !account.isEmpty, !region.isEmpty,
      let year = Self.number(rest[index + 3], digits: 4),
      let month = Self.number(rest[index + 4], digits: 2),
      let day = Self.number(rest[index + 5], digits: 2),
      let date = Timestamp(year: year, month: month, day: day)
    else { return nil }

    var prefix = parts[..<anchor].joined(separator: "/")
    while prefix.hasSuffix("/") { prefix.removeLast() }
    self.prefix = prefix
    self.accountID = String(account)
    self.folder = Folder(folderName)
    self.region = String(region)
    self.deliveryDay = date
    self.deliveryTime = nil
    self.isBackfill = false
    self.trailName = nil
    self.homeRegion = nil
    if folder == .digest || LogFileName.isDigest(file) {
      parseDigestName(file)
    } else {
      deliveryTime = Self.logStamp(in: Self.stem(of: file))
    }
  }

  /// Whether every byte is ASCII, eight at a time.
  static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    var i = 0
    if let base = bytes.baseAddress {
      let raw = UnsafeRawPointer(base)
      while i + 8 <= bytes.count {
        if raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
        i += 8
      }
    }
    while i < bytes.count {
      if bytes[i] >= 0x80 { return false }
      i += 1
    }
    return true
  }

  /// `init(path:)` for the bytes of an ASCII path, read in place: the same steps as
  /// `init(characters:)`.
  init?(ascii bytes: UnsafeBufferPointer<UInt8>) {
    typealias Bytes = Slice<UnsafeBufferPointer<UInt8>>
    let slash = UInt8(ascii: "/")
    func text(_ range: Range<Int>) -> String {
      String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }
    // The non-empty components after the last `AWSLogs` one, found from the end: more than 8
    // of them, or no anchor, and the path is not in the layout.
    var found: [Range<Int>] = []
    found.reserveCapacity(9)
    var end = bytes.count
    var anchorStart = 0
    while true {
      var start = end
      while start > 0 && bytes[start - 1] != slash { start -= 1 }
      if bytes[start..<end].elementsEqual("AWSLogs".utf8) {
        anchorStart = start
        break
      }
      if start < end {
        found.append(start..<end)
        if found.count > 8 { return nil }
      }
      guard start > 0 else { return nil }
      end = start - 1
    }
    // found holds the components last first.
    var index = found.count - 1
    if found.count == 8 && bytes[found[index]].starts(with: "o-".utf8) {
      organizationID = text(found[index])
      index -= 1
    } else if found.count == 7 {
      organizationID = nil
    } else {
      return nil
    }
    let file = bytes[found[index - 6]]
    guard let year = Self.number(bytes[found[index - 3]], digits: 4),
      let month = Self.number(bytes[found[index - 4]], digits: 2),
      let day = Self.number(bytes[found[index - 5]], digits: 2),
      let date = Timestamp(year: year, month: month, day: day)
    else { return nil }
    // The parts before the anchor joined by `/` are the bytes before it, less its `/`.
    var prefixEnd = anchorStart == 0 ? 0 : anchorStart - 1
    while prefixEnd > 0 && bytes[prefixEnd - 1] == slash { prefixEnd -= 1 }
    prefix = text(0..<prefixEnd)
    accountID = text(found[index])
    folder = Folder(ascii: bytes[found[index - 1]])
    region = text(found[index - 2])
    deliveryDay = date
    deliveryTime = nil
    isBackfill = false
    trailName = nil
    homeRegion = nil
    let digestMark = "_CloudTrail-Digest_".utf8
    var isDigestName = false
    if file.count >= digestMark.count {
      for start in file.startIndex...(file.endIndex - digestMark.count)
      where bytes[start] == UInt8(ascii: "_") && bytes[start..<(start + digestMark.count)].elementsEqual(digestMark) {
        isDigestName = true
        break
      }
    }
    if folder == .digest || isDigestName {
      parseDigestName(Substring(text(file.startIndex..<file.endIndex)))
    } else {
      // The stem: up to the first `.` after the last `_`.
      let fieldStart = file.lastIndex(of: UInt8(ascii: "_")).map { $0 + 1 } ?? file.startIndex
      let dot = file[fieldStart...].firstIndex(of: UInt8(ascii: ".")) ?? file.endIndex
      deliveryTime = Self.logStamp(ascii: bytes[file.startIndex..<dot])
    }
  }

  /// `logStamp(in:)` over the bytes of an ASCII stem: the first non-empty `_` field after the
  /// first that has the stamp's shape.
  static func logStamp(ascii stem: Slice<UnsafeBufferPointer<UInt8>>) -> Timestamp? {
    let underscore = UInt8(ascii: "_")
    var start = stem.startIndex
    var isFirst = true
    while start < stem.endIndex {
      var end = start
      while end < stem.endIndex && stem[end] != underscore { end += 1 }
      if end > start {
        if !isFirst, let time = stamp(stem[start..<end], timeDigits: 4) { return time }
        isFirst = false
      }
      start = end + 1
    }
    return nil
  }

  /// Digest names: `<account>_CloudTrail-Digest_<region>_<trail>_<home>_<YYYYMMDDTHHMMSSZ>`
  /// `[_backfill].json.gz`. The trail name may contain `_`, so the stamp and home region are
  /// taken from the end and account, folder and region from the start; the trail is the rest.
  private mutating func parseDigestName(_ file: Substring) {
    var stem = Self.stem(of: file)
    if stem.hasSuffix("_backfill") {
      isBackfill = true
      stem = stem.dropLast("_backfill".count)
    }
    let fields = stem.split(separator: "_", omittingEmptySubsequences: false)
    guard let last = fields.last else { return }
    deliveryTime = Self.stamp(last, timeDigits: 6)
    if fields.count >= 6 && deliveryTime != nil {
      homeRegion = String(fields[fields.count - 2])
      trailName = fields[3..<(fields.count - 2)].joined(separator: "_")
    }
  }

  /// The name without its extensions: up to the first `.` after the last `_`
  /// (`…_AbCd.json.gz` → `…_AbCd`). Dots before the last `_` (in a trail name) are kept.
  static func stem(of name: Substring) -> Substring {
    let fieldStart = name.lastIndex(of: "_").map { name.index(after: $0) } ?? name.startIndex
    let dot = name[fieldStart...].firstIndex(of: ".") ?? name.endIndex
    return name[..<dot]
  }

  /// Log names: `<account>_<Folder>_<region>_<YYYYMMDDTHHmmZ>_<unique>`; the stamp is the first
  /// `_` field after the account that has the stamp's shape (the unique part may contain `_`).
  static func logStamp(in stem: Substring) -> Timestamp? {
    for field in stem.split(separator: "_").dropFirst() {
      if let time = stamp(field, timeDigits: 4) { return time }
    }
    return nil
  }

  /// Parses `YYYYMMDDTHHmmZ` (`timeDigits` 4) or `YYYYMMDDTHHMMSSZ` (6); nil if not a valid time.
  static func stamp(_ text: Substring, timeDigits: Int) -> Timestamp? {
    let bytes = Array(text.utf8)
    return bytes.withUnsafeBufferPointer { stamp($0[...], timeDigits: timeDigits) }
  }

  /// `stamp(_:timeDigits:)` over bytes.
  static func stamp(_ bytes: Slice<UnsafeBufferPointer<UInt8>>, timeDigits: Int) -> Timestamp? {
    let base = bytes.startIndex
    guard bytes.count == 10 + timeDigits, bytes[base + 8] == UInt8(ascii: "T"),
      bytes[bytes.endIndex - 1] == UInt8(ascii: "Z")
    else { return nil }
    func field(_ start: Int, _ length: Int) -> Int? {
      number(bytes[(base + start)..<(base + start + length)], digits: length)
    }
    guard let year = field(0, 4), let month = field(4, 2), let day = field(6, 2),
      let hour = field(9, 2), let minute = field(11, 2)
    else { return nil }
    let second = timeDigits == 6 ? field(13, 2) : 0
    guard let second else { return nil }
    return Timestamp(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
  }

  /// The value of `text` when it is exactly `digits` ASCII digits.
  static func number(_ text: Substring, digits: Int) -> Int? {
    guard text.utf8.count == digits else { return nil }
    var value = 0
    for byte in text.utf8 {
      guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
      value = value * 10 + Int(byte - UInt8(ascii: "0"))
    }
    return value
  }

  /// `number(_:digits:)` over bytes.
  static func number(_ bytes: Slice<UnsafeBufferPointer<UInt8>>, digits: Int) -> Int? {
    guard bytes.count == digits else { return nil }
    var value = 0
    for byte in bytes {
      guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
      value = value * 10 + Int(byte - UInt8(ascii: "0"))
    }
    return value
  }
}
