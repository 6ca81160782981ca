// `trail-scan trace`: who really holds a credential. From an access key, a session or an event
// back to the identity that started its chain, hop by hop with the evidence of each link; or
// from an origin forward to every credential it obtained and what each was used for.

import ArgumentParser
import TrailEvent
import TrailIdentity
import TrailOutput
import TrailQuery

extension TrailScanCommand {
  struct Trace: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "trace",
      abstract:
        "Follow credential chains: from a key, session or event to its origin, or from an origin to all it obtained.",
      discussion: """
        A chain links each temporary credential to the call that issued it (AssumeRole and the other STS calls, a \
        console SwitchRole), across roles and accounts, until an identity that needs no issuer: a user's long-term \
        key, a web or SAML identity, an AWS service or instance. Where the archive lacks a link, the chain stops there \
        and says so (docs/identity.md).

        Examples:
          trail-scan trace ./AWSLogs --access-key ASIAEXAMPLEKEY123456
          trail-scan trace ./AWSLogs --origin arn:aws:iam::111122223333:user/alice
        """)

    @OptionGroup var input: InputOptions

    @Option(name: .customLong("access-key"), help: ArgumentHelp("The chain behind this access key.", valueName: "key"))
    var accessKey: String?

    @Option(
      name: .customLong("session"),
      help: ArgumentHelp("The chains behind every credential this session ARN used.", valueName: "arn"))
    var session: String?

    @Option(
      name: .customLong("event-id"), help: ArgumentHelp("The chain behind this event's credential.", valueName: "id"))
    var eventID: String?

    @Option(
      name: .customLong("origin"),
      help: ArgumentHelp(
        "Every credential this principal obtained, directly or through chains (* globs).", valueName: "principal"))
    var origin: String?

    @OptionGroup(title: "Output") var format: FormatOptions

    func validate() throws {
      let asked = [accessKey, session, eventID, origin].compactMap { $0 }.count
      guard asked == 1 else {
        throw ValidationError("Give one of --access-key KEY, --session ARN, --event-id ID or --origin PRINCIPAL.")
      }
    }

    func run() throws {
      let runner = try ScanRunner(input: input, filters: try FilterOptions.parse([]), observingAll: true)
      let wanted = eventID
      let (parts, runStatus, statistics) = try runner.runAccumulating(
        make: { TraceData(eventID: wanted) }, add: { data, view, _ in data.add(view) })
      var data = parts[0]
      for part in parts.dropFirst() { data.merge(part) }
      for conflict in data.index.conflicts {
        Messages.note(
          "\(conflict.credential) was issued by \(conflict.issues.count) different calls "
            + "(\(conflict.issues.compactMap(\.eventID).joined(separator: ", "))): its chain is not resolved")
      }
      let problems = runStatus == ExitStatus.error || statistics.diagnostics > 0
      let buffer = OutputBuffer()
      var found = false
      do {
        if let origin {
          let glob = Glob(origin)
          let items = data.obtained(by: { glob.matches($0) }).map {
            ($0.credential, $0.chain, data.uses[$0.credential])
          }
          found = !items.isEmpty
          try TracePrinter.writeObtained(
            items, format: format.resolvedFormat, to: buffer, width: format.width, style: format.style)
        } else {
          var chains: [(credential: String, chain: Chain)] = []
          if let accessKey, let chain = data.chain(credential: accessKey) { chains = [(accessKey, chain)] }
          if let session { chains = data.chains(session: session) }
          if let eventID, let reference = data.event {
            chains = [(reference.key ?? reference.session ?? eventID, data.index.chain(reference))]
          }
          found = !chains.isEmpty
          try TracePrinter.writeChains(
            chains, format: format.resolvedFormat, to: buffer, width: format.width, style: format.style)
        }
      } catch is OutputClosed {
        throw ExitCode(problems ? ExitStatus.error : ExitStatus.matched)
      }
      if !found { Messages.note("nothing in the archive uses or issues what was asked for") }
      throw ExitCode(problems ? ExitStatus.error : found ? ExitStatus.matched : ExitStatus.noMatch)
    }
  }
}
