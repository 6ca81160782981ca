// Builders for S3 and Lambda: the data events S3 GetObject/PutObject (object keys with é,
// 日本, a backslash and a quote; resources; additionalEventData numbers) and Lambda Invoke,
// plus the bucket-level management call GetBucketAcl that CloudTrail and Config make.

enum DataEvents {
  static func objectKey(_ c: inout EventContext) -> String {
    let c0 = c.time.components
    let date = "\(c0.year)/\(c0.month < 10 ? "0" : "")\(c0.month)/\(c0.day < 10 ? "0" : "")\(c0.day)"
    switch c.variant ?? c.rng.weighted([(0, 40.0), (1, 25), (2, 20), (3, 3), (4, 3), (5, 2), (6, 1)]) {
    case 0: return "exports/\(date)/part-\(c.rng.int(10000...99999)).csv.gz"
    case 1: return "images/\(date)/IMG_\(c.rng.int(1000...9999)).jpg"
    case 2: return "logs/app/\(date)/\(c.rng.hex(8))-\(c.rng.int(0...63)).json.gz"
    case 3: return "reports/résumé-final-\(c.rng.int(1...9)).pdf"
    case 4: return "財務/日本/2024-Q\(c.rng.int(1...4)).xlsx"
    case 5: return #"backups\windows\C$\data-"# + "\(c.rng.int(1...99)).bak"
    default: return #"tmp/quote"d name.txt"#
    }
  }

  static func s3Object(_ c: inout EventContext, put: Bool) -> EventBody {
    let acct = c.account.id
    let region = c.region
    var bucket = c.rng.pick(c.account.buckets)
    var key = objectKey(&c)
    if c.caller.invokedBy == "cloudtrail.amazonaws.com" {
      bucket = "example-cloudtrail-logs"
      let stamp = c.time.iso8601.filter { $0 != "-" && $0 != ":" }.prefix(14)
      key =
        "AWSLogs/\(acct)/CloudTrail/\(region)/\(c.time.date.replacingOccurrences("-", "/"))/\(acct)_CloudTrail_\(region)_\(stamp)Z_\(c.rng.alnum(16)).json.gz"
    } else if let service = c.caller.invokedBy {
      bucket = "config-bucket-\(acct)"
      key =
        "AWSLogs/\(acct)/Config/\(region)/\(c.time.date.replacingOccurrences("-", "/"))/ConfigSnapshot/\(service)-\(c.rng.hex(8)).json.gz"
    }
    let host = "\(bucket).s3.\(region).amazonaws.com"
    let failed = c.failed
    let size = failed ? 0 : c.rng.int(120...8_000_000)
    let id2 = c.rng.base64(76) + "="
    let version = c.rng.alnum(32)
    let shared = c.caller.kind == .awsAccount ? c.rng.uuid() : nil
    return EventBody(
      source: "s3.amazonaws.com", name: put ? "PutObject" : "GetObject", readOnly: !put,
      management: false, category: "Data",
      errorCode: failed ? "AccessDenied" : nil, errorMessage: failed ? "Access Denied" : nil,
      request: { w in
        w.field("bucketName", bucket)
        w.field("Host", host)
        w.field("key", key)
        if put { w.field("x-amz-server-side-encryption", "AES256") }
      },
      response: put && !failed
        ? { w in
          w.field("x-amz-server-side-encryption", "AES256")
          w.field("x-amz-version-id", version)
        } : nil,
      additional: { w in
        w.field("SignatureVersion", "SigV4")
        w.field("CipherSuite", "TLS_AES_128_GCM_SHA256")
        w.field("bytesTransferredIn", put ? size : 0)
        w.field("AuthenticationMethod", "AuthHeader")
        w.field("x-amz-id-2", id2)
        w.field("bytesTransferredOut", put ? 0 : size)
      },
      requestID: c.rng.upper(16),
      resources: [
        ("AWS::S3::Object", "arn:aws:s3:::\(bucket)/\(key)", nil),
        ("AWS::S3::Bucket", "arn:aws:s3:::\(bucket)", acct),
      ],
      host: host, sharedEventID: shared)
  }

  static func lambdaInvoke(_ c: inout EventContext) -> EventBody {
    let acct = c.account.id
    let region = c.region
    let function =
      "arn:aws:lambda:\(region):\(acct):function:\(c.rng.pick(["backend-fn", "image-resizer", "audit-forwarder"]))"
    let sourceArn: String? =
      switch c.caller.invokedBy {
      case "apigateway.amazonaws.com": "arn:aws:execute-api:\(region):\(acct):a1b2c3d4e5/prod/POST/orders"
      case nil: nil
      default: "arn:aws:events:\(region):\(acct):rule/nightly-\(c.rng.int(1...5))"
      }
    let asynchronous = c.rng.chance(0.3)
    let failed = c.failed
    return EventBody(
      source: "lambda.amazonaws.com", name: "Invoke", readOnly: false, management: false, category: "Data",
      errorCode: failed ? "AccessDeniedException" : nil,
      errorMessage: failed ? c.notAuthorized("lambda:InvokeFunction", function) : nil,
      request: { w in
        if asynchronous { w.field("invocationType", "Event") }
        w.field("functionName", function)
        w.field("sourceArn", ifPresent: sourceArn)
      },
      response: nil,
      additional: { w in w.field("functionVersion", "\(function):$LATEST") },
      requestID: c.rng.uuid(), resources: [("AWS::Lambda::Function", function, acct)],
      host: "lambda.\(region).amazonaws.com")
  }

  /// A bucket-level (management) read, mostly by CloudTrail and Config checking their bucket.
  static func getBucketAcl(_ c: inout EventContext) -> EventBody {
    let acct = c.account.id
    let region = c.region
    let bucket = c.caller.invokedBy != nil ? "example-cloudtrail-logs" : c.rng.pick(c.account.buckets)
    let host = "\(bucket).s3.\(region).amazonaws.com"
    let id2 = c.rng.base64(76) + "="
    let failed = c.failed
    return EventBody(
      source: "s3.amazonaws.com", name: "GetBucketAcl", readOnly: true,
      errorCode: failed ? "AccessDenied" : nil, errorMessage: failed ? "Access Denied" : nil,
      request: { w in
        w.field("bucketName", bucket)
        w.field("Host", host)
        w.field("acl", "")
      },
      response: nil,
      additional: { w in
        w.field("SignatureVersion", "SigV4")
        w.field("CipherSuite", "TLS_AES_128_GCM_SHA256")
        w.field("bytesTransferredIn", 0)
        w.field("AuthenticationMethod", "AuthHeader")
        w.field("x-amz-id-2", id2)
        w.field("bytesTransferredOut", failed ? 243 : 546)
      },
      requestID: c.rng.upper(16), resources: [("AWS::S3::Bucket", "arn:aws:s3:::\(bucket)", acct)],
      host: host)
  }
}
