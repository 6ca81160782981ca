// CloudTrail's S3 object keys (cloudtrail-formats.md §1.1): log, Insights and digest file
// names and their folders, for plain trails and organization trails with a key prefix.
// Keys are relative to the bucket root, which is the output folder.

import TrailTime

/// Where one trail delivers one account's files for one region.
struct TrailDelivery {
  let bucket: String
  /// Optional S3 key prefix in front of `AWSLogs/` (may contain `/`).
  let keyPrefix: String?
  /// `o-…` for organization trails.
  let orgID: String?
  let account: Account
  let region: String

  /// `[prefix/]AWSLogs/[org/]account/FOLDER/region/YYYY/MM/DD`.
  func folder(_ folder: String, day: Timestamp) -> String {
    var parts: [String] = []
    if let keyPrefix { parts.append(keyPrefix) }
    parts.append("AWSLogs")
    if let orgID { parts.append(orgID) }
    parts.append(contentsOf: [account.id, folder, region])
    parts.append(day.date.replacingOccurrences("-", "/"))
    return parts.joined(separator: "/")
  }

  /// `…/CloudTrail/…/ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHmmZ_UNIQUE.json.gz`.
  func logKey(delivered: Timestamp, unique: String) -> String {
    "\(folder("CloudTrail", day: delivered))/\(account.id)_CloudTrail_\(region)_\(Stamp.minutes(delivered))_\(unique).json.gz"
  }

  /// `…/CloudTrail-Insight/…/ACCOUNT_CloudTrail-Insight_REGION_YYYYMMDDTHHmmZ_UNIQUE.json.gz`.
  func insightKey(delivered: Timestamp, unique: String) -> String {
    "\(folder("CloudTrail-Insight", day: delivered))/\(account.id)_CloudTrail-Insight_\(region)_\(Stamp.minutes(delivered))_\(unique).json.gz"
  }

  /// `…/CloudTrail-Digest/…/ACCOUNT_CloudTrail-Digest_REGION_TRAIL_HOME_YYYYMMDDTHHMMSSZ.json.gz`.
  func digestKey(delivered: Timestamp) -> String {
    "\(folder("CloudTrail-Digest", day: delivered))/\(account.id)_CloudTrail-Digest_\(region)_\(account.trailName)_\(account.homeRegion)_\(Stamp.seconds(delivered)).json.gz"
  }
}

/// The compact time stamps of object names.
enum Stamp {
  /// `20240514T0916Z`.
  static func minutes(_ t: Timestamp) -> String {
    let digits = t.iso8601.filter(\.isNumber)  // 20240514091600…
    return "\(digits.prefix(8))T\(digits.dropFirst(8).prefix(4))Z"
  }

  /// `20240514T100512Z`.
  static func seconds(_ t: Timestamp) -> String {
    let digits = t.iso8601.filter(\.isNumber)
    return "\(digits.prefix(8))T\(digits.dropFirst(8).prefix(6))Z"
  }
}
