// The `trail-scan` command: its help, its subcommands, and one exit-code convention for all of
// them (0 matched, 1 nothing matched, 2 error, as grep and ripgrep do, including for bad usage,
// where argument-parser alone would exit 64).
import ArgumentParser
import TrailOutput

#if canImport(Glibc)
  import Glibc
#endif

@main
struct TrailScanCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "trail-scan",
    abstract: "Search and summarise AWS CloudTrail log archives, offline.",
    discussion: """
      Reads CloudTrail log files (.json.gz or plain JSON, detected by content) or folders of them, such as an AWSLogs/ \
      tree synced from S3. Digest files are skipped.

      Examples:
        trail-scan ./AWSLogs --event-name ConsoleLogin
        trail-scan ./AWSLogs --principal 'arn:aws:iam::*:root' --since 7d
        trail-scan ./AWSLogs --since 24h --format jsonl | jq -c .eventName
        trail-scan stats ./AWSLogs --by principal
        trail-scan stats ./AWSLogs --by account,action --error AccessDenied --top 10
        trail-scan who ./AWSLogs --action s3:DeleteBucket
        trail-scan what ./AWSLogs --principal arn:aws:iam::111122223333:role/Deploy
        trail-scan timeline ./AWSLogs --principal alice --since 2024-05-14
        trail-scan ./AWSLogs --where '{ $.additionalEventData.MFAUsed != "Yes" }'
        trail-scan check ./AWSLogs --pack cis --format sarif --output cis.sarif
        trail-scan validate ./AWSLogs --public-keys keys.json

      Tables fit the terminal: values are cut where they say least (the middle of an ARN or a path) and the least \
      needed columns are left out first; --wide, or output into a pipe or file, cuts nothing.

      Exit status: 0 if an event matched, 1 if none did, 2 if an error occurred (bad usage, an unreadable or corrupt \
      file; the other files are still scanned). check: 0 pass, 1 findings; validate: 0 all valid, 1 anything invalid \
      or missing; 2 errors for both.
      """,
    version: "0.1.0",
    subcommands: [
      Search.self, Stats.self, Who.self, What.self, Timeline.self, Fields.self, Check.self, Validate.self, Trace.self,
      Policy.self, Ingest.self, SQL.self,
    ],
    defaultSubcommand: Search.self)

  static func main() {
    // A closed pipe (`trail-scan … | head`) must reach us as EPIPE, a quiet clean stop (see
    // OutputBuffer), not kill the process with SIGPIPE.
    signal(SIGPIPE, SIG_IGN)
    // A file size limit (`ulimit -f`) must reach us as EFBIG, an error to report, not kill the
    // process half-way through a report.
    signal(SIGXFSZ, SIG_IGN)
    let prepared = ArgumentRewriting.prepare(Array(CommandLine.arguments.dropFirst()))
    do {
      let parsed = try directParse(prepared.arguments) ?? parseAsRoot(prepared.arguments)
      var command = ArgumentRewriting.unfold(parsed, prepared.folded)
      try command.run()
    } catch let error as PlanError {
      Messages.note(error.message)
      exit(withError: ExitCode(ExitStatus.error))
    } catch {
      let code = exitCode(for: error)
      if error is ExitCode { exit(withError: error) }
      if code == .success { printCleanExit(fullMessage(for: error)) }
      var message = fullMessage(for: error)
      if message.hasPrefix("Error: ") { message.removeFirst("Error: ".count) }
      Messages.note(message)
      exit(withError: ExitCode(ExitStatus.error))
    }
  }

  /// The subcommand a command line names, parsed by that subcommand alone; nil when the full
  /// parse must answer (help, version, any error: it gives the messages).
  ///
  /// argument-parser's own route from the root builds the argument set of the named subcommand
  /// and of the default one (`search`, the widest) only to ask whether either passes unparsed
  /// input through, before parsing: about 24 M of a run's 68 M start-up instructions
  /// (docs/performance.md). Neither does, so a command line that names a subcommand first (or
  /// none: `search`), asks for no help or version and mentions no other subcommand is parsed by
  /// the subcommand directly. Every error is left to the full parse, so messages and exit
  /// status are the same either way (the help and option tests run through both).
  static func directParse(_ arguments: [String]) -> (any ParsableCommand)? {
    let subcommands = configuration.subcommands
    let named = arguments.first.flatMap { first in subcommands.first { $0._commandName == first } }
    let rest = named == nil ? arguments[...] : arguments.dropFirst()
    let reserved: Set<String> = ["-h", "--help", "-help", "help", "--version"]
    for argument in rest {
      if argument == "--" { break }
      if reserved.contains(argument) || argument.hasPrefix("--experimental") || argument.hasPrefix("--generate")
        || subcommands.contains(where: { $0._commandName == argument })
      {
        return nil
      }
    }
    let command = named ?? Search.self
    return try? command.parseAsRoot(Array(rest))
  }

  /// Prints what `--help`, `--version` and `help` answer, through the same writer as results, so
  /// that a write error (`--help > /dev/full`) is reported and exits 2, and a closed pipe is a
  /// quiet clean end.
  static func printCleanExit(_ text: String) -> Never {
    let output = OutputBuffer(fd: STDOUT_FILENO)
    do {
      if !text.isEmpty { try output.write(text + "\n") }
      try output.flush()
    } catch let error as OutputError {
      Messages.note(error.message)
      exit(withError: ExitCode(ExitStatus.error))
    } catch {
      // A closed pipe (`trail-scan --help | head -1`).
    }
    exit(withError: ExitCode.success)
  }
}
