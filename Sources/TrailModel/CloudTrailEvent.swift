// The CloudTrail event record as Swift values: every documented top-level field (cloudtrail-
// formats.md §2.1), free-form service payloads kept as RawJSON. Independent of how it was read:
// it decodes through any Codable decoder, ours on the hot path, Foundation's in tests.
import TrailTime
import TrailJSON

/// One CloudTrail event (management, data, network activity or Insights).
///
/// Every field is optional: real logs omit fields by event type (Insights records have no
/// `userIdentity`), and a field of an unexpected JSON type reads as absent (see `Lenient.swift`).
/// Fields the model does not name are not lost; the record's JSON keeps them.
public struct CloudTrailEvent: Decodable, Sendable, Equatable {
  public var eventVersion: String?
  public var userIdentity: UserIdentity?
  /// `eventTime` parsed; nil when absent or not a timestamp.
  public var eventTime: Timestamp?
  public var eventSource: String?
  public var eventName: String?
  public var awsRegion: String?
  public var sourceIPAddress: String?
  public var userAgent: String?
  public var errorCode: String?
  public var errorMessage: String?
  public var requestParameters: RawJSON?
  public var responseElements: RawJSON?
  public var additionalEventData: RawJSON?
  public var requestID: String?
  public var eventID: String?
  public var eventType: String?
  public var apiVersion: String?
  public var managementEvent: Bool?
  public var readOnly: Bool?
  public var resources: [Resource]?
  public var recipientAccountId: String?
  public var serviceEventDetails: RawJSON?
  public var sharedEventID: String?
  public var vpcEndpointId: String?
  public var vpcEndpointAccountId: String?
  public var eventCategory: String?
  public var addendum: Addendum?
  public var sessionCredentialFromConsole: Bool?
  public var edgeDeviceDetails: RawJSON?
  public var tlsDetails: TLSDetails?
  public var insightDetails: InsightDetails?
  public var eventContext: RawJSON?

  public init() {}

  enum CodingKeys: String, CodingKey {
    case eventVersion, userIdentity, eventTime, eventSource, eventName, awsRegion, sourceIPAddress
    case userAgent, errorCode, errorMessage, requestParameters, responseElements, additionalEventData
    case requestID, eventID, eventType, apiVersion, managementEvent, readOnly, resources
    case recipientAccountId, serviceEventDetails, sharedEventID, vpcEndpointId, vpcEndpointAccountId
    case eventCategory, addendum, sessionCredentialFromConsole, edgeDeviceDetails, tlsDetails
    case insightDetails, eventContext
  }

  /// Decodes in the order fields appear in CloudTrail's records, so our decoder's key lookups
  /// resume where the last one matched.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    eventVersion = c.lenientString(.eventVersion)
    userIdentity = c.lenient(UserIdentity.self, .userIdentity)
    eventTime = c.lenientTimestamp(.eventTime)
    eventSource = c.lenientString(.eventSource)
    eventName = c.lenientString(.eventName)
    awsRegion = c.lenientString(.awsRegion)
    sourceIPAddress = c.lenientString(.sourceIPAddress)
    userAgent = c.lenientString(.userAgent)
    errorCode = c.lenientString(.errorCode)
    errorMessage = c.lenientString(.errorMessage)
    requestParameters = c.lenient(RawJSON.self, .requestParameters)
    responseElements = c.lenient(RawJSON.self, .responseElements)
    additionalEventData = c.lenient(RawJSON.self, .additionalEventData)
    requestID = c.lenientString(.requestID)
    eventID = c.lenientString(.eventID)
    readOnly = c.lenientBool(.readOnly)
    resources = c.lenient([Resource].self, .resources)
    eventType = c.lenientString(.eventType)
    apiVersion = c.lenientString(.apiVersion)
    managementEvent = c.lenientBool(.managementEvent)
    recipientAccountId = c.lenientString(.recipientAccountId)
    serviceEventDetails = c.lenient(RawJSON.self, .serviceEventDetails)
    sharedEventID = c.lenientString(.sharedEventID)
    vpcEndpointId = c.lenientString(.vpcEndpointId)
    vpcEndpointAccountId = c.lenientString(.vpcEndpointAccountId)
    eventCategory = c.lenientString(.eventCategory)
    addendum = c.lenient(Addendum.self, .addendum)
    sessionCredentialFromConsole = c.lenientBool(.sessionCredentialFromConsole)
    edgeDeviceDetails = c.lenient(RawJSON.self, .edgeDeviceDetails)
    tlsDetails = c.lenient(TLSDetails.self, .tlsDetails)
    insightDetails = c.lenient(InsightDetails.self, .insightDetails)
    eventContext = c.lenient(RawJSON.self, .eventContext)
  }
}
