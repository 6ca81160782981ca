// `--error` takes an optional value (spec §4: `--error [CODE]`), which argument-parser cannot
// express. Before parsing, a bare `--error` (last, or followed by another option or by a path
// that exists or has a '/') becomes `--error '*'`, meaning any error.
#if canImport(Glibc)
  import Glibc
#endif

enum ArgumentRewriting {
  static func rewrite(_ arguments: [String]) -> [String] {
    var out: [String] = []
    for (i, argument) in arguments.enumerated() {
      out.append(argument)
      guard argument == "--error" else { continue }
      let next = i + 1 < arguments.count ? arguments[i + 1] : nil
      // A code follows when the next argument is neither an option nor a path (one that exists,
      // or has a '/': error codes never do).
      if let next, !next.hasPrefix("-"), !next.contains("/"), !exists(next) { continue }
      out.append("*")
    }
    return out
  }

  static func exists(_ path: String) -> Bool {
    var info = stat()
    return path == "-" || stat(path, &info) == 0
  }
}
