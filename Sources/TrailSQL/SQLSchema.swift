// The one table both engines read: the CloudTrail record as AWS documents it for Athena, with
// nested objects whose keys vary (requestParameters, responseElements, …) kept as JSON text and
// read with JSON functions. Spark's view and Athena's table are written from this one list, and
// the translation resolves every path against it, so a path the table cannot answer is an error.

/// The type of a column or of a struct field.
package indirect enum SQLColumnType: Sendable, Equatable {
  case string
  case boolean
  /// A JSON object kept as its text (any keys, any nesting), read with JSON functions.
  case json
  case structure([SQLColumn])
  case array(SQLColumnType)
  /// Text keys to text values (`webIdFederationData.attributes`).
  case map
}

/// A column, or a field of a struct column.
package struct SQLColumn: Sendable, Equatable {
  /// The key in the record, with its case (Spark's JSON reader matches keys exactly).
  package let name: String
  package let type: SQLColumnType
  /// CloudTrail writes JSON `null` here (`requestParameters` of a call without parameters), so
  /// a missing key and a null cannot be told apart once both are SQL NULL.
  package let writesNull: Bool

  package init(_ name: String, _ type: SQLColumnType, writesNull: Bool = false) {
    self.name = name
    self.type = type
    self.writesNull = writesNull
  }

  /// The field named exactly `name`, for a struct.
  package func field(_ name: String) -> SQLColumn? {
    guard case .structure(let fields) = type else { return nil }
    return fields.first { $0.name == name }
  }
}

/// The CloudTrail record's columns (cloudtrail-formats.md §2).
package enum SQLSchema {
  static func strings(_ names: String...) -> [SQLColumn] { names.map { SQLColumn($0, .string) } }

  package static let userIdentity = SQLColumn(
    "userIdentity",
    .structure(
      strings("type", "principalId", "arn", "accountId", "accessKeyId", "userName", "invokedBy") + [
        SQLColumn("onBehalfOf", .structure(strings("userId", "identityStoreArn"))),
        SQLColumn(
          "sessionContext",
          .structure([
            SQLColumn("attributes", .structure(strings("mfaAuthenticated", "creationDate"))),
            SQLColumn("sessionIssuer", .structure(strings("type", "principalId", "arn", "accountId", "userName"))),
            SQLColumn("ec2RoleDelivery", .string),
            SQLColumn("sourceIdentity", .string),
            SQLColumn(
              "webIdFederationData",
              .structure([SQLColumn("federatedProvider", .string), SQLColumn("attributes", .map)])),
          ])),
        SQLColumn("identityProvider", .string),
        SQLColumn("credentialId", .string),
      ]))

  /// Every column, in the order of the documented table.
  package static let columns: [SQLColumn] =
    [SQLColumn("eventVersion", .string), userIdentity]
    + strings(
      "eventTime", "eventSource", "eventName", "awsRegion", "sourceIPAddress", "userAgent", "errorCode",
      "errorMessage")
    + [
      SQLColumn("requestParameters", .json, writesNull: true),
      SQLColumn("responseElements", .json, writesNull: true),
      SQLColumn("additionalEventData", .json),
    ]
    + strings("requestID", "eventID")
    + [
      SQLColumn("readOnly", .boolean),
      SQLColumn("resources", .array(.structure(strings("ARN", "accountId", "type")))),
    ]
    + strings("eventType", "apiVersion")
    + [SQLColumn("managementEvent", .boolean)]
    + strings("recipientAccountId")
    + [SQLColumn("serviceEventDetails", .json)]
    + strings("sharedEventID", "vpcEndpointId", "vpcEndpointAccountId", "eventCategory")
    + [
      SQLColumn("addendum", .structure(strings("reason", "updatedFields", "originalRequestID", "originalEventID"))),
      SQLColumn("sessionCredentialFromConsole", .string),
      SQLColumn("edgeDeviceDetails", .json),
      SQLColumn(
        "tlsDetails", .structure(strings("tlsVersion", "cipherSuite", "clientProvidedHostHeader", "keyExchange"))),
      SQLColumn("insightDetails", .json),
    ]

  /// The column named exactly `name`.
  package static func column(_ name: String) -> SQLColumn? { columns.first { $0.name == name } }

  /// Object keys reach JSON path syntax inside quotes; a key with a quote or a backslash would
  /// need escapes that the engines do not read alike.
  static func checkKey(_ key: String, in path: String) throws(SQLError) {
    guard !key.contains("\""), !key.contains("'"), !key.contains("\\") else {
      throw SQLError("\(path): a key with a quote or a backslash cannot be written in a JSON path of the SQL engines")
    }
  }
}

/// Something the target engine cannot express: the whole emit fails, naming it.
package struct SQLError: Error, Sendable, Equatable, CustomStringConvertible {
  package let message: String
  package init(_ message: String) { self.message = message }
  package var description: String { message }
}
