// The few places where SQL engines disagree, behind one protocol: literals (backslashes are
// escapes in Spark's string literals and plain characters in Trino's), identifiers, arrays and
// lambdas, JSON values, regular expressions and time. The translation (TrailSQL's AST walk)
// speaks only through it, so a new engine is a new conformance, not a new translator.
import TrailTime

/// An SQL engine's spelling of what the translation needs.
package protocol SQLDialect: Sendable {
  /// `spark`, `athena`: what `--emit` calls the dialect.
  var name: String { get }

  /// An identifier as the engine reads it with its case and any reserved word (`date`, `time`).
  func quote(_ identifier: String) -> String
  /// A string literal holding exactly `text`.
  func string(_ text: String) -> String

  // Arrays of strings and lambdas over them.
  /// An array of the string expressions `items` (an empty one is typed as an array of strings).
  func stringArray(_ items: [String]) -> String
  /// An array of the expressions `items` (at least one).
  func array(_ items: [String]) -> String
  /// Whether `body` (with `variable` bound to each element) holds for some element of `array`;
  /// NULL for a NULL array.
  func exists(_ array: String, _ variable: String, _ body: String) -> String
  /// `array` with each element mapped by `body`.
  func transform(_ array: String, _ variable: String, _ body: String) -> String
  /// The elements of `array` for which `body` holds.
  func filter(_ array: String, _ variable: String, _ body: String) -> String
  /// The arrays `items` one after the other.
  func concatArrays(_ items: [String]) -> String
  /// An array of arrays made one array.
  func flatten(_ array: String) -> String
  /// `text` split at each `separator` (a literal, not a pattern).
  func split(_ text: String, _ separator: String) -> String
  /// An array of `count` copies of `value`.
  func repeated(_ value: String, _ count: String) -> String
  /// The number of elements (NULL for a NULL array).
  func size(_ array: String) -> String
  /// The 1-based `index`th element of `array`, NULL when out of range (never an error).
  func element(_ array: String, _ index: Int) -> String
  /// The value of `key` in a map, NULL when missing.
  func mapValue(_ map: String, _ key: String) -> String

  // Aggregates.
  /// The non-NULL values of `expression` in the group, as an array.
  func collect(_ expression: String) -> String

  /// The FROM-clause item that repeats each row once per element of `array` (once with NULL for
  /// an empty or NULL array), the element named `column`.
  func explodeOuter(_ array: String, alias: String, column: String) -> String
  /// The FROM-clause item that repeats each row once per element of `array` (not at all for an
  /// empty one).
  func explode(_ array: String, alias: String, column: String) -> String
  /// A rule finding's group: an array of (`field`, `value`) pairs, typed even when empty.
  func groupEntries(_ entries: [(field: String, value: String)]) -> String

  // The table.
  /// The statements that define the table over `scope`'s archive, and the FROM item that reads
  /// it with `file_path`, `file_account`, `file_region` and `file_day` columns.
  func table(_ scope: SQLScope) throws(SQLError) -> SQLTable
  /// Whether `file_account`, `file_region`, `file_day` are NULL for files outside CloudTrail's
  /// key layout (Spark reads any file below the location; Athena's partitions always have them).
  var fileColumnsMayBeNull: Bool { get }

  // Regular expressions, in the portable syntax of `PatternRegex.portableSource`.
  /// Whether `regex` is found in `text`.
  func regexLike(_ text: String, _ regex: String) -> String
  /// Group `group` of the first match of `regex` in `text`, NULL without a match.
  func regexGroup(_ text: String, _ regex: String, _ group: Int) -> String

  // JSON values: a JSON value is an expression of the engine's JSON type (Spark's VARIANT,
  // Trino's JSON); SQL NULL means the path did not resolve, a JSON null is a value.
  /// The JSON value in the text `text`, NULL when it is not JSON.
  func parseJSON(_ text: String) -> String
  /// The value reached by object members (`.member`) and array positions (`.index`) from `json`.
  func jsonPath(_ json: String, _ steps: [JSONStep]) -> String
  /// `string`, `number`, `boolean`, `null`, `object` or `array`.
  func jsonKind(_ json: String) -> String
  /// A string value's text (only for kind `string`).
  func jsonString(_ json: String) -> String
  /// A scalar's text as the engine writes it (strings without quotes, numbers, `true`/`false`).
  func jsonScalarText(_ json: String) -> String
  /// A number value as DOUBLE (only for kind `number`).
  func jsonNumber(_ json: String) -> String
  /// A boolean value (only for kind `boolean`).
  func jsonBoolean(_ json: String) -> String
  /// A scalar's text (strings, numbers, booleans), NULL for null, objects and arrays (as
  /// `JSONText.scalar`).
  func jsonScalar(_ json: String) -> String
  /// A target table entry: the JSON values at a path, the form's code and its template.
  func targetEntry(values: String, form: String, template: String) -> String
  /// Field `name` of a struct or row value.
  func field(_ value: String, _ name: String) -> String
  /// Whether the value is a JSON null.
  func jsonIsNull(_ json: String) -> String
  /// The value as compact JSON text.
  func jsonText(_ json: String) -> String
  /// The elements of an array value as an array of JSON values, NULL for other kinds.
  func jsonElements(_ json: String) -> String
  /// The member values of an object value as an array of JSON values, NULL for other kinds.
  func jsonMemberValues(_ json: String) -> String
  /// An empty array of JSON values.
  var emptyJSONArray: String { get }

  // Time.
  /// `eventTime` parsed (ISO 8601 as CloudTrail writes it, with an optional fraction), NULL
  /// when it does not parse.
  func parseTime(_ text: String) -> String
  /// A log file name's `YYYYMMDDTHHmm` stamp parsed as UTC, NULL when it does not parse.
  func parseFileStamp(_ text: String) -> String
  /// The instant `time` as a timestamp literal.
  func timestamp(_ time: Timestamp) -> String
  /// A timestamp formatted with a Java-style pattern over UTC (`yyyy-MM-dd'T'HH:mm:ss`).
  func format(_ timestamp: String, _ pattern: String) -> String
  /// A timestamp's milliseconds within its second (0-999).
  func milliseconds(_ timestamp: String) -> String
  /// A timestamp cut down to a multiple of `seconds` since the epoch.
  func truncate(_ timestamp: String, toMultipleOf seconds: Int64) -> String
}

/// One step of a JSON path.
package enum JSONStep: Sendable, Hashable {
  case member(String)
  case index(Int)
}

extension SQLDialect {
  /// `body` where NULL counts as false (every translated condition is two-valued, so `NOT`
  /// keeps the meaning it has in the local engine).
  package func definitely(_ body: String) -> String { "COALESCE(\(body), FALSE)" }

  // Spark and Trino spell these alike.
  package func transform(_ array: String, _ variable: String, _ body: String) -> String {
    "transform(\(array), \(variable) -> \(body))"
  }
  package func filter(_ array: String, _ variable: String, _ body: String) -> String {
    "filter(\(array), \(variable) -> \(body))"
  }
  package func concatArrays(_ items: [String]) -> String {
    items.count == 1 ? items[0] : "concat(\(items.joined(separator: ", ")))"
  }
  package func flatten(_ array: String) -> String { "flatten(\(array))" }
}

/// Apache Spark SQL 4 (`spark-sql`, `spark.sql(…)`; ANSI mode on or off).
package struct SparkDialect: SQLDialect {
  package init() {}
  package var name: String { "spark" }

  package func quote(_ identifier: String) -> String {
    "`" + identifier.replacingAll("`", with: "``") + "`"
  }

  /// Spark reads `\` in a literal as the start of an escape, so backslashes are doubled;
  /// quotes are doubled (Spark 3.4+), and control characters written as `\uXXXX`.
  package func string(_ text: String) -> String {
    var out = "'"
    for scalar in text.unicodeScalars {
      switch scalar {
      case "'": out += "''"
      case "\\": out += "\\\\"
      default:
        if scalar.value < 0x20 || scalar.value == 0x7F {
          out += "\\u" + hex(scalar.value, width: 4)
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "'"
  }

  package func stringArray(_ items: [String]) -> String {
    items.isEmpty ? "CAST(array() AS ARRAY<STRING>)" : "array(\(items.joined(separator: ", ")))"
  }
  package func array(_ items: [String]) -> String { "array(\(items.joined(separator: ", ")))" }
  package func exists(_ array: String, _ variable: String, _ body: String) -> String {
    "exists(\(array), \(variable) -> \(body))"
  }
  /// Spark's `split` takes a regular expression: the separator is quoted as one.
  package func split(_ text: String, _ separator: String) -> String {
    "split(\(text), \(string("\\Q" + separator + "\\E")))"
  }
  package func repeated(_ value: String, _ count: String) -> String { "array_repeat(\(value), \(count))" }
  package func size(_ array: String) -> String { "size(\(array))" }
  package func element(_ array: String, _ index: Int) -> String { "try_element_at(\(array), \(index))" }
  package func mapValue(_ map: String, _ key: String) -> String { "try_element_at(\(map), \(string(key)))" }
  package func collect(_ expression: String) -> String { "collect_list(\(expression))" }
  package func explodeOuter(_ array: String, alias: String, column: String) -> String {
    "LATERAL VIEW OUTER explode(\(array)) \(alias) AS \(column)"
  }
  package func explode(_ array: String, alias: String, column: String) -> String {
    "LATERAL VIEW explode(\(array)) \(alias) AS \(column)"
  }
  package func groupEntries(_ entries: [(field: String, value: String)]) -> String {
    guard !entries.isEmpty else { return "CAST(array() AS ARRAY<STRUCT<field: STRING, value: STRING>>)" }
    return "array("
      + entries.map { "named_struct('field', \(string($0.field)), 'value', \($0.value))" }
      .joined(separator: ", ") + ")"
  }
  package var fileColumnsMayBeNull: Bool { true }

  package func regexLike(_ text: String, _ regex: String) -> String { "regexp_like(\(text), \(string(regex)))" }
  package func regexGroup(_ text: String, _ regex: String, _ group: Int) -> String {
    // regexp_extract gives '' without a match: the regexes used here never capture ''.
    "nullif(regexp_extract(\(text), \(string(regex)), \(group)), '')"
  }

  package func parseJSON(_ text: String) -> String { "try_parse_json(\(text))" }
  package func jsonPath(_ json: String, _ steps: [JSONStep]) -> String {
    guard !steps.isEmpty else { return json }
    return "variant_get(\(json), \(string(pathText(steps))))"
  }
  func pathText(_ steps: [JSONStep]) -> String {
    var path = "$"
    for step in steps {
      switch step {
      case .member(let name):
        // SQLSchema.checkKey keeps `"` and `\` out of names.
        path += "[\"" + name + "\"]"
      case .index(let index): path += "[\(index)]"
      }
    }
    return path
  }
  package func jsonKind(_ json: String) -> String {
    "CASE WHEN \(json) IS NULL THEN NULL WHEN is_variant_null(\(json)) THEN 'null' ELSE "
      + "CASE substr(schema_of_variant(\(json)), 1, 3) WHEN 'STR' THEN 'string' WHEN 'BOO' THEN 'boolean' "
      + "WHEN 'OBJ' THEN 'object' WHEN 'ARR' THEN 'array' ELSE 'number' END END"
  }
  package func jsonString(_ json: String) -> String { "variant_get(\(json), '$', 'string')" }
  package func jsonScalarText(_ json: String) -> String { "variant_get(\(json), '$', 'string')" }
  package func jsonNumber(_ json: String) -> String { "try_variant_get(\(json), '$', 'double')" }
  package func jsonBoolean(_ json: String) -> String { "try_variant_get(\(json), '$', 'boolean')" }
  package func jsonIsNull(_ json: String) -> String { "is_variant_null(\(json))" }
  package func jsonScalar(_ json: String) -> String {
    "CASE WHEN substr(schema_of_variant(\(json)), 1, 3) IN ('OBJ', 'ARR') THEN NULL "
      + "ELSE variant_get(\(json), '$', 'string') END"
  }
  package func targetEntry(values: String, form: String, template: String) -> String {
    "named_struct('values', \(values), 'form', \(string(form)), 'template', \(string(template)))"
  }
  package func field(_ value: String, _ name: String) -> String { value + "." + quote(name) }
  package func jsonText(_ json: String) -> String { "to_json(\(json))" }
  package func jsonElements(_ json: String) -> String { "try_variant_get(\(json), '$', 'array<variant>')" }
  package func jsonMemberValues(_ json: String) -> String {
    "map_values(try_variant_get(\(json), '$', 'map<string,variant>'))"
  }
  package var emptyJSONArray: String { "CAST(array() AS ARRAY<VARIANT>)" }

  package func parseTime(_ text: String) -> String {
    "try_to_timestamp(\(text), \(string("yyyy-MM-dd'T'HH:mm:ss[.SSSSSS]X")))"
  }
  package func parseFileStamp(_ text: String) -> String {
    "try_to_timestamp(\(text), \(string("yyyyMMdd'T'HHmm")))"
  }
  package func timestamp(_ time: Timestamp) -> String { "TIMESTAMP '\(time.iso8601)'" }
  package func format(_ timestamp: String, _ pattern: String) -> String {
    "date_format(\(timestamp), \(string(pattern)))"
  }
  package func milliseconds(_ timestamp: String) -> String { "CAST(date_format(\(timestamp), 'SSS') AS INT)" }
  package func truncate(_ timestamp: String, toMultipleOf seconds: Int64) -> String {
    "timestamp_seconds(floor(unix_seconds(\(timestamp)) / \(seconds)) * \(seconds))"
  }
}

/// Amazon Athena engine version 3 (Trino).
package struct AthenaDialect: SQLDialect {
  package init() {}
  package var name: String { "athena" }

  package func quote(_ identifier: String) -> String {
    "\"" + identifier.replacingAll("\"", with: "\"\"") + "\""
  }

  /// Trino reads a backslash as itself; quotes are doubled, and text with control characters
  /// becomes a Unicode literal (`U&'…\000A…'`, where the backslash is the escape).
  package func string(_ text: String) -> String {
    let needsEscapes = text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
    var out = needsEscapes ? "U&'" : "'"
    for scalar in text.unicodeScalars {
      switch scalar {
      case "'": out += "''"
      case "\\" where needsEscapes: out += "\\\\"
      default:
        if scalar.value < 0x20 || scalar.value == 0x7F {
          out += "\\" + hex(scalar.value, width: 4)
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "'"
  }

  package func stringArray(_ items: [String]) -> String {
    items.isEmpty ? "CAST(ARRAY[] AS ARRAY(VARCHAR))" : "ARRAY[\(items.joined(separator: ", "))]"
  }
  package func array(_ items: [String]) -> String { "ARRAY[\(items.joined(separator: ", "))]" }
  package func exists(_ array: String, _ variable: String, _ body: String) -> String {
    "any_match(\(array), \(variable) -> \(body))"
  }
  package func split(_ text: String, _ separator: String) -> String { "split(\(text), \(string(separator)))" }
  package func repeated(_ value: String, _ count: String) -> String { "repeat(\(value), \(count))" }
  package func size(_ array: String) -> String { "cardinality(\(array))" }
  package func element(_ array: String, _ index: Int) -> String { "element_at(\(array), \(index))" }
  package func mapValue(_ map: String, _ key: String) -> String { "element_at(\(map), \(string(key)))" }
  package func collect(_ expression: String) -> String {
    "array_agg(\(expression)) FILTER (WHERE \(expression) IS NOT NULL)"
  }
  package func explodeOuter(_ array: String, alias: String, column: String) -> String {
    "LEFT JOIN UNNEST(\(array)) AS \(alias)(\(column)) ON TRUE"
  }
  package func explode(_ array: String, alias: String, column: String) -> String {
    "CROSS JOIN UNNEST(\(array)) AS \(alias)(\(column))"
  }
  package func groupEntries(_ entries: [(field: String, value: String)]) -> String {
    let type = "ROW(field VARCHAR, value VARCHAR)"
    guard !entries.isEmpty else { return "CAST(ARRAY[] AS ARRAY(\(type)))" }
    return "ARRAY[" + entries.map { "CAST(ROW(\(string($0.field)), \($0.value)) AS \(type))" }.joined(separator: ", ")
      + "]"
  }
  package var fileColumnsMayBeNull: Bool { false }

  package func regexLike(_ text: String, _ regex: String) -> String { "regexp_like(\(text), \(string(regex)))" }
  package func regexGroup(_ text: String, _ regex: String, _ group: Int) -> String {
    "regexp_extract(\(text), \(string(regex)), \(group))"
  }

  package func parseJSON(_ text: String) -> String { "try(json_parse(\(text)))" }
  package func jsonPath(_ json: String, _ steps: [JSONStep]) -> String {
    guard !steps.isEmpty else { return json }
    var path = "$"
    for step in steps {
      switch step {
      case .member(let name): path += "[\"" + name + "\"]"
      case .index(let index): path += "[\(index)]"
      }
    }
    return "json_extract(\(json), \(string(path)))"
  }
  package func jsonKind(_ json: String) -> String {
    "CASE WHEN \(json) IS NULL THEN NULL ELSE CASE substr(json_format(\(json)), 1, 1) WHEN '\"' THEN 'string' "
      + "WHEN 't' THEN 'boolean' WHEN 'f' THEN 'boolean' WHEN 'n' THEN 'null' WHEN '{' THEN 'object' "
      + "WHEN '[' THEN 'array' ELSE 'number' END END"
  }
  package func jsonString(_ json: String) -> String { "json_extract_scalar(\(json), '$')" }
  package func jsonScalarText(_ json: String) -> String { "json_extract_scalar(\(json), '$')" }
  package func jsonNumber(_ json: String) -> String { "try_cast(\(json) AS DOUBLE)" }
  package func jsonBoolean(_ json: String) -> String { "try_cast(\(json) AS BOOLEAN)" }
  package func jsonIsNull(_ json: String) -> String { "json_format(\(json)) = 'null'" }
  package func jsonScalar(_ json: String) -> String { "json_extract_scalar(\(json), '$')" }
  package func targetEntry(values: String, form: String, template: String) -> String {
    "CAST(ROW(\(values), \(string(form)), \(string(template))) AS ROW(\"values\" ARRAY(JSON), form VARCHAR, template VARCHAR))"
  }
  package func field(_ value: String, _ name: String) -> String { value + "." + quote(name) }
  package func jsonText(_ json: String) -> String { "json_format(\(json))" }
  package func jsonElements(_ json: String) -> String { "try_cast(\(json) AS ARRAY(JSON))" }
  package func jsonMemberValues(_ json: String) -> String { "map_values(try_cast(\(json) AS MAP(VARCHAR, JSON)))" }
  package var emptyJSONArray: String { "CAST(ARRAY[] AS ARRAY(JSON))" }

  package func parseTime(_ text: String) -> String { "try(from_iso8601_timestamp(\(text)))" }
  package func parseFileStamp(_ text: String) -> String {
    "try(with_timezone(date_parse(\(text), '%Y%m%dT%H%i'), 'UTC'))"
  }
  package func timestamp(_ time: Timestamp) -> String { "from_iso8601_timestamp('\(time.iso8601)')" }
  package func format(_ timestamp: String, _ pattern: String) -> String {
    "format_datetime(\(timestamp) AT TIME ZONE 'UTC', \(string(pattern)))"
  }
  package func milliseconds(_ timestamp: String) -> String { "millisecond(\(timestamp))" }
  package func truncate(_ timestamp: String, toMultipleOf seconds: Int64) -> String {
    "from_unixtime(floor(to_unixtime(\(timestamp)) / \(seconds)) * \(seconds), 'UTC')"
  }
}

/// Uppercase hexadecimal, zero-padded to `width`.
func hex(_ value: UInt32, width: Int) -> String {
  let digits = String(value, radix: 16, uppercase: true)
  return String(repeating: "0", count: max(0, width - digits.count)) + digits
}

extension String {
  func replacingAll(_ target: Character, with replacement: String) -> String {
    var out = ""
    for c in self {
      if c == target { out += replacement } else { out.append(c) }
    }
    return out
  }
}
