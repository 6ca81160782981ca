// The output of `trace`: a credential chain hop by hop, or everything an origin obtained and
// what each credential was used for — as a table, one JSON document, or JSON Lines.
import TrailIdentity
import TrailJSON
import TrailTime

/// Writes `trace` results.
package enum TracePrinter {
  /// The chains behind credentials: table rows per hop, a JSON array of chains, or a JSON line
  /// per chain. A narrow terminal gives up EVENT ID, USED, ACCOUNT and TIME, in that order.
  package static func writeChains(
    _ chains: [(credential: String, chain: Chain)], format: EventFormat, to output: OutputBuffer, width: Int?,
    style: TableStyle
  ) throws {
    switch format {
    case .table, .csv:
      let writer = try RowWriter(
        format: format, output: output,
        headers: format == .csv
          ? [
            "credential", "hop", "principal", "used", "obtained", "time", "account", "eventName", "eventID", "evidence",
          ]
          : ["CREDENTIAL", "HOP", "PRINCIPAL", "USED", "OBTAINED", "TIME", "ACCOUNT", "CALL", "EVENT ID", "EVIDENCE"],
        width: width, style: style, optional: [8, 3, 6, 5])
      for (credential, chain) in chains {
        try writer.add([
          credential, "0", chain.origin, "", "", "", "", "origin", "", chain.gap.map { "stops: " + $0 } ?? "",
        ])
        for (n, hop) in chain.hops.enumerated() {
          try writer.add([
            credential, String(n + 1), hop.principal, hop.used ?? "", hop.obtained, hop.time?.iso8601 ?? "",
            hop.account ?? "", hop.eventName, hop.eventID ?? "", hop.evidence.rawValue,
          ])
        }
      }
      try writer.finish()
    case .json:
      try output.write(chains.isEmpty ? "[]" : "[\n")
      for (i, item) in chains.enumerated() {
        try output.record { buffer in
          appendChain(item.credential, item.chain, to: &buffer)
          buffer.append(contentsOf: (i == chains.count - 1 ? "\n]" : ",\n").utf8)
        }
      }
      try output.write("\n")
    case .jsonl:
      for item in chains {
        try output.record { buffer in
          appendChain(item.credential, item.chain, to: &buffer)
          buffer.append(0x0A)
        }
      }
    }
    try output.flush()
  }

  /// Everything an origin obtained: a row (or JSON object) per credential with its chain's
  /// length, how it was obtained, and its use per action and account. A narrow terminal gives
  /// up EVENT ID, EVIDENCE and ACCOUNTS, in that order.
  package static func writeObtained(
    _ items: [(credential: String, chain: Chain, use: CredentialUse?)], format: EventFormat, to output: OutputBuffer,
    width: Int?, style: TableStyle
  ) throws {
    switch format {
    case .table, .csv:
      let writer = try RowWriter(
        format: format, output: output,
        headers: format == .csv
          ? ["credential", "session", "hops", "obtained", "eventID", "evidence", "events", "actions", "accounts"]
          : ["CREDENTIAL", "SESSION", "HOPS", "OBTAINED", "EVENT ID", "EVIDENCE", "EVENTS", "ACTIONS", "ACCOUNTS"],
        width: width, style: style, optional: [4, 5, 8])
      for item in items {
        let last = item.chain.hops.last
        try writer.add([
          item.credential, last?.session ?? "", String(item.chain.hops.count), last?.time?.iso8601 ?? "",
          last?.eventID ?? "", last?.evidence.rawValue ?? "", String(item.use?.events ?? 0),
          counts(item.use?.actions), counts(item.use?.accounts),
        ])
      }
      try writer.finish()
    case .json, .jsonl:
      let asArray = format == .json
      if asArray { try output.write(items.isEmpty ? "[]" : "[\n") }
      for (i, item) in items.enumerated() {
        try output.record { buffer in
          buffer.append(0x7B)
          appendMember("credential", item.credential, to: &buffer)
          buffer.append(contentsOf: #","chain":"#.utf8)
          appendChain(item.credential, item.chain, to: &buffer)
          buffer.append(contentsOf: #","events":\#(item.use?.events ?? 0),"actions":"#.utf8)
          appendCounts(item.use?.actions ?? [:], to: &buffer)
          buffer.append(contentsOf: #","accounts":"#.utf8)
          appendCounts(item.use?.accounts ?? [:], to: &buffer)
          buffer.append(0x7D)
          buffer.append(contentsOf: (asArray ? (i == items.count - 1 ? "\n]" : ",\n") : "\n").utf8)
        }
      }
      if asArray { try output.write("\n") }
    }
    try output.flush()
  }

  static func counts(_ values: [String: Int]?) -> String {
    (values ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
  }

  static func appendChain(_ credential: String, _ chain: Chain, to buffer: inout [UInt8]) {
    buffer.append(0x7B)
    appendMember("credential", credential, to: &buffer)
    buffer.append(0x2C)
    appendMember("origin", chain.origin, to: &buffer)
    buffer.append(contentsOf: #","hops":["#.utf8)
    for (i, hop) in chain.hops.enumerated() {
      if i > 0 { buffer.append(0x2C) }
      buffer.append(0x7B)
      appendMember("principal", hop.principal, to: &buffer)
      for (name, value) in [
        ("used", hop.used), ("obtained", hop.obtained), ("session", hop.session), ("time", hop.time?.iso8601),
        ("account", hop.account), ("eventName", hop.eventName), ("eventID", hop.eventID),
        ("evidence", hop.evidence.rawValue),
      ] {
        buffer.append(0x2C)
        appendMember(name, value, to: &buffer)
      }
      buffer.append(0x7D)
    }
    buffer.append(contentsOf: #"],"#.utf8)
    appendMember("gap", chain.gap, to: &buffer)
    buffer.append(0x7D)
  }

  static func appendMember(_ name: String, _ value: String?, to buffer: inout [UInt8]) {
    JSONWriter.appendString(name, to: &buffer)
    buffer.append(0x3A)
    if let value { JSONWriter.appendString(value, to: &buffer) } else { buffer.append(contentsOf: "null".utf8) }
  }

  static func appendCounts(_ values: [String: Int], to buffer: inout [UInt8]) {
    buffer.append(0x7B)
    for (i, entry) in values.sorted(by: { $0.key < $1.key }).enumerated() {
      if i > 0 { buffer.append(0x2C) }
      JSONWriter.appendString(entry.key, to: &buffer)
      buffer.append(contentsOf: ":\(entry.value)".utf8)
    }
    buffer.append(0x7D)
  }
}
