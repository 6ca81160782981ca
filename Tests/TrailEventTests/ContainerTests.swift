// Containers are read in one place (EventReader): envelopes whatever their key order, JSON held
// in strings, Lake events with their envelope, lower-cased records. Each case here was a wrong
// or differing answer before the event layer.
import Testing
import TrailEvent
import TrailJSON

struct ContainerTests {
  /// What the reader makes of `json`: each event's `eventName` as the view reads it, the
  /// records skipped, and the problems.
  func read(_ json: String, as format: InputFormat = .auto) throws -> (
    names: [String?], skipped: Int, problems: [String]
  ) {
    let document = try JSONDocument(parsing: Array(json.utf8))
    var names: [String?] = []
    var skipped = 0
    var problems: [String] = []
    try EventReader(format: format).read(
      document.root, onEvent: { view, _ in names.append(view.eventName) },
      onSkip: { skipped += 1 }, onProblem: { _, reason in problems.append(reason) })
    return (names, skipped, problems)
  }

  @Test(arguments: [
    #"{"Comment":"x","Records":[{"eventVersion":"1.08","eventName":"A"},{"eventName":"B"}]}"#,
    #"{"NextToken":"t","Events":[{"EventId":"1","CloudTrailEvent":"{\"eventName\":\"A\"}"},{"CloudTrailEvent":"{\"eventName\":\"B\"}"}]}"#,
    #"{"searchedLogStreams":[],"events":[{"timestamp":1,"message":"{\"eventName\":\"A\"}"},{"logStreamName":"s","message":"{\"eventName\":\"B\"}"}]}"#,
  ])
  func envelopeArraysAreFoundWhateverTheKeyOrder(_ json: String) throws {
    let result = try read(json)
    #expect(result.names == ["A", "B"] && result.problems.isEmpty)
  }

  @Test func anEventWithAnEventsMemberIsStillAnEvent() throws {
    // An object with an event field is an event, whatever else it holds.
    #expect(try read(#"{"eventSource":"x","events":[{"eventName":"inner"}]}"#).names == [nil])
    #expect(try read(#"{"eventname":"Lower","Records":[]}"#).names == ["Lower"])
  }

  @Test func anEnvelopeInsideAnEnvelopeIsAProblemNotAnEvent() throws {
    let result = try read(#"{"x":1,"Records":[{"y":2,"Records":[{"eventName":"A"}]}]}"#)
    #expect(result.names.isEmpty && result.problems.count == 1)
  }

  @Test func digestsAndControlMessagesAreSkipped() throws {
    #expect(try read(#"{"digestS3Object":"k","digestPublicKeyFingerprint":"f"}"#).skipped == 1)
    #expect(try read(#"{"messageType":"CONTROL_MESSAGE","logEvents":[]}"#).skipped == 1)
  }

  @Test func lakeEventsReadTheEventWithTheEnvelopesOwnFields() throws {
    let json = #"""
      {"eventVersion":"1.09","eventID":"env-id","eventTime":"2024-05-14T10:00:00Z","awsRegion":"us-east-1",
       "recipientAccountId":"111122223333","metadata":{"channelARN":"arn:c"},
       "eventData":{"eventName":"UserLogin","eventID":"data-id","eventTime":"2020-01-01T00:00:00Z",
                    "userIdentity":{"type":"CustomUser","principalId":"okta|u"},"requestParameters":{"app":"console"}}}
      """#
    let document = try JSONDocument(parsing: Array(json.utf8))
    var checked = 0
    try EventReader().read(
      document.root,
      onEvent: { view, _ in
        #expect(view.isLakeEvent)
        #expect(view.eventName == "UserLogin")
        #expect(view.eventID == "env-id" && view.event.eventID == "env-id")
        #expect(view.eventTime?.iso8601 == "2024-05-14T10:00:00Z" && view.event.eventTime == view.eventTime)
        #expect(view.values(of: .account) == ["111122223333"] && view.event.recipientAccountId == "111122223333")
        #expect(view.values(of: .path(["requestParameters", "app"])) == ["console"])
        #expect(view.values(of: .path(["metadata", "channelARN"])) == ["arn:c"])
        #expect(view.values(of: .principal) == ["okta|u"])
        #expect(!view.members.contains { $0.key == "eventData" })
        var selected: [String] = []
        view.walk([.member("eventName")], mode: .cloudWatch) { selected.append($0?.string ?? "nil") }
        #expect(selected == ["UserLogin"])
        // Read again from its bytes (a sorting sink), it reads the same.
        let again = EventView(reopening: view.json, asLakeEvent: true)
        #expect(again.eventName == "UserLogin" && again.eventID == "env-id")
        checked += 1
      }, onSkip: {}, onProblem: { _, reason in Issue.record("\(reason)") })
    #expect(checked == 1)
  }

  @Test func lowerCasedRecordsFoldKeysAtEveryLevel() throws {
    let json =
      #"{"eventversion":"1.08","eventname":"ConsoleLogin","useridentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/a","sessioncontext":{"sessionissuer":{"arn":"arn:r"}}},"additionaleventdata":{"mfaused":"No"},"resources":[{"arn":"arn:x"}]}"#
    let view = EventView(json: try JSONDocument(parsing: Array(json.utf8)).root)
    #expect(view.foldsKeyCase)
    #expect(view.eventName == "ConsoleLogin" && view.event.eventName == "ConsoleLogin")
    #expect(view.values(of: .type) == ["IAMUser"] && view.identity?.sessionContext?.sessionIssuer?.arn == "arn:r")
    #expect(view.values(of: .resource) == ["arn:x"])
    var selected: [String?] = []
    view.walk([.member("additionalEventData"), .member("MFAUsed")], mode: .cloudWatch) { selected.append($0?.string) }
    #expect(selected == ["No"])
    // An ordinary record does not fold: `eventname` is not `eventName` there.
    let plain = EventView(json: try JSONDocument(parsing: Array(#"{"eventVersion":"1","eventname":"x"}"#.utf8)).root)
    #expect(!plain.foldsKeyCase && plain.eventName == nil)
  }

  @Test func walkerModesDifferOnlyWhereCloudWatchSaysSo() throws {
    let view = EventView(
      json: try JSONDocument(
        parsing: Array(#"{"eventVersion":"1","resources":[{"ARN":"a"},{"ARN":"b"}],"rp":"{\"k\":1}"}"#.utf8)
      ).root)
    // Dotted paths fan out over arrays and read JSON held in strings; CloudWatch selectors do not.
    #expect(view.values(of: .path(["resources", "ARN"])) == ["a", "b"])
    #expect(view.values(of: .path(["rp", "k"])) == ["1"])
    var cloudWatch: [String?] = []
    view.walk([.member("resources"), .member("ARN")], mode: .cloudWatch) { cloudWatch.append($0?.string) }
    #expect(cloudWatch == [nil])
    cloudWatch = []
    view.walk([.member("resources"), .any, .member("ARN")], mode: .cloudWatch) { cloudWatch.append($0?.string) }
    #expect(cloudWatch == ["a", "b"])
  }
}
