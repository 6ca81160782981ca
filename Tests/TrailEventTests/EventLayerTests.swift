// The event layer reads fields straight from the tape (userIdentity decoded alone, or only the
// fields its principal needs); the Codable model, decoded in full, must agree with it on every
// real event of the shared corpus, so the fast reading and the model are two views of one event.
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
      let place = "in \(corpusEvent.file)"
      #expect(view.eventTime == model.eventTime, "\(place)")
      #expect(view.eventName == model.eventName && view.eventSource == model.eventSource, "\(place)")
      #expect(view.eventID == model.eventID && view.readOnly == model.readOnly, "\(place)")
      #expect(view.resourceARNs == (model.resources?.compactMap(\.arn) ?? []), "\(place)")
      #expect(view.account == (model.recipientAccountId ?? model.userIdentity?.accountId), "\(place)")
      let tape = view.identity
      let decoded = model.userIdentity
      #expect(tape?.principal == decoded?.principal && tape?.actor == decoded?.actor, "\(place)")
      #expect(
        tape?.type == decoded?.type && tape?.arn == decoded?.arn && tape?.accessKeyId == decoded?.accessKeyId,
        "\(place)")
      #expect(tape?.accountId == decoded?.accountId, "\(place)")
      // The principal read field by field from the tape (no identity decoded first), also from
      // a parse that left userIdentity opaque (the fast skip).
      #expect(EventView(json: document.root).principal == decoded?.principal, "\(place)")
      let skipping = JSONDocument()
      try skipping.parse(corpusEvent.bytes, keeping: JSONKeySet(["eventName"]))
      let skimmed = EventView(json: skipping.root)
      #expect(skimmed.principal == decoded?.principal && skimmed.eventTime == model.eventTime, "\(place)")
      compared += 1
    }
    #expect(compared >= CorpusEvents.expectedCount, "compared \(compared) corpus events")
  }
}
