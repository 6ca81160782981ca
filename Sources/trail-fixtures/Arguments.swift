// Hand-rolled command-line parsing for the fixture tool (it has three commands and a few
// numeric options; no ArgumentParser dependency for a dev tool). Errors become a usage
// message and exit status 2.

/// A usage problem, reported with the usage text.
struct UsageError: Error {
  let message: String
}

/// Positional arguments and `--name value` / `--name=value` options of one command.
struct Arguments {
  var positionals: [String] = []
  var options: [String: String] = [:]

  /// Splits `arguments`, accepting only the option names in `allowed` (without `--`).
  init(_ arguments: ArraySlice<String>, allowed: Set<String>) throws(UsageError) {
    var rest = arguments[...]
    while let argument = rest.popFirst() {
      guard argument.hasPrefix("--") else {
        positionals.append(argument)
        continue
      }
      var name = String(argument.dropFirst(2))
      var value: String
      if let equals = name.firstIndex(of: "=") {
        value = String(name[name.index(after: equals)...])
        name = String(name[..<equals])
      } else {
        guard let next = rest.popFirst() else { throw UsageError(message: "--\(name) needs a value") }
        value = next
      }
      guard allowed.contains(name) else { throw UsageError(message: "unknown option --\(name)") }
      options[name] = value
    }
  }

  /// The single positional argument (an output path).
  func onlyPositional(_ what: String) throws(UsageError) -> String {
    guard positionals.count == 1 else {
      throw UsageError(message: positionals.isEmpty ? "missing \(what)" : "unexpected argument \(positionals[1])")
    }
    return positionals[0]
  }

  /// A positive count: digits, `_` allowed, optional suffix k/M/G (×1000) or Ki/Mi/Gi (×1024).
  func count(_ name: String, default fallback: Int) throws(UsageError) -> Int {
    guard let text = options[name] else { return fallback }
    let suffixes: [(String, Int)] = [
      ("Ki", 1 << 10), ("Mi", 1 << 20), ("Gi", 1 << 30),
      ("k", 1_000), ("K", 1_000), ("M", 1_000_000), ("G", 1_000_000_000),
    ]
    var digits = Substring(text)
    var scale = 1
    for (suffix, factor) in suffixes where digits.hasSuffix(suffix) {
      digits = digits.dropLast(suffix.count)
      scale = factor
      break
    }
    guard let value = Int(digits.filter { $0 != "_" }), value > 0,
      case (let scaled, let overflow) = value.multipliedReportingOverflow(by: scale), !overflow
    else { throw UsageError(message: "--\(name) wants a positive number, not \(text)") }
    return scaled
  }

  /// A seed: any unsigned 64-bit number (decimal or 0x hex).
  func seed(default fallback: UInt64) throws(UsageError) -> UInt64 {
    guard let text = options["seed"] else { return fallback }
    let parsed = text.hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text)
    guard let parsed else { throw UsageError(message: "--seed wants an unsigned integer, not \(text)") }
    return parsed
  }
}
