// What a query sees of one event: the decoded model, for derived fields, and the JSON it was
// decoded from, for any dotted path (including fields the model does not name).
import TrailJSON
import TrailModel

/// One event as the query layer reads it.
public struct EventView {
  public let event: CloudTrailEvent
  /// The record's JSON (the top-level object of the event).
  public let json: JSONValue

  public init(event: CloudTrailEvent, json: JSONValue) {
    self.event = event
    self.json = json
  }
}
