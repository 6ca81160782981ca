// The model's tolerance of real-log type traps (cloudtrail-formats.md §2.2); the derived fields
// are the event layer's and are tested in TrailEventTests.
import Testing
import TrailJSON
import TrailModel
import TrailTime

func event(_ json: String) throws -> CloudTrailEvent {
  try JSONValueDecoder().decode(CloudTrailEvent.self, from: JSONDocument(parsing: Array(json.utf8)).root)
}

struct ModelTests {
  @Test func toleratesTypeTraps() throws {
    let e = try event(
      """
      {"eventVersion":1.08,"readOnly":"true","managementEvent":"False","recipientAccountId":123456789012,
       "resources":null,"eventTime":"2024-05-14 09:12:33","sessionCredentialFromConsole":"true",
       "requestParameters":"{\\"a\\":1}","tlsDetails":"oops","unknownField":{"x":1},
       "userIdentity":{"type":"NewKindOfIdentity","sessionContext":{"attributes":{"mfaAuthenticated":"true","creationDate":"20131102T010628Z"}}}}
      """)
    #expect(e.eventVersion == "1.08")
    #expect(e.readOnly == true && e.managementEvent == false)
    #expect(e.recipientAccountId == "123456789012")
    #expect(e.resources == nil && e.tlsDetails == nil)
    #expect(e.eventTime == Timestamp(year: 2024, month: 5, day: 14, hour: 9, minute: 12, second: 33))
    #expect(e.sessionCredentialFromConsole == true)
    #expect(e.requestParameters == RawJSON(bytes: Array(#""{\"a\":1}""#.utf8)))
    #expect(e.userIdentity?.type == .other("NewKindOfIdentity"))
    #expect(e.userIdentity?.sessionContext?.mfaAuthenticated == true)
    #expect(
      e.userIdentity?.sessionContext?.creationDate
        == Timestamp(year: 2013, month: 11, day: 2, hour: 1, minute: 6, second: 28))
  }

  @Test func badTimestampReadsAsAbsent() throws {
    #expect(try event(#"{"eventTime":"yesterday"}"#).eventTime == nil)
    #expect(try event(#"{"eventTime":"2024-05-14T09:12:33.250Z"}"#).eventTime?.nanoseconds == 250_000_000)
  }
}
