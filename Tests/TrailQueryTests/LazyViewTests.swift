// The lazy EventView (fields read straight from JSON, identity decoded alone) must answer every
// field exactly as the fully decoded model does, on every real event of the shared corpus.
import Testing
import TrailJSON
import TrailModel
import TrailQuery
import TrailTestSupport

struct LazyViewTests {
  @Test func lazyViewAgreesWithTheDecodedModelOnEveryCorpusEvent() throws {
    let fields = Field.derived.map(\.0) + [.path(["requestParameters", "bucketName"]), .path(["resources", "ARN"])]
    var compared = 0
    for corpusEvent in try CorpusEvents.all() {
      let document = try JSONDocument(parsing: corpusEvent.bytes)
      let lazy = EventView(json: document.root)
      // The reference: the whole model, decoded as the engine does (lower-cased keys folded).
      let model = EventView(event: EventView(json: document.root).event, json: document.root)
      for field in fields {
        #expect(lazy.values(of: field) == model.values(of: field), "\(field) in \(corpusEvent.file)")
        compared += 1
      }
      #expect(lazy.eventTime == model.event.eventTime)
    }
    #expect(compared > 805 * 20)
  }
}
