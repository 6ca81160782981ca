// The index of issued credentials keeps one copy of a call logged twice (a cross-account
// AssumeRole appears in the caller's account and the role's), and which copy it keeps must not
// depend on the order the workers read them in: `trace` names the kept copy's event ID.
import Testing
import TrailEvent
import TrailJSON

@testable import TrailIdentity

@Suite struct CredentialIndexTests {
  /// One copy of a cross-account AssumeRole: the caller's account logs alice's session in full;
  /// the role's account may log only the calling account.
  static func copy(account: String, eventID: String, fullCaller: Bool) throws -> EventView {
    let identity =
      fullCaller
      ? #"{"type":"AssumedRole","arn":"arn:aws:sts::111111111111:assumed-role/Admin/alice","accountId":"111111111111","accessKeyId":"ASIAADMIN"}"#
      : #"{"type":"AWSAccount","principalId":"AROAADMIN:alice","accountId":"111111111111"}"#
    let text = """
      {"eventVersion":"1.08","userIdentity":\(identity),"eventTime":"2024-05-14T10:00:00Z",\
      "eventSource":"sts.amazonaws.com","eventName":"AssumeRole","awsRegion":"us-east-1",\
      "eventID":"\(eventID)","sharedEventID":"shared-1","recipientAccountId":"\(account)",\
      "requestParameters":{"roleArn":"arn:aws:iam::000000000009:role/Deployer","roleSessionName":"alice"},\
      "responseElements":{"credentials":{"accessKeyId":"ASIADEPLOY"},\
      "assumedRoleUser":{"arn":"arn:aws:sts::000000000009:assumed-role/Deployer/alice"}}}
      """
    return EventView(json: try JSONDocument(parsing: Array(text.utf8)).root)
  }

  static func kept(_ views: [EventView]) -> TrailIdentity.Issue? {
    var index = CredentialIndex()
    for view in views { index.add(view) }
    return index.issues["ASIADEPLOY"]?.first
  }

  @Test func theCopyKeptDoesNotDependOnOrder() throws {
    let caller = try Self.copy(account: "111111111111", eventID: "e-caller", fullCaller: true)
    let role = try Self.copy(account: "000000000009", eventID: "e-role", fullCaller: false)
    for order in [[caller, role], [role, caller]] {
      let issue = try #require(Self.kept(order))
      // The copy that names the caller's session wins, though its account sorts later.
      #expect(issue.eventID == "e-caller")
      #expect(issue.callerSession == "arn:aws:sts::111111111111:assumed-role/Admin/alice")
    }
    // Two workers' indexes merged either way round keep the same copy.
    var first = CredentialIndex()
    first.add(role)
    var second = CredentialIndex()
    second.add(caller)
    var one = first
    one.merge(second)
    var other = second
    other.merge(first)
    #expect(one.issues["ASIADEPLOY"]?.map(\.eventID) == ["e-caller"])
    #expect(other.issues["ASIADEPLOY"]?.map(\.eventID) == ["e-caller"])
    // Copies that say as much of the caller: the smaller account, whichever came first.
    let twin = try Self.copy(account: "000000000009", eventID: "e-twin", fullCaller: true)
    #expect(Self.kept([caller, twin])?.eventID == "e-twin")
    #expect(Self.kept([twin, caller])?.eventID == "e-twin")
  }
}
