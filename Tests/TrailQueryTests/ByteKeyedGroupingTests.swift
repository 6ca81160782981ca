// Grouping by one field through the value's bytes (`EventView.withSingleValue`, no String per
// event) gives exactly the groups of grouping through `values(of:)`: every corpus event, also
// with its keys lower-cased, after the fast skip, with escapes, and merged across partials.
import Foundation
import Testing
import TrailEvent
import TrailJSON
import TrailQuery
import TrailTestSupport

struct ByteKeyedGroupingTests {
  static let fields: [Field] = [
    .principal, .session, .accessKey, .eventName, .eventSource, .region, .ip, .userAgent, .category,
  ]

  /// Every corpus event, as written and with every key lower-cased (as Athena stores them).
  static func texts() throws -> [[UInt8]] {
    let events = try CorpusEvents.all()
    var texts = events.map(\.bytes)
    for event in events {
      let lowered = lowerCasingKeys(event.object)
      texts.append(Array(try JSONSerialization.data(withJSONObject: lowered)))
    }
    // Escapes, numbers, empty strings and odd identity types.
    texts += [
      #"{"eventVersion":"1","eventName":"Get\u004fbject","userIdentity":{"type":"IAMUser","arn":"arn:a\/b"}}"#,
      #"{"eventVersion":"1","eventName":7,"userIdentity":{"type":"AssumedRole","arn":"","principalId":12}}"#,
      #"{"eventVersion":"1","eventName":true,"userIdentity":{"type":"SAMLUser","identityProvider":"p","userName":"u"}}"#,
      #"{"eventVersion":"1","eventName":null,"userIdentity":{"type":"AWSService"}}"#,
      #"{"eventVersion":"1","eventName":{},"userIdentity":[]}"#,
    ].map { Array($0.utf8) }
    return texts
  }

  static func lowerCasingKeys(_ value: Any) -> Any {
    if let object = value as? [String: Any] {
      return Dictionary(uniqueKeysWithValues: object.map { ($0.key.lowercased(), lowerCasingKeys($0.value)) })
    }
    if let array = value as? [Any] { return array.map(lowerCasingKeys) }
    return value
  }

  @Test(arguments: fields)
  func bytesGroupAsStringsDo(_ field: Field) throws {
    let aggregation = Aggregation(groupBy: [field])
    var byBytes = Aggregator(aggregation)
    var byStrings = Aggregator(aggregation) { field, view in view.values(of: field) }
    var halves = (Aggregator(aggregation), Aggregator(aggregation) { field, view in view.values(of: field) })
    var answered = 0
    for (i, text) in try Self.texts().enumerated() {
      for keys in [nil, JSONKeySet(["eventName"])] {
        let document = JSONDocument()
        try document.parse(text, keeping: keys)
        let view = EventView(json: document.root)
        if view.withSingleValue(of: field, { _ in }) { answered += 1 }
        byBytes.add(view)
        byStrings.add(EventView(json: document.root))
        if i % 2 == 0 {
          halves.0.add(EventView(json: document.root))
        } else {
          halves.1.add(EventView(json: document.root))
        }
      }
    }
    #expect(answered > 1000, "\(field): the byte path answered only \(answered) times")
    #expect(byBytes.rows() == byStrings.rows(), "\(field)")
    var merged = halves.0
    merged.merge(halves.1)
    #expect(merged.rows() == byStrings.rows(), "\(field)")
  }
}
