// `trail-scan validate`: the offline counterpart of `aws cloudtrail validate-logs`. Checks a
// downloaded archive's log files against its digest files, the digest chain and the digests'
// RSA signatures, and reports per file (table, JSON, JSON Lines, SARIF, JUnit, formatted by
// TrailReport) with a summary like the AWS CLI's and an exit status a CI job or an auditor can
// rely on.
import ArgumentParser
import TrailArchive
import TrailEvent
import TrailIntegrity
import TrailJSON
import TrailOutput
import TrailQuery
import TrailReport
import TrailScan
import TrailTime

enum ValidateFormat: String, CaseIterable, ExpressibleByArgument {
  case table, json, jsonl, sarif, junit
}

extension TrailScanCommand {
  struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "validate",
      abstract: "Check log files against digest files: hashes, the digest chain, signatures.",
      // argument-parser lists every option on one line when a command has twelve or fewer.
      usage: "trail-scan validate [<options>] [<paths> ...]",
      discussion: """
        Reads the digest files (CloudTrail-Digest/) and log files of a downloaded archive, trail or organization \
        layout, and reports each log file as valid, modified, missing (listed in a digest, absent), not covered \
        (present, in no digest), pending (delivered after the newest digest, within the hour) or with extra data after \
        its gzip stream; each digest as valid, chain broken, signature invalid, unverifiable, moved or missing.

        Every file that search and check would read from the same paths is either listed by a digest or reported: one \
        in a subfolder or another folder below AWSLogs/ is not covered, one outside any AWSLogs/ folder fails too \
        (unless --ignore-outside-layout).

        Signatures are RSA SHA-256, checked with the keys of `aws cloudtrail list-public-keys` saved to a file, each \
        key only inside its validity. The newest digest's signature lived only in S3 metadata: without --signatures it \
        is unverifiable, which alone does not fail the run, so deleting the newest digest with its log files cannot be \
        seen; with --signatures, each chain's newest digest must be in it, and one it names that is absent is missing. \
        Details: docs/validate.md.

        Examples:
          aws cloudtrail list-public-keys --start-time 2024-05-01 > keys.json
          trail-scan validate ./AWSLogs --public-keys keys.json
          trail-scan validate ./AWSLogs --public-keys keys.json --since 2024-05-14
          trail-scan validate ./AWSLogs --format junit --output integrity.xml

        Exit status: 0 when everything in range is valid, 1 when anything is invalid or missing, 2 on errors (bad \
        usage, unreadable key or signature files, standard input, nothing below an AWSLogs/ folder to validate).
        """)

    @OptionGroup var source: SourceOptions<ArchiveFiles>

    @Option(help: ArgumentHelp("The saved output of `aws cloudtrail list-public-keys` (JSON).", valueName: "file"))
    var publicKeys: String?

    @Option(
      help: ArgumentHelp(
        "JSON object mapping digest S3 keys to their hex signatures (from S3 metadata).", valueName: "file"))
    var signatures: String?

    @OptionGroup var window: TimeWindowOptions<ArchiveFiles>
    @OptionGroup var scope: ScopeOptions<ArchiveFiles>

    @Option(help: "Report format: table (default on a terminal), jsonl (default otherwise), json, sarif, junit.")
    var format: ValidateFormat?

    @OptionGroup var reporting: ReportOptions

    @Flag(help: "In the table, list valid files too (problems only by default).")
    var all = false

    @Flag(
      help: "List files outside any AWSLogs/ folder as ignored instead of failing (search and check still read them).")
    var ignoreOutsideLayout = false

    /// The largest `--public-keys` file: a saved `list-public-keys` output is a few KiB.
    static let maxKeyFileSize = 4 << 20
    /// The largest `--signatures` file: about 60,000 digest keys and signatures.
    static let maxSignatureFileSize = 16 << 20

    var paths: [String] { source.paths }

    func run() throws {
      guard !paths.isEmpty else { throw PlanError("give at least one archive folder or file.") }
      guard !paths.contains("-") else {
        throw PlanError(
          "validate reads files, not standard input: a log file is checked against the digest that lists "
            + "its S3 key, and standard input has none. Give the archive folder.")
      }
      var plan = ValidationPlan(
        accounts: scope.accounts, regions: scope.regions, workers: source.workers,
        ignoreOutsideLayout: ignoreOutsideLayout)
      (plan.since, plan.until) = try window.resolved()
      if let publicKeys {
        do {
          plan.keys = try PublicKeySet(
            json: try Self.contents(publicKeys, limit: Self.maxKeyFileSize, what: "public key"), file: publicKeys)
        } catch let error as PublicKeyError {
          throw PlanError(TerminalText.escape(error.description))
        }
      }
      if let signatures { plan.signatures = try Self.signatureFile(signatures) }

      var problems = 0
      let objects = ArchiveWalker(paths: paths, includesDigests: true).objects { error in
        problems += 1
        Messages.problem(Diagnostic(path: error.path, offset: error.offset, reason: error.reason))
      }
      let result = Validator.run(objects, plan: plan)
      for note in result.notes { Messages.note("validate: " + note) }
      try write(result, inputProblems: problems)
      if result.nothingToValidate {
        // An empty answer would read as a clean archive: say what was looked for, exit 2.
        let scoped = plan.since != nil || plan.until != nil || !plan.accounts.isEmpty || !plan.regions.isEmpty
        Messages.note(
          "validate: nothing to validate: no digest or log file below an AWSLogs/ folder"
            + (scoped ? " in the accounts, regions and time range asked for" : "")
            + " (give the folder that holds AWSLogs/, as synced from the trail's bucket): ERROR")
        throw ExitCode(ExitStatus.error)
      }
      Messages.note(IntegrityReport.summary(result, problems: problems))
      throw ExitCode(problems > 0 ? ExitStatus.error : result.failed ? 1 : 0)
    }

    func write(_ result: IntegrityResult, inputProblems: Int) throws {
      let resolved = format ?? (reporting.output == nil && Terminal.stdoutIsTerminal ? .table : .jsonl)
      try ReportOutput.write(to: reporting.output, color: reporting.color, width: reporting.width) {
        buffer, width, style, toFile in
        try render(
          result, toFile || reporting.output == nil ? resolved : .table, inputProblems: inputProblems, to: buffer,
          width: width, style: style)
      }
    }

    func render(
      _ result: IntegrityResult, _ format: ValidateFormat, inputProblems: Int, to buffer: OutputBuffer, width: Int?,
      style: TableStyle
    ) throws {
      let text: String
      switch format {
      case .table: return try IntegrityReport.writeTable(result, all: all, to: buffer, width: width, style: style)
      case .jsonl: return try IntegrityReport.writeJSONLines(result, to: buffer)
      case .json: text = IntegrityReport.jsonDocument(result, inputProblems: inputProblems)
      case .sarif:
        text = SARIFReport.render(
          IntegrityReport.checkReport(result, paths: paths, inputProblems: inputProblems),
          toolVersion: TrailScanCommand.configuration.version)
      case .junit:
        text = JUnitReport.render(IntegrityReport.checkReport(result, paths: paths, inputProblems: inputProblems))
      }
      try buffer.write(text)
      try buffer.flush()
    }

    /// A small side file (keys, signatures), read as the archive is (gzip allowed), refused as
    /// soon as more than `limit` bytes (uncompressed) are read.
    static func contents(_ path: String, limit: Int, what: String) throws -> [UInt8] {
      do {
        return try ObjectReader.contents(of: ArchiveObject(path: path), limit: limit)
      } catch let error as ArchiveError {
        var reason = error.reason
        if reason.hasPrefix("larger than") {
          reason = "larger than \(limit >> 20) MiB: not a \(what) file (it is read whole, so its size is capped)"
        }
        throw PlanError(
          TerminalText.escape(Diagnostic(path: error.path, offset: error.offset, reason: reason).description))
      }
    }

    /// `{"AWSLogs/…_CloudTrail-Digest_…Z.json.gz": "9f3c…"}`.
    static func signatureFile(_ path: String) throws -> [String: String] {
      let document: JSONDocument
      do {
        document = try JSONDocument(parsing: try contents(path, limit: maxSignatureFileSize, what: "signature"))
      } catch let error as JSONError {
        throw PlanError("\(TerminalText.escape(path)): byte \(error.offset): \(error.reason)")
      }
      guard document.root.kind == .object else {
        throw PlanError("\(TerminalText.escape(path)): expected a JSON object mapping digest keys to hex signatures")
      }
      var result: [String: String] = [:]
      for (key, value) in document.root.members {
        guard let text = value.string else {
          throw PlanError("\(TerminalText.escape(path)): the signature of \(TerminalText.escape(key)) is not a string")
        }
        result[key] = text
      }
      return result
    }
  }
}
