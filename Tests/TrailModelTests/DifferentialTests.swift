// Every event of the shared corpus decodes to the same model through our decoder as through
// Foundation's JSONDecoder: the models are plain Codable, and our Decoder implements Codable's
// contract the way Foundation does.
import Foundation
import Testing
import TrailJSON
import TrailModel
import TrailTestSupport

struct DifferentialTests {
  @Test func everyCorpusEventDecodesLikeFoundation() throws {
    let events = try CorpusEvents.all()
    #expect(events.count == CorpusEvents.expectedCount)
    var compared = 0
    for event in events {
      let ours = try JSONValueDecoder().decode(CloudTrailEvent.self, from: JSONDocument(parsing: event.bytes).root)
      let theirs = try JSONDecoder().decode(CloudTrailEvent.self, from: Data(event.bytes))
      #expect(ours == theirs, "\(event.file): \(String(decoding: event.bytes.prefix(120), as: UTF8.self))")
      compared += 1
    }
    #expect(compared == events.count && compared >= CorpusEvents.expectedCount, "compared \(compared) corpus events")
  }

  @Test func corpusEventsKeepTheirIdentityFields() throws {
    // A guard that the models are not trivially empty on both sides.
    let events = try CorpusEvents.all()
    let decoded = try events.map {
      try JSONValueDecoder().decode(CloudTrailEvent.self, from: JSONDocument(parsing: $0.bytes).root)
    }
    #expect(decoded.filter { $0.eventName != nil }.count >= 790)
    #expect(decoded.filter { $0.userIdentity?.type != nil }.count >= 700)
    #expect(decoded.filter { $0.eventTime != nil }.count >= 770)
  }
}
