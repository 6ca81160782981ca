// Every event of the shared corpus as its own JSON text, whatever shape its file has (Records
// envelope, array, NDJSON; Panther's test cases are unwrapped to their `event`), for tests that
// must see every real event.
import Foundation
import TrailJSON

public struct CorpusEvent {
  public var file: String
  public var bytes: [UInt8]
}

public enum CorpusEvents {
  /// The corpus folders holding CloudTrail events (not the JSON conformance suite).
  public static let folders = ["elastic-beats", "elastic-integrations", "panther-analysis", "stratus-red-team", "trailscraper"]

  public static func all() throws -> [CorpusEvent] {
    var events: [CorpusEvent] = []
    for folder in folders {
      for url in Paths.files(under: Paths.sharedCorpus.appendingPathComponent(folder)) {
        let name = url.path.replacingOccurrences(of: Paths.sharedCorpus.path + "/", with: "")
        let bytes = [UInt8](try Independent.contents(of: url))
        let output = FramerHarness.frame([bytes])
        precondition(output.fatal == nil && output.recordErrors.isEmpty, "\(name): \(String(describing: output.fatal))")
        for record in output.records {
          if folder == "panther-analysis" {
            let wrapper = try JSONDocument(parsing: record)
            guard let event = wrapper.root["event"] else { continue }
            events.append(CorpusEvent(file: name, bytes: Array(event.jsonText)))
          } else {
            events.append(CorpusEvent(file: name, bytes: record))
          }
        }
      }
    }
    return events
  }
}
