// The smaller structured elements of an event: `resources`, `tlsDetails`, `addendum` and the
// Insights `insightDetails` (cloudtrail-formats.md §2.1, §4). Each reads tolerantly.
import TrailJSON

/// One element of `resources`. Note CloudTrail's key casing: `ARN`.
public struct Resource: Decodable, Sendable, Equatable {
  /// The resource's ARN, read from the upper-case `ARN` key.
  public var arn: String?
  /// The account that owns the resource; often absent (for example on `AWS::S3::Object`).
  public var accountId: String?
  /// The resource type, `AWS::<Service>::<Type>` (`AWS::S3::Bucket`).
  public var type: String?

  enum CodingKeys: String, CodingKey {
    case arn = "ARN"
    case accountId, type
  }

  /// A resource with the given fields (for building events in code).
  public init(arn: String?, accountId: String? = nil, type: String? = nil) {
    self.arn = arn
    self.accountId = accountId
    self.type = type
  }

  /// Fails only when the value is not a JSON object; a field of another JSON type than expected
  /// reads as nil (a number or boolean in a string field as its text).
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    arn = c.lenientString(.arn)
    accountId = c.lenientString(.accountId)
    type = c.lenientString(.type)
  }
}

/// `tlsDetails`: the TLS connection of the call.
public struct TLSDetails: Decodable, Sendable, Equatable {
  /// The TLS version of the connection, e.g. `TLSv1.2`.
  public var tlsVersion: String?
  /// The negotiated cipher suite, e.g. `ECDHE-RSA-AES128-GCM-SHA256`.
  public var cipherSuite: String?
  /// The host name the client sent: the service endpoint it called.
  public var clientProvidedHostHeader: String?
  /// The key exchange group (newer records only), e.g. `X25519MLKEM768` or `secp256r1`.
  public var keyExchange: String?

  enum CodingKeys: String, CodingKey { case tlsVersion, cipherSuite, clientProvidedHostHeader, keyExchange }

  /// Fails only when the value is not a JSON object; a field of another JSON type than expected
  /// reads as nil (a number or boolean in a string field as its text).
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    tlsVersion = c.lenientString(.tlsVersion)
    cipherSuite = c.lenientString(.cipherSuite)
    clientProvidedHostHeader = c.lenientString(.clientProvidedHostHeader)
    keyExchange = c.lenientString(.keyExchange)
  }
}

/// `addendum`: why an event was delivered late or updated.
public struct Addendum: Decodable, Sendable, Equatable {
  /// Why the addendum exists: `DELIVERY_DELAY`, `UPDATED_DATA` or `SERVICE_OUTAGE`.
  public var reason: String?
  /// For `UPDATED_DATA`: the record fields this event changes, as CloudTrail lists them.
  public var updatedFields: String?
  /// For `UPDATED_DATA`: the `requestID` of the event this one updates.
  public var originalRequestID: String?
  /// For `UPDATED_DATA`: the `eventID` of the event this one updates.
  public var originalEventID: String?

  enum CodingKeys: String, CodingKey { case reason, updatedFields, originalRequestID, originalEventID }

  /// Fails only when the value is not a JSON object; a field of another JSON type than expected
  /// reads as nil (a number or boolean in a string field as its text).
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    reason = c.lenientString(.reason)
    updatedFields = c.lenientString(.updatedFields)
    originalRequestID = c.lenientString(.originalRequestID)
    originalEventID = c.lenientString(.originalEventID)
  }
}

/// `insightDetails` of a CloudTrail Insights event.
public struct InsightDetails: Decodable, Sendable, Equatable {
  /// `Start` or `End`: whether the record opens or closes the unusual activity (the two share
  /// `sharedEventID`).
  public var state: String?
  /// The service of the API whose activity is unusual, e.g. `ssm.amazonaws.com`.
  public var eventSource: String?
  /// The API whose call rate or error rate is unusual.
  public var eventName: String?
  /// `ApiCallRateInsight` or `ApiErrorRateInsight`.
  public var insightType: String?
  /// For an error-rate insight: the error code whose rate is watched.
  public var errorCode: String?
  /// Statistics and attributions, kept as JSON.
  public var insightContext: RawJSON?

  enum CodingKeys: String, CodingKey { case state, eventSource, eventName, insightType, errorCode, insightContext }

  /// Fails only when the value is not a JSON object; a field of another JSON type than expected
  /// reads as nil (a number or boolean in a string field as its text).
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    state = c.lenientString(.state)
    eventSource = c.lenientString(.eventSource)
    eventName = c.lenientString(.eventName)
    insightType = c.lenientString(.insightType)
    errorCode = c.lenientString(.errorCode)
    insightContext = c.lenient(RawJSON.self, .insightContext)
  }
}
