// The CloudTrail event record as Swift values: every documented top-level field (cloudtrail-
// formats.md §2.1), free-form service payloads kept as RawJSON. Independent of how it was read:
// it decodes through any Codable decoder, ours on the hot path, Foundation's in tests.

import TrailJSON
import TrailTime

/// One CloudTrail event (management, data, network activity or Insights).
///
/// Every field is optional: real logs omit fields by event type (Insights records have no
/// `userIdentity`), and a field of an unexpected JSON type reads as absent (see `Lenient.swift`).
/// Fields the model does not name are not lost; the record's JSON keeps them.
public struct CloudTrailEvent: Decodable, Sendable, Equatable {
  /// The record format's version, `major.minor` (`1.11` today); compare the two parts as numbers,
  /// not as text (`1.10` is after `1.09`).
  public var eventVersion: String?
  /// Who made the call; absent in Insights events.
  public var userIdentity: UserIdentity?
  /// `eventTime` parsed; nil when absent or not a timestamp.
  public var eventTime: Timestamp?
  /// The service called, usually `<service>.amazonaws.com` (`s3.amazonaws.com`).
  public var eventSource: String?
  /// The API action (`GetObject`) or non-API event (`ConsoleLogin`).
  public var eventName: String?
  /// The region the request was made to (`us-east-1` for global services such as IAM).
  public var awsRegion: String?
  /// Where the call came from: an IPv4 or IPv6 address, or a service name such as
  /// `lambda.amazonaws.com` or `AWS Internal`, so it does not always parse as an address.
  public var sourceIPAddress: String?
  /// The caller's user agent (SDK, tool or browser); for a call made by a service, its name.
  public var userAgent: String?
  /// The error the call failed with, e.g. `AccessDenied`; nil for a call that succeeded.
  public var errorCode: String?
  /// The error's text, when the service gave one.
  public var errorMessage: String?
  /// The call's parameters as JSON, shaped by the API; nil where the record has `null` (calls
  /// without parameters, such as `ConsoleLogin`).
  public var requestParameters: RawJSON?
  /// The call's response as JSON; nil where the record has `null` (read-only calls, calls without
  /// a response body).
  public var responseElements: RawJSON?
  /// Free-form data the service adds, as JSON (e.g. `MFAUsed` and `LoginTo` of console sign-ins).
  public var additionalEventData: RawJSON?
  /// The service's id of the request.
  public var requestID: String?
  /// CloudTrail's GUID of the event: unique per event, so the key for dropping duplicate
  /// deliveries.
  public var eventID: String?
  /// The kind of record: `AwsApiCall`, `AwsServiceEvent`, `AwsConsoleAction`, `AwsConsoleSignIn`,
  /// `AwsVpceEvent` (network activity) or `AwsCloudTrailInsight`.
  public var eventType: String?
  /// The API version, for the services that report one.
  public var apiVersion: String?
  /// True for a management event, false for a data event; absent before `eventVersion` 1.06.
  public var managementEvent: Bool?
  /// True when the call only reads, false when it may change something; absent when CloudTrail
  /// does not say.
  public var readOnly: Bool?
  /// The resources the call touched, when CloudTrail lists them (mostly for data events).
  public var resources: [Resource]?
  /// The account this copy of the event was delivered to; differs from `userIdentity.accountId`
  /// when one account calls into another.
  public var recipientAccountId: String?
  /// Details of an `AwsServiceEvent`, as JSON.
  public var serviceEventDetails: RawJSON?
  /// A GUID shared by the copies of one action delivered to several accounts (each copy has its own
  /// `eventID`); in Insights events it pairs a `Start` record with its `End`.
  public var sharedEventID: String?
  /// The VPC endpoint the request went through (`vpce-…`).
  public var vpcEndpointId: String?
  /// The account that owns the VPC endpoint in `vpcEndpointId`.
  public var vpcEndpointAccountId: String?
  /// `Management`, `Data`, `NetworkActivity` or `Insight` (CloudTrail Lake has more).
  public var eventCategory: String?
  /// Present when the event was delivered late or updates an earlier one.
  public var addendum: Addendum?
  /// True when the call used a console session through a proxy or other external client. CloudTrail
  /// writes it (as the string `"true"`) only then, so it is otherwise nil.
  public var sessionCredentialFromConsole: Bool?
  /// Details of the device of an S3 on Outposts call, as JSON.
  public var edgeDeviceDetails: RawJSON?
  /// The TLS connection of the call; absent when a service called on the caller's behalf.
  public var tlsDetails: TLSDetails?
  /// What an Insights event reports; present only in Insights events.
  public var insightDetails: InsightDetails?
  /// CloudTrail Lake's enrichment (`requestContext`, `tagContext`), as JSON; never in trail files.
  public var eventContext: RawJSON?

  /// An event with every field nil, to be filled in code.
  public init() {}

  /// The top-level fields of a CloudTrail record, as CloudTrail names them (the model's keys).
  public static var recordFields: [String] { CodingKeys.allCases.map(\.rawValue) }

  enum CodingKeys: String, CodingKey, CaseIterable {
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
