// `trail-scan policy`: a least-privilege IAM policy for a role or user, from the successful
// calls it and every session of it made in the archive (filters apply), each call mapped to the
// IAM action the Service Authorization Reference names (docs/identity.md).

import ArgumentParser
import TrailEvent
import TrailIdentity
import TrailOutput
import TrailQuery

extension TrailScanCommand {
  struct Policy: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "policy",
      abstract: "Write a least-privilege IAM policy for a principal from the calls it made.",
      discussion: """
        The principal is a role or user ARN (globs allowed); its sessions count as it (the principal of an \
        assumed-role session is its role). Each successful call becomes the IAM action it needs, with resources \
        narrowed to the targets the calls named where the action allows it, else "*". No wildcard actions. Calls that \
        need no permission (sts:GetCallerIdentity, console sign-in) are left out. Exit 1 when nothing was observed.

        Examples:
          trail-scan policy ./AWSLogs --principal arn:aws:iam::111122223333:role/Deploy
          trail-scan policy ./AWSLogs --principal 'arn:aws:iam::*:role/CI' --since 30d
          trail-scan policy ./AWSLogs --principal Deploy --include-denied
        """)

    @OptionGroup var input: InputOptions
    @OptionGroup(title: "Filters (the principal is required)") var filters: FilterOptions

    @Flag(help: "Also grant the calls that were denied (to see what the principal tried).")
    var includeDenied = false

    func validate() throws {
      guard filters.principals.count == 1, let principal = filters.principals.first, !principal.hasPrefix("!") else {
        throw ValidationError("Give one --principal ARN (a role or user) to write the policy for.")
      }
    }

    func run() throws {
      let principal = Glob(filters.principals[0])
      let runner = try ScanRunner(input: input, filters: filters)
      let withDenied = includeDenied
      let (parts, runStatus, statistics) = try runner.runAccumulating(
        make: { PolicyCalls() },
        add: { calls, view, _ in
          guard let who = view.value(of: .principal), principal.matches(who) else { return }
          guard withDenied || !view.failed, let source = view.eventSource, let name = view.eventName else { return }
          calls.observe(PolicyCalls.Call(eventSource: source, eventName: name, targets: view.targets))
        })
      var calls = parts[0]
      for part in parts.dropFirst() { calls.merge(part) }
      var policy = LeastPrivilegePolicy()
      var unknown = Set<String>()
      for call in calls.sorted {
        if case .unknown = policy.add(eventSource: call.eventSource, eventName: call.eventName, targets: call.targets) {
          unknown.insert("\(call.eventSource) \(call.eventName)")
        }
      }
      for call in unknown.sorted() {
        Messages.note("left out: no IAM action is known for \(call) (docs/identity.md)")
      }
      let buffer = OutputBuffer()
      do {
        try buffer.write(policy.json())
        if !policy.json().hasSuffix("\n") { try buffer.write("\n") }
        try buffer.flush()
      } catch is OutputClosed {}
      let problems = runStatus == ExitStatus.error || statistics.diagnostics > 0
      if policy.isEmpty { Messages.note("no call by this principal needs a permission: the policy is empty") }
      throw ExitCode(problems ? ExitStatus.error : policy.isEmpty ? ExitStatus.noMatch : ExitStatus.matched)
    }
  }
}

/// The distinct calls a principal made (per worker; replayed into one policy at the end).
struct PolicyCalls {
  struct Call: Hashable {
    var eventSource: String
    var eventName: String
    var targets: [String]
  }

  var calls = Set<Call>()

  mutating func observe(_ call: Call) { calls.insert(call) }

  mutating func merge(_ other: PolicyCalls) { calls.formUnion(other.calls) }

  /// In a fixed order, so the policy does not depend on the threads' timing.
  var sorted: [Call] {
    calls.sorted {
      ($0.eventSource, $0.eventName, $0.targets.joined(separator: " ")) < (
        $1.eventSource, $1.eventName, $1.targets.joined(separator: " ")
      )
    }
  }
}
