// The table each engine reads, written from SQLSchema: Spark's temporary views over the JSON
// files (digests left out by name, whole files parsed with a fixed schema, FAILFAST, the S3 key
// read from each file's path) and Athena's external table with partition projection over
// account, folder, region and day, organisation trails included.
import TrailQuery
import TrailTime

/// A table definition and how a query reads it.
package struct SQLTable: Sendable {
  /// Statements to run first (without trailing `;`).
  package var statements: [String]
  /// The FROM item: the events with `file_path`, `file_account`, `file_region`, `file_day`.
  package var source: String
}

/// The name both engines give the table of events.
package let tableName = "trail_scan_cloudtrail"

/// The folders holding events below an account (digests, in `CloudTrail-Digest`, are not).
let eventFolders = ["CloudTrail", "CloudTrail-Insight", "CloudTrail-NetworkActivity", "CloudTrail-Aggregated"]

/// The S3 key layout, anchored on `AWSLogs`: account, folder, region, YYYY, MM, DD, file name.
let keyPattern =
  "\\A.*/AWSLogs/(?:o-[^/]+/)?([^/]+)/([^/]+)/([^/]+)/([0-9]{4})/([0-9]{2})/([0-9]{2})/([^/]+)\\z"

extension SparkDialect {
  /// Two temporary views: `trail_scan_files` reads every log file below the location (names
  /// `*_CloudTrail_*`, `*_CloudTrail-Insight_*`, … `.json.gz`, so digests are not read) whole,
  /// with the fixed schema and FAILFAST; `trail_scan_cloudtrail` has one row per record.
  package func table(_ scope: SQLScope) throws(SQLError) -> SQLTable {
    let location = scope.location
    guard !location.contains(where: { "*?[]{}\\".contains($0) }) else {
      throw SQLError("spark: the location \(location) holds glob characters, which Spark would expand")
    }
    let schema = "Records ARRAY<" + sparkType(.structure(SQLSchema.columns)) + ">"
    let files = """
      CREATE OR REPLACE TEMPORARY VIEW trail_scan_files (\(schema))
      USING json
      OPTIONS (
        path \(string(location)),
        recursiveFileLookup 'true',
        pathGlobFilter '*_CloudTrail{,-Insight,-NetworkActivity,-Aggregated}_*.json.gz',
        multiLine 'true',
        mode 'FAILFAST'
      )
      """
    let path = "f.file_path"
    let key = string(keyPattern)
    let records = """
      CREATE OR REPLACE TEMPORARY VIEW \(tableName) AS
      SELECT r.*, \(path) AS file_path,
        nullif(regexp_extract(\(path), \(key), 1), '') AS file_account,
        nullif(regexp_extract(\(path), \(key), 3), '') AS file_region,
        CASE WHEN regexp_like(\(path), \(key)) THEN concat_ws('/', regexp_extract(\(path), \(key), 4), \
      regexp_extract(\(path), \(key), 5), regexp_extract(\(path), \(key), 6)) END AS file_day
      FROM (SELECT input_file_name() AS file_path, Records FROM trail_scan_files) f
      LATERAL VIEW explode(f.Records) x AS r
      """
    return SQLTable(statements: ["SET spark.sql.session.timeZone = UTC", files, records], source: tableName)
  }

  func sparkType(_ type: SQLColumnType) -> String {
    switch type {
    case .string, .json: return "STRING"
    case .boolean: return "BOOLEAN"
    case .map: return "MAP<STRING, STRING>"
    case .array(let element): return "ARRAY<\(sparkType(element))>"
    case .structure(let fields):
      return "STRUCT<" + fields.map { "\(quote($0.name)): \(sparkType($0.type))" }.joined(separator: ", ") + ">"
    }
  }
}

extension AthenaDialect {
  /// `CREATE EXTERNAL TABLE` with the CloudTrail input format and the JSON SerDe, as AWS
  /// documents it, partitioned by account, folder, region and day and projected: no
  /// `ALTER TABLE ADD PARTITION`, and a query reads only the days, accounts and regions it asks
  /// for.
  package func table(_ scope: SQLScope) throws(SQLError) -> SQLTable {
    let layout = try S3Layout(scope.location)
    let accounts: [String]
    if let account = layout.account {
      accounts = [account]
    } else if let exact = Self.exactValues(scope.accounts) {
      accounts = exact
    } else {
      throw SQLError(
        "athena: partition projection needs the account ids: give each with --account ID (no globs), "
          + "or a location ending in the account's folder")
    }
    let regions = layout.region.map { [$0] } ?? Self.exactValues(scope.regions) ?? knownRegions
    let folders = layout.folder.map { [$0] } ?? eventFolders
    let first = scope.since.map(SQLScript.dayFolder) ?? "2013/11/01"
    let last = scope.until.map { SQLScript.dayFolder($0 + scope.slack) } ?? "NOW"
    let columns = SQLSchema.columns.map { "  \($0.name.lowercased()) \(hiveType($0.type))" }
    let template = layout.base + "/${file_account}/${file_folder}/${file_region}/${file_day}"
    let properties: [(String, String)] = [
      ("projection.enabled", "true"),
      ("projection.file_account.type", "enum"), ("projection.file_account.values", accounts.joined(separator: ",")),
      ("projection.file_folder.type", "enum"), ("projection.file_folder.values", folders.joined(separator: ",")),
      ("projection.file_region.type", "enum"), ("projection.file_region.values", regions.joined(separator: ",")),
      ("projection.file_day.type", "date"), ("projection.file_day.format", "yyyy/MM/dd"),
      ("projection.file_day.range", "\(first),\(last)"), ("projection.file_day.interval", "1"),
      ("projection.file_day.interval.unit", "DAYS"),
      ("storage.location.template", template),
    ]
    let create = """
      CREATE EXTERNAL TABLE \(tableName) (
      \(columns.joined(separator: ",\n"))
      )
      PARTITIONED BY (file_account string, file_folder string, file_region string, file_day string)
      ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'
      STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'
      OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
      LOCATION \(string(layout.base + "/"))
      TBLPROPERTIES (
      \(properties.map { "  \(string($0.0))=\(string($0.1))" }.joined(separator: ",\n"))
      )
      """
    return SQLTable(
      statements: ["DROP TABLE IF EXISTS \(tableName)", create],
      source: "(SELECT t.*, \"$path\" AS file_path FROM \(tableName) t)")
  }

  func hiveType(_ type: SQLColumnType) -> String {
    switch type {
    case .string, .json: return "string"
    case .boolean: return "boolean"
    case .map: return "map<string,string>"
    case .array(let element): return "array<\(hiveType(element))>"
    case .structure(let fields):
      return "struct<" + fields.map { "\($0.name.lowercased()):\(hiveType($0.type))" }.joined(separator: ",") + ">"
    }
  }

  /// The values of plain globs without `*`, or nil when there are none or one is a pattern.
  static func exactValues(_ globs: [Glob]) -> [String]? {
    guard !globs.isEmpty, globs.allSatisfy({ !$0.pattern.contains("*") }) else { return nil }
    return globs.map(\.pattern)
  }
}

/// An `s3://` location read as CloudTrail's layout: the `AWSLogs` folder (with the
/// organisation's `o-…` folder for an organisation trail) and any account, folder and region
/// below it.
struct S3Layout {
  /// `s3://bucket/prefix/AWSLogs` or `…/AWSLogs/o-…`, without a trailing `/`.
  var base: String
  var account: String?
  var folder: String?
  var region: String?

  init(_ location: String) throws(SQLError) {
    guard location.hasPrefix("s3://") else {
      throw SQLError("athena reads S3: give the archive as s3://BUCKET/…/AWSLogs/ (not \(location))")
    }
    let parts = location.dropFirst(5).split(separator: "/").map(String.init)
    guard let anchor = parts.lastIndex(of: "AWSLogs"), anchor > 0 else {
      throw SQLError(
        "athena: the location must name the AWSLogs folder (s3://BUCKET/[PREFIX/]AWSLogs/, for an organisation "
          + "trail s3://BUCKET/[PREFIX/]AWSLogs/o-ID/)")
    }
    var rest = parts[(anchor + 1)...]
    var baseParts = Array(parts[...anchor])
    if let organization = rest.first, organization.hasPrefix("o-") {
      baseParts.append(organization)
      rest = rest.dropFirst()
    }
    guard rest.count <= 3 else {
      throw SQLError(
        "athena: give the folder above the date folders (--since and --until pick the days): \(location)")
    }
    base = "s3://" + baseParts.joined(separator: "/")
    let below = Array(rest)
    account = below.count > 0 ? below[0] : nil
    folder = below.count > 1 ? below[1] : nil
    region = below.count > 2 ? below[2] : nil
    if let folder, !eventFolders.contains(folder) {
      throw SQLError("athena: \(folder) is not a folder of events (\(eventFolders.joined(separator: ", ")))")
    }
  }
}

/// Every region CloudTrail delivers from, for projecting the region folder when no --region
/// names them (a region without files is an empty S3 prefix).
let knownRegions = [
  "us-east-1", "us-east-2", "us-west-1", "us-west-2", "af-south-1", "ap-east-1", "ap-east-2", "ap-south-1",
  "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5",
  "ap-southeast-7", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ca-central-1", "ca-west-1",
  "eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2", "eu-west-3", "eu-north-1", "eu-south-1", "eu-south-2",
  "il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1", "us-gov-east-1", "us-gov-west-1",
  "cn-north-1", "cn-northwest-1",
]
