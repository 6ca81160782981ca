// CloudTrail Insights records (cloudtrail-formats.md §4): a Start and an End record sharing
// a sharedEventID, with statistics and attributions, in the same Records envelope under
// the CloudTrail-Insight folder. No userIdentity, eventSource or eventName at top level.

import TrailTime

enum Insights {
  /// Writes a Start/End pair for an API call-rate anomaly into an open Records array.
  static func writePair(
    start: Timestamp, end: Timestamp, account: Account, region: String,
    rng: inout SplitMix64, to w: inout JSONWriter
  ) {
    let shared = rng.uuid()
    let startID = rng.uuid()
    let endID = rng.uuid()
    let baseline = "0.\(rng.int(100_000...999_999))"
    let user = "arn:aws:iam::\(account.id):user/\(rng.pick(account.users))"
    let minutes = Int((end.seconds - start.seconds) / 60)
    for (state, time, id) in [("Start", start, startID), ("End", end, endID)] {
      let average = state == "Start" ? "\(rng.int(40...90)).0" : "\(rng.int(15...35)).\(rng.int(1000...9999))"
      w.object { w in
        w.field("eventVersion", "1.08")
        w.field("eventTime", time.iso8601)
        w.field("awsRegion", region)
        w.field("eventID", id)
        w.field("eventType", "AwsCloudTrailInsight")
        w.field("recipientAccountId", account.id)
        w.field("sharedEventID", shared)
        w.object("insightDetails") { w in
          w.field("state", state)
          w.field("eventSource", "ec2.amazonaws.com")
          w.field("eventName", "AuthorizeSecurityGroupIngress")
          w.field("insightType", "ApiCallRateInsight")
          w.object("insightContext") { w in
            w.object("statistics") { w in
              w.object("baseline") { w in
                w.key("average")
                w.number(baseline)
              }
              w.object("insight") { w in
                w.key("average")
                w.number(average)
              }
              w.field("insightDuration", state == "Start" ? 1 : minutes)
              w.field("baselineDuration", 10_080)
            }
            w.array("attributions") { w in
              for (attribute, value) in [
                ("userIdentityArn", user), ("userAgent", Principals.cliAgent),
                ("errorCode", "null"),
              ] {
                w.object { w in
                  w.field("attribute", attribute)
                  w.array("insight") { w in
                    w.object { w in
                      w.field("value", value)
                      w.key("average")
                      w.number(average)
                    }
                  }
                  w.array("baseline") { w in
                    w.object { w in
                      w.field("value", value)
                      w.key("average")
                      w.number(baseline)
                    }
                  }
                }
              }
            }
          }
        }
        w.field("eventCategory", "Insight")
      }
    }
  }
}
