// The smaller structured elements of an event: `resources`, `tlsDetails`, `addendum` and the
// Insights `insightDetails` (cloudtrail-formats.md §2.1, §4). Each reads tolerantly.
import TrailJSON

/// One element of `resources`. Note CloudTrail's key casing: `ARN`.
public struct Resource: Decodable, Sendable, Equatable {
  public var arn: String?
  public var accountId: String?
  public var type: String?

  enum CodingKeys: String, CodingKey { case arn = "ARN", accountId, type }

  public init(arn: String?, accountId: String? = nil, type: String? = nil) {
    self.arn = arn
    self.accountId = accountId
    self.type = type
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    arn = c.lenientString(.arn)
    accountId = c.lenientString(.accountId)
    type = c.lenientString(.type)
  }
}

/// `tlsDetails`: the TLS connection of the call.
public struct TLSDetails: Decodable, Sendable, Equatable {
  public var tlsVersion: String?
  public var cipherSuite: String?
  public var clientProvidedHostHeader: String?
  public var keyExchange: String?

  enum CodingKeys: String, CodingKey { case tlsVersion, cipherSuite, clientProvidedHostHeader, keyExchange }

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
  public var reason: String?
  public var updatedFields: String?
  public var originalRequestID: String?
  public var originalEventID: String?

  enum CodingKeys: String, CodingKey { case reason, updatedFields, originalRequestID, originalEventID }

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
  public var state: String?
  public var eventSource: String?
  public var eventName: String?
  public var insightType: String?
  public var errorCode: String?
  /// Statistics and attributions, kept as JSON.
  public var insightContext: RawJSON?

  enum CodingKeys: String, CodingKey { case state, eventSource, eventName, insightType, errorCode, insightContext }

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
