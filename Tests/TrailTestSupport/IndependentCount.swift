// Counts and reads CloudTrail events with Foundation only (gunzip by /bin/gzip, parse by
// JSONSerialization), so end-to-end tests compare trail-scan against a computation that shares
// none of its code.
import Foundation

public enum Independent {
  /// The decompressed bytes of a file (gzip detected by its magic bytes, inflated by `gzip -dc`).
  public static func contents(of url: URL) throws -> Data {
    let data = try Data(contentsOf: url)
    guard data.count >= 2, data[0] == 0x1F, data[1] == 0x8B else { return data }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/gzip")
    process.arguments = ["-dc", url.path]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let out = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return out
  }

  /// The events of a `{"Records":[…]}` file, a JSON array of events, or NDJSON.
  public static func events(in url: URL) throws -> [[String: Any]] {
    let data = try contents(of: url)
    if let whole = try? JSONSerialization.jsonObject(with: data) {
      if let envelope = whole as? [String: Any], let records = envelope["Records"] as? [[String: Any]] {
        return records
      }
      if let array = whole as? [[String: Any]] { return array }
      if let single = whole as? [String: Any] { return [single] }
    }
    return try String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { line in
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      guard !trimmed.isEmpty else { return nil }
      return try JSONSerialization.jsonObject(with: Data(trimmed.utf8)) as? [String: Any]
    }
  }

  /// Keys of a JSON object in the order written: JSONSerialization forgets order, so this reads
  /// the top-level keys from the text itself (good enough for compact single-line records).
  public static func topLevelKeys(ofCompactObject line: String) -> [String] {
    var keys: [String] = []
    var depth = 0
    var inString = false
    var escaped = false
    var current = ""
    var expectingKey = false
    for ch in line {
      if inString {
        if escaped {
          escaped = false
          current.append(ch)
          continue
        }
        if ch == "\\" {
          escaped = true
          current.append(ch)
          continue
        }
        if ch == "\"" {
          inString = false
          if depth == 1 && expectingKey {
            keys.append(current)
            expectingKey = false
          }
          continue
        }
        current.append(ch)
        continue
      }
      switch ch {
      case "\"":
        inString = true
        current = ""
      case "{", "[":
        depth += 1
        if depth == 1 && ch == "{" { expectingKey = true }
      case "}", "]": depth -= 1
      case ",": if depth == 1 { expectingKey = true }
      default: break
      }
    }
    return keys
  }
}
