// Every event of the shared corpus, whatever shape its file has (Records envelope, array,
// NDJSON; Panther's test cases are unwrapped to their `event`), for tests that must see every
// real event. The corpus is split without the code under test: Foundation reads each file
// (`Independent.events(in:)`), a string- and bracket-aware scanner written here finds each
// event's exact bytes, and the two must agree event for event.
import Foundation

public struct CorpusEvent {
  /// The file, relative to the shared corpus.
  public var file: String
  /// The event's own JSON text: its exact bytes in the (gunzipped) file, as published.
  public var bytes: [UInt8]
  /// Foundation's reading of the event.
  public var object: [String: Any]
}

public enum CorpusEvents {
  /// The corpus folders holding CloudTrail events (not the JSON conformance suite).
  public static let folders = [
    "elastic-beats", "elastic-integrations", "panther-analysis", "stratus-red-team", "trailscraper",
  ]

  /// The folders whose files are CloudTrail as delivered or exported (Panther's wraps each event
  /// in a test case), so trail-scan can read them as they are.
  public static let logFolders = ["stratus-red-team", "elastic-integrations", "elastic-beats", "trailscraper"]

  /// How many events SOURCES.md says the folders hold (the digest line counted as one).
  public static let expectedCount = 805

  /// Every event of the corpus folders `folders` (all of them by default), in path order. A
  /// folder with no files is an error, so a wrong corpus path cannot pass for an empty corpus.
  public static func all(folders: [String] = folders) throws -> [CorpusEvent] {
    try folders.flatMap { folder in
      let files = Paths.files(under: Paths.sharedCorpus.appendingPathComponent(folder))
      guard !files.isEmpty else { throw SplitError(file: folder, reason: "no files under \(Paths.sharedCorpus.path)") }
      return try files.flatMap(events(in:))
    }
  }

  /// The events of one corpus file.
  public static func events(in url: URL) throws -> [CorpusEvent] {
    let name = url.path.replacingOccurrences(of: Paths.sharedCorpus.path + "/", with: "")
    let text = [UInt8](try Independent.contents(of: url))
    let objects = try Independent.events(in: url)
    let spans = JSONSpans.events(in: text)
    guard spans.count == objects.count else {
      throw SplitError(file: name, reason: "the scanner finds \(spans.count) events, Foundation \(objects.count)")
    }
    var events: [CorpusEvent] = []
    for (index, (span, object)) in zip(spans, objects).enumerated() {
      var span = span
      var object = object
      if name.hasPrefix("panther-analysis/") {
        guard let inner = object["event"] as? [String: Any],
          let member = JSONSpans.members(of: span, in: text).first(where: { $0.key == "event" })
        else { continue }
        span = member.value
        object = inner
      }
      let bytes = Array(text[span])
      let reread = try JSONSerialization.jsonObject(with: Data(bytes)) as? NSDictionary
      guard reread == object as NSDictionary else {
        throw SplitError(file: name, reason: "event \(index): its bytes do not read as Foundation's event")
      }
      events.append(CorpusEvent(file: name, bytes: bytes, object: object))
    }
    return events
  }

  struct SplitError: Error, CustomStringConvertible {
    var file: String
    var reason: String
    var description: String { "\(file): \(reason)" }
  }
}

/// Byte spans of JSON values, found by knowing only strings, brackets and separators: the text
/// is trusted to be JSON (Foundation has read it), so nothing is validated here.
enum JSONSpans {
  static let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\"), comma = UInt8(ascii: ",")
  static let openers: Set<UInt8> = [UInt8(ascii: "{"), UInt8(ascii: "[")]
  static let closers: Set<UInt8> = [UInt8(ascii: "}"), UInt8(ascii: "]")]
  static let space: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0D]

  /// The events of a file: the elements of a `Records` array or of a top-level array, else every
  /// top-level value (one object, or NDJSON) — as `Independent.events(in:)` reads them.
  static func events(in text: [UInt8]) -> [Range<Int>] {
    let start = text.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    let top = values(in: text, from: start)
    guard top.count == 1, let only = top.first else { return top }
    if text[only.lowerBound] == UInt8(ascii: "["), let elements = elements(of: only, in: text) { return elements }
    if let records = members(of: only, in: text).first(where: { $0.key == "Records" }),
      let elements = elements(of: records.value, in: text)
    {
      return elements
    }
    return top
  }

  /// The values one after another from `start` to the end (separated by white space only).
  static func values(in text: [UInt8], from start: Int) -> [Range<Int>] {
    var out: [Range<Int>] = []
    var i = skipSpace(text, start)
    while i < text.count {
      let end = valueEnd(text, i)
      out.append(i..<end)
      i = skipSpace(text, end)
    }
    return out
  }

  /// The elements of the array at `span` (nil when it is not an array).
  static func elements(of span: Range<Int>, in text: [UInt8]) -> [Range<Int>]? {
    guard text[span.lowerBound] == UInt8(ascii: "[") else { return nil }
    return items(of: span, in: text).map(\.value)
  }

  /// The members of the object at `span` (none when it is not an object); keys as written.
  static func members(of span: Range<Int>, in text: [UInt8]) -> [(key: String, value: Range<Int>)] {
    guard text[span.lowerBound] == UInt8(ascii: "{") else { return [] }
    return items(of: span, in: text).map {
      (String(decoding: text[($0.key!.lowerBound + 1)..<($0.key!.upperBound - 1)], as: UTF8.self), $0.value)
    }
  }

  /// The comma-separated items between the brackets of `span`: values, or `key: value` pairs.
  private static func items(of span: Range<Int>, in text: [UInt8]) -> [(key: Range<Int>?, value: Range<Int>)] {
    let isObject = text[span.lowerBound] == UInt8(ascii: "{")
    var out: [(key: Range<Int>?, value: Range<Int>)] = []
    var i = skipSpace(text, span.lowerBound + 1)
    while i < span.upperBound - 1 {
      var key: Range<Int>?
      if isObject {
        key = i..<valueEnd(text, i)
        i = skipSpace(text, skipSpace(text, key!.upperBound) + 1)  // past the colon
      }
      let end = valueEnd(text, i)
      out.append((key, i..<end))
      i = skipSpace(text, end)
      if i < text.count && text[i] == comma { i = skipSpace(text, i + 1) }
    }
    return out
  }

  /// Where the value starting at `i` ends (exclusive).
  static func valueEnd(_ text: [UInt8], _ i: Int) -> Int {
    var j = i
    var depth = 0
    var inString = false
    repeat {
      let byte = text[j]
      j += 1
      if inString {
        if byte == backslash { j += 1 } else if byte == quote { inString = false }
      } else if byte == quote {
        inString = true
      } else if openers.contains(byte) {
        depth += 1
      } else if closers.contains(byte) {
        depth -= 1
      } else if depth == 0 {
        // A scalar (number, true, false, null) runs to the next separator.
        while j < text.count && !space.contains(text[j]) && text[j] != comma && !closers.contains(text[j]) { j += 1 }
      }
    } while j < text.count && (inString || depth > 0)
    return j
  }

  static func skipSpace(_ text: [UInt8], _ i: Int) -> Int {
    var i = i
    while i < text.count && space.contains(text[i]) { i += 1 }
    return i
  }
}
