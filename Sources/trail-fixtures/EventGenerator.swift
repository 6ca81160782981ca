// The one event generator behind `sample`, `archive` and `big-file`: turns an EventPlan (a
// seed, a time, an account and region, optionally a forced kind) into one CloudTrail record,
// written in real field order. Rendering depends only on the plan, so a duplicate delivery
// of the same plan is the same event (same eventID) in any file and any layout.

import TrailTime

/// What to generate; everything not forced is drawn from `seed`.
struct EventPlan {
  var seed: UInt64
  var time: Timestamp
  var account: Account
  var region: String
  var kind: EventKind? = nil
  var identity: IdentityKind? = nil
  /// Force the call to fail (true) or succeed (false); nil draws it.
  var failed: Bool? = nil
  /// Picks a specific payload variant where a kind has several (S3 key shape, rule
  /// description, tag value), so the sample is sure to hold each escape case.
  var variant: Int? = nil
}

/// The parts of a record that differ between event kinds.
struct EventBody {
  typealias Writer = (inout JSONWriter) -> Void
  var source: String
  var name: String
  var eventType = "AwsApiCall"
  var readOnly: Bool
  var management = true
  var category = "Management"
  var errorCode: String? = nil
  var errorMessage: String? = nil
  /// nil writes `null`.
  var request: Writer? = nil
  var response: Writer? = nil
  var additional: Writer? = nil
  var requestID: String? = nil
  var resources: [(type: String, arn: String, accountId: String?)] = []
  /// `tlsDetails.clientProvidedHostHeader`; nil leaves tlsDetails out.
  var host: String? = nil
  var sharedEventID: String? = nil
  /// Replaces the drawn caller (console sign-ins drop access keys; failed ones hide the name).
  var caller: Caller? = nil
}

/// Inputs of the per-kind builders.
struct EventContext {
  let account: Account
  let region: String
  let time: Timestamp
  let caller: Caller
  let failed: Bool
  let variant: Int?
  var rng: SplitMix64

  /// `variant` when the plan forces one (clamped to `count`), else a draw.
  mutating func choose(_ count: Int) -> Int { variant.map { min($0, count - 1) } ?? rng.int(0...(count - 1)) }

  /// `User: ARN is not authorized to perform: ACTION on resource: RESOURCE because …`.
  func notAuthorized(_ action: String, _ resource: String, policy: String = "identity-based") -> String {
    "User: \(caller.displayArn) is not authorized to perform: \(action) on resource: \(resource) because no \(policy) policy allows the \(action) action"
  }

  /// The time format AWS services use inside payloads: `May 14, 2024, 9:12:33 AM`.
  func displayDate(_ t: Timestamp) -> String {
    let c = t.components
    let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    let hour12 = c.hour % 12 == 0 ? 12 : c.hour % 12
    func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
    return
      "\(months[c.month - 1]) \(c.day), \(c.year), \(hour12):\(two(c.minute)):\(two(c.second)) \(c.hour < 12 ? "AM" : "PM")"
  }
}

enum EventGenerator {
  static let versions: [(String, Double)] = [("1.08", 1), ("1.09", 3), ("1.10", 3), ("1.11", 3)]

  /// Writes the record of `plan` as one value into `w`.
  static func write(_ plan: EventPlan, to w: inout JSONWriter) {
    var rng = SplitMix64(seed: plan.seed)
    let eventID = rng.uuid()
    let version = rng.weighted(versions)
    let kind = plan.kind ?? EventKind.draw(region: plan.region, rng: &rng)
    let identityKind = plan.identity ?? rng.weighted(kind.identities)
    let drawn = IdentityFactory(account: plan.account).caller(identityKind, at: plan.time, rng: &rng)
    let failed = plan.failed ?? (identityKind != .awsService && rng.chance(kind.errorRate))
    var context = EventContext(
      account: plan.account, region: plan.region, time: plan.time,
      caller: drawn, failed: failed, variant: plan.variant, rng: rng)
    let body = kind.build(&context)
    let caller = body.caller ?? drawn
    let viaService = caller.invokedBy != nil

    w.object { w in
      w.field("eventVersion", version)
      caller.write(to: &w)
      w.key("eventTime")
      var stamp: [UInt8] = []
      plan.time.appendISO8601(to: &stamp)
      w.string(String(decoding: stamp, as: UTF8.self))
      w.field("eventSource", body.source)
      w.field("eventName", body.name)
      w.field("awsRegion", plan.region)
      w.field("sourceIPAddress", caller.sourceIP)
      w.field("userAgent", caller.userAgent)
      w.field("errorCode", ifPresent: body.errorCode)
      w.field("errorMessage", ifPresent: body.errorMessage)
      w.objectOrNull("requestParameters", body.request)
      w.objectOrNull("responseElements", body.response)
      if let additional = body.additional { w.object("additionalEventData", additional) }
      w.field("requestID", ifPresent: body.requestID)
      w.field("eventID", eventID)
      w.field("readOnly", body.readOnly)
      if !body.resources.isEmpty {
        w.array("resources") { w in
          for resource in body.resources {
            w.object { w in
              w.field("accountId", ifPresent: resource.accountId)
              w.field("type", resource.type)
              w.field("ARN", resource.arn)
            }
          }
        }
      }
      w.field("eventType", body.eventType)
      w.field("managementEvent", body.management)
      w.field("recipientAccountId", plan.account.id)
      w.field("sharedEventID", ifPresent: body.sharedEventID)
      w.field("eventCategory", body.category)
      if let host = body.host, !viaService {
        w.object("tlsDetails") { w in
          w.field("tlsVersion", version == "1.08" ? "TLSv1.2" : "TLSv1.3")
          w.field("cipherSuite", version == "1.08" ? "ECDHE-RSA-AES128-GCM-SHA256" : "TLS_AES_128_GCM_SHA256")
          w.field("clientProvidedHostHeader", host)
          if version == "1.11" { w.field("keyExchange", "x25519") }
        }
      }
    }
  }
}
