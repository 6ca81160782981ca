import ArgumentParser

// What is done to the command line before argument-parser sees it, and undone after.
//
// `--error` takes an optional value (spec §4: `--error [CODE]`), which argument-parser cannot
// express. Before parsing, a bare `--error` (last, or followed by another option or by a path
// that exists or has a '/') becomes `--error '*'`, meaning any error.
//
// Path arguments are folded: argument-parser removes each positional value from its list of
// arguments one at a time, in time linear in the list, so 20,000 paths took 17 s. In a run of
// arguments that are not options, every one after the first is a positional (no option here
// takes more than one value), so those are set aside and one placeholder takes their place;
// after parsing, `unfold` puts them back into the command's paths, in order.
#if canImport(Glibc)
  import Glibc
#endif

enum ArgumentRewriting {
  /// Runs shorter than this are left as they are (argument-parser is quick with a few).
  static let foldingThreshold = 8

  /// A command line ready for argument-parser, and the path arguments folded out of it.
  struct Rewritten {
    var arguments: [String]
    /// The arguments each placeholder stands for, by placeholder.
    var folded: [String: [String]] = [:]
  }

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

  /// `rewrite`, then folds each run of more than `threshold` arguments that are not options
  /// (all after `--` are not) into its first argument and one placeholder.
  static func prepare(_ arguments: [String], threshold: Int = foldingThreshold) -> Rewritten {
    let rewritten = rewrite(arguments)
    var result = Rewritten(arguments: [])
    result.arguments.reserveCapacity(rewritten.count)
    var run: [String] = []
    var afterTerminator = false
    func endRun() {
      guard run.count > threshold else {
        result.arguments += run
        run.removeAll()
        return
      }
      // The first may be an option's value; the rest are certainly paths.
      let placeholder = placeholder(result.folded.count)
      result.arguments += [run[0], placeholder]
      result.folded[placeholder] = Array(run.dropFirst())
      run.removeAll()
    }
    for argument in rewritten {
      if afterTerminator || argument == "-" || !argument.hasPrefix("-") {
        run.append(argument)
        continue
      }
      endRun()
      result.arguments.append(argument)
      if argument == "--" { afterTerminator = true }
    }
    endRun()
    return result
  }

  /// A positional value no command line can hold (a NUL byte never reaches `argv`).
  static func placeholder(_ index: Int) -> String { "\u{0}paths-\(index)" }

  /// Puts the folded arguments back into `command`'s paths, each run where its placeholder is.
  static func unfold(_ command: any ParsableCommand, _ folded: [String: [String]]) -> any ParsableCommand {
    guard !folded.isEmpty, var taking = command as? any TakesPaths else { return command }
    taking.pathArguments = taking.pathArguments.flatMap { folded[$0] ?? [$0] }
    return taking
  }

  static func exists(_ path: String) -> Bool {
    var info = stat()
    return path == "-" || stat(path, &info) == 0
  }
}

/// A command with path arguments (every command that reads files), for `ArgumentRewriting.unfold`.
protocol TakesPaths: ParsableCommand {
  var pathArguments: [String] { get set }
}

/// The commands that scan events take their paths in `InputOptions` (`ingest` in its own wording).
protocol ScansEvents: TakesPaths {
  associatedtype Subject: OptionSubject
  var input: ReadOptions<Subject> { get set }
}

extension ScansEvents {
  var pathArguments: [String] {
    get { input.source.paths }
    set { input.source.paths = newValue }
  }
}

extension TrailScanCommand.Search: ScansEvents {}
extension TrailScanCommand.Stats: ScansEvents {}
extension TrailScanCommand.Who: ScansEvents {}
extension TrailScanCommand.What: ScansEvents {}
extension TrailScanCommand.Timeline: ScansEvents {}
extension TrailScanCommand.Fields: ScansEvents {}
extension TrailScanCommand.Check: ScansEvents {}
extension TrailScanCommand.Trace: ScansEvents {}
extension TrailScanCommand.Policy: ScansEvents {}

extension TrailScanCommand.Validate: TakesPaths {
  var pathArguments: [String] {
    get { source.paths }
    set { source.paths = newValue }
  }
}
