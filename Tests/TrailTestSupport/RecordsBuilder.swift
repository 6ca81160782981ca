// Builds small CloudTrail-shaped log files for tests: N distinct events in a Records envelope,
// plain or gzip, so a test can damage them at chosen places and know what must survive.
import TrailGzip

public enum RecordsBuilder {
  /// The compact JSON of event `i` (distinct eventID, name and time).
  public static func event(_ i: Int, name: String = "GetObject", account: String = "111122223333") -> String {
    let second = String(i % 60).leftPad(2)
    let minute = String(i / 60 % 60).leftPad(2)
    return
      #"{"eventVersion":"1.09","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::\#(account):user/u\#(i % 3)","accountId":"\#(account)","userName":"u\#(i % 3)"},"eventTime":"2024-05-14T10:\#(minute):\#(second)Z","eventSource":"s3.amazonaws.com","eventName":"\#(name)","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.\#(i % 250)","requestParameters":{"bucketName":"b\#(i)","n":\#(i).50},"eventID":"00000000-0000-4000-8000-\#(String(i).leftPad(12))","readOnly":true,"eventType":"AwsApiCall","recipientAccountId":"\#(account)"}"#
  }

  /// `{"Records":[…]}` of events `range`, pretty-printed like AWS samples when `pretty`.
  public static func envelope(_ range: Range<Int>, pretty: Bool = false) -> String {
    let events = range.map { event($0) }
    return pretty
      ? "{\n  \"Records\": [\n    " + events.joined(separator: ",\n    ") + "\n  ]\n}\n"
      : #"{"Records":["# + events.joined(separator: ",") + "]}"
  }

  public static func gzip(_ text: String) -> [UInt8] { Gzip.compress(Array(text.utf8)) }
}

extension String {
  func leftPad(_ width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
