// The event layer reads fields straight from the tape (userIdentity decoded alone); the Codable
// model, decoded in full, must agree with it on every real event of the shared corpus, so the
// fast reading and the model are two views of one event.
import Testing
import TrailEvent
import TrailJSON
import TrailModel
import TrailTestSupport

struct EventLayerTests {
  @Test func tapeReadingAgreesWithTheDecodedModelOnEveryCorpusEvent() throws {
    var compared = 0
    for corpusEvent in try CorpusEvents.all() {
      let document = try JSONDocument(parsing: corpusEvent.bytes)
      let view = EventView(json: document.root)
      let model = view.event
      let where_ = "in \(corpusEvent.file)"
      #expect(view.eventTime == model.eventTime, "\(where_)")
      #expect(view.eventName == model.eventName && view.eventSource == model.eventSource, "\(where_)")
      #expect(view.eventID == model.eventID && view.readOnly == model.readOnly, "\(where_)")
      #expect(view.resourceARNs == (model.resources?.compactMap(\.arn) ?? []), "\(where_)")
      #expect(view.account == (model.recipientAccountId ?? model.userIdentity?.accountId), "\(where_)")
      let tape = view.identity
      let decoded = model.userIdentity
      #expect(tape?.principal == decoded?.principal && tape?.actor == decoded?.actor, "\(where_)")
      #expect(
        tape?.type == decoded?.type && tape?.arn == decoded?.arn && tape?.accessKeyId == decoded?.accessKeyId,
        "\(where_)")
      #expect(tape?.accountId == decoded?.accountId, "\(where_)")
      compared += 1
    }
    #expect(compared >= CorpusEvents.expectedCount, "compared \(compared) corpus events")
  }
}
