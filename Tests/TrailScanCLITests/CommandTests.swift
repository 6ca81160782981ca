// The command's contract: exit statuses, help with examples, standard input, digest files never
// read as events, stats output shape, and a closed pipe as a quiet, clean exit.
import Foundation
import Testing
import TrailGzip
import TrailTestSupport

struct CommandTests {
  @Test func exitStatuses() throws {
    let dir = try TemporaryDirectory()
    let file = try dir.write("a.json", RecordsBuilder.envelope(0..<3))
    #expect(try TrailBinary.run([file]).status == 0)
    #expect(try TrailBinary.run([file, "--event-name", "Nothing"]).status == 1)
    #expect(try TrailBinary.run(["stats", file, "--by", "principal", "--event-name", "Nothing"]).status == 1)
    let usage = try TrailBinary.run([file, "--format", "xml"])
    #expect(
      usage.status == 2 && usage.stderr.hasPrefix("trail-scan: The value 'xml' is invalid for '--format <format>'"))
    #expect(try TrailBinary.run([]).status == 2)
    #expect(try TrailBinary.run(["stats", file]).status == 2)  // --by is required
    #expect(
      try TrailBinary.run([file, "--since", "last week"]).stderr.contains("invalid time 'last week' for --since"))
  }

  @Test func helpShowsExamplesAndExitCodes() throws {
    let help = try TrailBinary.run(["--help"])
    #expect(help.status == 0)
    #expect(help.out.contains("Examples:") && help.out.contains("trail-scan stats ./AWSLogs --by principal"))
    #expect(help.out.contains("Exit status: 0 if an event matched, 1 if none did, 2 if an error occurred"))
    let search = try TrailBinary.run(["search", "--help"])
    #expect(search.out.contains("--event-name <name>") && search.out.contains("--format <format>"))
  }

  @Test func standardInputPlainAndGzip() throws {
    let text = RecordsBuilder.envelope(0..<4, pretty: true)
    #expect(try TrailBinary.run(["-"], stdin: Data(text.utf8)).lines.count == 4)
    #expect(
      try TrailBinary.run(["-", "--event-name", "GetObject"], stdin: Data(RecordsBuilder.gzip(text))).lines.count == 4)
  }

  @Test func digestFilesNeverAppear() throws {
    let dir = try TemporaryDirectory()
    let digest =
      #"{"awsAccountId":"111122223333","digestStartTime":"2024-05-14T09:00:00Z","digestEndTime":"2024-05-14T10:00:00Z","digestS3Bucket":"b","digestS3Object":"AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2024/05/14/x.json.gz","digestPublicKeyFingerprint":"00","digestSignatureAlgorithm":"SHA256withRSA","logFiles":[]}"#
    try dir.write(
      "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2024/05/14/111122223333_CloudTrail-Digest_us-east-1_t_us-east-1_20240514T100000Z.json.gz",
      Gzip.compress(Array(digest.utf8)))
    try dir.write("elsewhere/digest-line.log", digest + "\n")
    try dir.write(
      "AWSLogs/111122223333/CloudTrail/us-east-1/2024/05/14/111122223333_CloudTrail_us-east-1_20240514T1000Z_abcdefghijklmnop.json.gz",
      RecordsBuilder.gzip(RecordsBuilder.envelope(0..<2)))
    let result = try TrailBinary.run([dir.path, "--format", "jsonl"])
    #expect(result.status == 0 && result.stderr.isEmpty)
    #expect(result.lines.count == 2)
    #expect(!result.out.contains("digest"))
  }

  @Test func statsRowsHaveFieldsCountAndTimes() throws {
    let dir = try TemporaryDirectory()
    let file = try dir.write("a.json", RecordsBuilder.envelope(0..<7))
    let result = try TrailBinary.run(["stats", file, "--by", "principal,eventName"])
    #expect(result.status == 0)
    #expect(
      result.lines == [
        #"{"principal":"arn:aws:iam::111122223333:user/u0","eventName":"GetObject","count":3,"failed":0,"firstSeen":"2024-05-14T10:00:00Z","lastSeen":"2024-05-14T10:00:06Z"}"#,
        #"{"principal":"arn:aws:iam::111122223333:user/u1","eventName":"GetObject","count":2,"failed":0,"firstSeen":"2024-05-14T10:00:01Z","lastSeen":"2024-05-14T10:00:04Z"}"#,
        #"{"principal":"arn:aws:iam::111122223333:user/u2","eventName":"GetObject","count":2,"failed":0,"firstSeen":"2024-05-14T10:00:02Z","lastSeen":"2024-05-14T10:00:05Z"}"#,
      ])
    let top = try TrailBinary.run(["stats", file, "--by", "principal", "--top", "1", "--format", "json"])
    let parsed = try JSONSerialization.jsonObject(with: top.stdout) as! [[String: Any]]
    #expect(parsed.count == 1 && parsed[0]["count"] as? Int == 3)
  }

  @Test func jsonFormatIsOneArray() throws {
    let dir = try TemporaryDirectory()
    let file = try dir.write("a.json", RecordsBuilder.envelope(0..<3))
    let all = try JSONSerialization.jsonObject(with: try TrailBinary.run([file, "--format", "json"]).stdout) as! [Any]
    #expect(all.count == 3)
    let none = try TrailBinary.run([file, "--format", "json", "--event-name", "X"])
    #expect(none.out == "[]\n" && none.status == 1)
  }

  @Test func tableEscapesHostileValues() throws {
    let dir = try TemporaryDirectory()
    let file = try dir.write(
      "a.json",
      #"{"Records":[{"eventName":"Get\u001b[2JObject","eventSource":"s3.amazonaws.com","userIdentity":{"type":"IAMUser","userName":"bob\nroot"}}]}"#
    )
    let result = try TrailBinary.run([file, "--format", "table", "--fields", "actor,action"])
    #expect(result.out == "ACTOR      ACTION\nbob\\nroot  s3:Get\\x1b[2JObject\n")
  }

  @Test func closedPipeIsAQuietCleanExit() throws {
    let dir = try TemporaryDirectory()
    try dir.write("big.json.gz", RecordsBuilder.gzip(RecordsBuilder.envelope(0..<20_000)))
    let script = "set -o pipefail; '\(TrailBinary.url.path)' '\(dir.path)' --format jsonl | head -c 100 > /dev/null"
    let (status, message) = try TrailBinary.shell(script)
    #expect(status == 0)
    #expect(message.isEmpty)
  }
}

struct ErrorFlagTests {
  @Test func bareErrorFlagMeansAnyError() throws {
    let dir = try TemporaryDirectory()
    let file = try dir.write(
      "a.json",
      #"{"Records":[{"eventName":"A","errorCode":"AccessDenied"},{"eventName":"B"},{"eventName":"C","errorCode":"Throttling"}]}"#
    )
    #expect(try TrailBinary.run([file, "--error"]).lines.count == 2)
    #expect(try TrailBinary.run(["--error", file]).lines.count == 2)
    #expect(try TrailBinary.run(["--error", "Throttling", file]).lines.count == 1)
    #expect(try TrailBinary.run([file, "--error", "AccessDenied", "--error", "Throttling"]).lines.count == 2)
    let typo = try TrailBinary.run(["--error", dir.path + "/missing/"])
    #expect(typo.status == 2 && typo.stderr.contains("no such file or directory"))
  }
}
