// The CI integrations as written: action.yml (a GitHub composite action) and the GitLab
// template are read as YAML (Yams) and their shell steps run here as the runners would run them
// — the same commands, with `${{ … }}` expressions and variables filled in with local paths,
// `bash -e`, GITHUB_OUTPUT and GITHUB_PATH files — installing trail-scan from a tarball laid out
// as scripts/release.sh lays it out (ReleaseTests runs them on the real release).
import Foundation
import Testing
import TrailTestSupport
import Yams

/// Runs the steps of action.yml and the GitLab template locally.
enum CIRunner {
  static let action = Paths.packageRoot.appendingPathComponent("action.yml")
  static let gitlab = Paths.packageRoot.appendingPathComponent("templates/trail-scan.gitlab-ci.yml")
  static let sample = Paths.fixtures.appendingPathComponent("archives/sample").path

  static func yaml(_ url: URL) throws -> [String: Any] {
    try #require(try Yams.load(yaml: String(contentsOf: url, encoding: .utf8)) as? [String: Any])
  }

  /// A tarball in the release layout (`trail-scan-VERSION-linux-ARCH/trail-scan`) holding `binary`.
  static func tarball(of binary: URL, in dir: TemporaryDirectory) throws -> String {
    let folder = try dir.makeDirectory("stage/trail-scan-0.0.0-linux-test")
    try FileManager.default.copyItem(atPath: binary.path, toPath: folder + "/trail-scan")
    let path = dir.path("trail-scan-0.0.0-linux-test.tar.gz")
    let (status, message) = try TrailBinary.shell(
      "tar -czf '\(path)' -C '\(dir.path("stage"))' trail-scan-0.0.0-linux-test")
    #expect(status == 0, "\(String(decoding: message, as: UTF8.self))")
    return path
  }

  struct Outcome {
    var status: Int32
    var log: String
    var outputs: [String: String]
    /// The name of the step that failed, if one did.
    var failedStep: String?
  }

  /// `${{ name }}` replaced from `context`; an expression it does not know is an error, unless
  /// `missing` stands in for it (outputs of a step that did not run).
  static func expand(_ text: String, _ context: [String: String], missing: String? = nil) throws -> String {
    var out = ""
    var rest = Substring(text)
    while let start = rest.range(of: "${{") {
      out += rest[..<start.lowerBound]
      let end = try #require(rest[start.upperBound...].range(of: "}}"), "unclosed expression in \(text)")
      let name = rest[start.upperBound..<end.lowerBound].trimmingCharacters(in: .whitespaces)
      out += try #require(context[name] ?? missing, "no value for ${{ \(name) }}")
      rest = rest[end.upperBound...]
    }
    return out + rest
  }

  /// Runs `script` with bash as a CI runner does (`bash --noprofile --norc -eo pipefail`) in
  /// `directory`; returns its status and what it printed.
  static func bash(_ script: String, environment: [String: String], in directory: String) throws -> (Int32, String) {
    let file = directory + "/.step-\(UUID().uuidString).sh"
    try script.write(toFile: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: file) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/bash")
    process.arguments = ["--noprofile", "--norc", "-eo", "pipefail", file]
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    process.environment = environment
    let log = directory + "/.log-\(UUID().uuidString)"
    FileManager.default.createFile(atPath: log, contents: nil)
    defer { try? FileManager.default.removeItem(atPath: log) }
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
    process.standardOutput = handle
    process.standardError = handle
    process.standardInput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    try handle.close()
    return (process.terminationStatus, try String(contentsOfFile: log, encoding: .utf8))
  }

  /// The environment a step starts from: no trail-scan on the PATH unless `path` puts one there.
  static func baseEnvironment(path: [String]) -> [String: String] {
    let system = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    let clean = system.split(separator: ":").filter {
      !FileManager.default.isExecutableFile(atPath: "\($0)/trail-scan")
    }
    return [
      "PATH": (path + clean.map(String.init)).joined(separator: ":"), "HOME": NSTemporaryDirectory(), "LANG": "C.UTF-8",
    ]
  }

  /// Runs action.yml's steps in order with `inputs` (the others at their defaults) in `work`,
  /// stopping at the first that fails, as GitHub does.
  static func runAction(_ inputs: [String: String], in work: TemporaryDirectory) throws -> Outcome {
    let action = try yaml(Self.action)
    let declared = try #require(action["inputs"] as? [String: [String: Any]])
    for name in inputs.keys { #expect(declared[name] != nil, "no input \(name) in action.yml") }
    var context = [
      "github.action_path": Paths.packageRoot.path, "github.action_repository": "example/trail-scan",
      "github.action_ref": "v0.0.0", "runner.temp": try work.makeDirectory("runner-temp"),
    ]
    for (name, spec) in declared { context["inputs.\(name)"] = inputs[name] ?? "\(spec["default"] ?? "")" }
    let files = ["GITHUB_OUTPUT", "GITHUB_PATH", "GITHUB_ENV", "GITHUB_STEP_SUMMARY"]
    var environment: [String: String] = [:]
    for name in files { environment[name] = try work.write(".runner/\(name)", "") }
    var outcome = Outcome(status: 0, log: "", outputs: [:])
    let steps = try #require((action["runs"] as? [String: Any])?["steps"] as? [[String: Any]])
    for step in steps {
      let path = try String(contentsOfFile: environment["GITHUB_PATH"] ?? "", encoding: .utf8)
        .split(separator: "\n").map(String.init).reversed()
      var env = baseEnvironment(path: Array(path)).merging(environment) { $1 }
      for (name, value) in step["env"] as? [String: Any] ?? [:] { env[name] = try expand("\(value)", context) }
      let run = try expand(try #require(step["run"] as? String), context)
      let (status, log) = try bash(run, environment: env, in: work.path)
      outcome.log += log
      let id = step["id"] as? String
      for line in try String(contentsOfFile: environment["GITHUB_OUTPUT"] ?? "", encoding: .utf8).split(separator: "\n")
      {
        let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
        if parts.count == 2, let id { context["steps.\(id).outputs.\(parts[0])"] = parts[1] }
      }
      try "".write(toFile: environment["GITHUB_OUTPUT"] ?? "", atomically: true, encoding: .utf8)
      if status != 0 {
        outcome.status = status
        outcome.failedStep = step["name"] as? String
        break
      }
    }
    let outputs = try #require(action["outputs"] as? [String: [String: Any]])
    for (name, spec) in outputs {
      outcome.outputs[name] = try expand("\(spec["value"] ?? "")", context, missing: "")
    }
    return outcome
  }

  /// Runs the GitLab template's hidden job's script (its entries in one shell, as the runner
  /// does) with its variables, `variables` overriding them, in `work`.
  static func runGitLab(_ variables: [String: String], in work: TemporaryDirectory) throws -> (Int32, String) {
    let template = try yaml(gitlab)
    let job = try #require(template[".trail-scan-check"] as? [String: Any])
    var env = baseEnvironment(path: [])
    for (name, value) in job["variables"] as? [String: Any] ?? [:] { env[name] = "\(value)" }
    for (name, value) in variables {
      #expect(env[name] != nil, "no variable \(name) in the template")
      env[name] = value
    }
    let script = try #require(job["script"] as? [String]).joined(separator: "\n")
    return try bash(script, environment: env, in: work.path)
  }
}

extension CIRunner {
  /// The shell snippet of docs/check.md (between its ci-shell markers), run in `work` with
  /// `TRAIL_SCAN_URL` a file:// URL of `tarball` and `AWSLogs` the sample archive.
  static func runSnippet(tarball: String, in work: TemporaryDirectory) throws -> (Int32, String) {
    let doc = try String(contentsOf: Paths.packageRoot.appendingPathComponent("docs/check.md"), encoding: .utf8)
    let start = try #require(doc.range(of: "<!-- ci-shell:begin -->\n```sh\n"))
    let end = try #require(doc.range(of: "```\n<!-- ci-shell:end -->"))
    let snippet = String(doc[start.upperBound..<end.lowerBound])
    try work.symlink("AWSLogs", to: sample)
    var env = baseEnvironment(path: [])
    env["TRAIL_SCAN_URL"] = URL(fileURLWithPath: tarball).absoluteString
    return try bash(snippet, environment: env, in: work.path)
  }
}

struct ActionTests {
  @Test func actionIsACompositeActionWithDocumentedInputs() throws {
    let action = try CIRunner.yaml(CIRunner.action)
    #expect(action["name"] as? String == "trail-scan check")
    let runs = try #require(action["runs"] as? [String: Any])
    #expect(runs["using"] as? String == "composite")
    let inputs = try #require(action["inputs"] as? [String: [String: Any]])
    for name in ["paths", "packs", "rules", "fail-on", "format", "output", "install", "version", "tarball"] {
      #expect((inputs[name]?["description"] as? String)?.isEmpty == false, "input \(name)")
    }
    #expect(inputs["paths"]?["required"] as? Bool == true)
    #expect(inputs["format"]?["default"] as? String == "sarif")
    for step in try #require(runs["steps"] as? [[String: Any]]) {
      #expect(step["shell"] as? String == "bash" && step["run"] is String && step["name"] is String)
    }
  }

  @Test func findingsFailTheStepAndTheSARIFIsWritten() throws {
    let work = try TemporaryDirectory()
    let tarball = try CIRunner.tarball(of: TrailBinary.url, in: work)
    let outcome = try CIRunner.runAction(
      ["paths": CIRunner.sample, "tarball": tarball, "output": "reports/cis.sarif"], in: work)
    #expect(outcome.status == 1 && outcome.failedStep == "trail-scan check", "\(outcome.log)")
    #expect(outcome.outputs["exit-code"] == "1" && outcome.outputs["report"] == "reports/cis.sarif")
    #expect(outcome.log.contains("::error::trail-scan check: findings at or above low"))
    #expect(outcome.log.contains("FAIL") && outcome.log.contains("cis.root-usage"), "the table is in the log")
    let sarif = try JSONSerialization.jsonObject(
      with: Data(contentsOf: URL(fileURLWithPath: work.path("reports/cis.sarif"))))
    let runs = (sarif as? [String: Any])?["runs"] as? [[String: Any]]
    #expect((runs?.first?["results"] as? [Any])?.isEmpty == false)
  }

  @Test func noFindingAtTheLevelPasses() throws {
    let work = try TemporaryDirectory()
    let tarball = try CIRunner.tarball(of: TrailBinary.url, in: work)
    let outcome = try CIRunner.runAction(
      [
        "paths": CIRunner.sample + "\n", "tarball": tarball, "packs": "cis", "fail-on": "critical",
        "format": "junit", "output": "junit.xml", "args": "--since 2024-05-01",
      ], in: work)
    #expect(outcome.status == 0 && outcome.failedStep == nil, "\(outcome.log)")
    #expect(outcome.outputs["exit-code"] == "0")
    #expect(try String(contentsOfFile: work.path("junit.xml"), encoding: .utf8).contains("<testsuite"))
  }

  @Test func unreadableInputFailsWithTwo() throws {
    let work = try TemporaryDirectory()
    let tarball = try CIRunner.tarball(of: TrailBinary.url, in: work)
    let broken = try work.write("logs/broken.json", "{\"Records\":[{\"eventName\":")
    let outcome = try CIRunner.runAction(["paths": broken, "tarball": tarball, "rules": ""], in: work)
    #expect(outcome.status == 2 && outcome.outputs["exit-code"] == "2", "\(outcome.log)")
    #expect(outcome.log.contains("::error::trail-scan check could not run or could not read all its input"))
  }

  @Test func installStepSaysWhatIsMissing() throws {
    let work = try TemporaryDirectory()
    let none = try CIRunner.runAction(["paths": CIRunner.sample, "install": "none"], in: work)
    #expect(
      none.status == 2 && none.failedStep == "Install trail-scan" && none.log.contains("no trail-scan on the PATH"))
    // The action's ref (v0.0.0 here) names the release when no version is given: the URL is
    // GitHub's, which a test does not fetch; a ref that is not a version says so.
    let other = try CIRunner.runAction(["paths": CIRunner.sample, "install": "sideways"], in: work)
    #expect(other.status == 2 && other.log.contains("install must be release, build or none"))
  }

  @Test func shellSnippetRunsCheck() throws {
    let work = try TemporaryDirectory()
    let release = try TemporaryDirectory()
    let tarball = try CIRunner.tarball(of: TrailBinary.url, in: release)
    let (status, log) = try CIRunner.runSnippet(tarball: tarball, in: work)
    #expect(status == 1, "\(log)")
    #expect(log.contains("trail-scan check: exit 1 (0 passed, 1 findings, 2 error)"))
    let junit = try String(contentsOfFile: work.path("trail-scan-junit.xml"), encoding: .utf8)
    #expect(junit.contains("<failure"))
  }

  @Test func gitLabTemplateRunsCheck() throws {
    let work = try TemporaryDirectory()
    let tarball = try CIRunner.tarball(of: TrailBinary.url, in: work)
    let (status, log) = try CIRunner.runGitLab(
      ["TRAIL_SCAN_TARBALL": tarball, "TRAIL_SCAN_PATHS": CIRunner.sample, "TRAIL_SCAN_PACKS": "cis"], in: work)
    #expect(status == 1, "\(log)")
    let junit = try String(contentsOfFile: work.path("trail-scan-junit.xml"), encoding: .utf8)
    #expect(junit.contains("<testsuite") && junit.contains("cis.root-usage"))
    let passing = try CIRunner.runGitLab(
      ["TRAIL_SCAN_TARBALL": tarball, "TRAIL_SCAN_PATHS": CIRunner.sample, "TRAIL_SCAN_FAIL_ON": "critical"], in: work)
    #expect(passing.0 == 0, "\(passing.1)")
    let template = try CIRunner.yaml(CIRunner.gitlab)
    let job = template[".trail-scan-check"] as? [String: Any]
    let reports = (job?["artifacts"] as? [String: Any])?["reports"] as? [String: Any]
    #expect(reports?["junit"] as? String == "trail-scan-junit.xml")
  }
}
