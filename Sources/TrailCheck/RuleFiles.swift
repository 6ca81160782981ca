// Where `--rules FILE|DIR` finds rule files: a file as given, a folder's *.yml and *.yaml files
// (recursively, in byte order of their paths, so the rule order is the same on every machine).
// Unreadable files and empty folders are errors: a check must never pass by reading fewer rules.
// Folders are walked and files read by TrailArchive, the one module that touches the file system.
import TrailArchive

package enum RuleFiles {
  /// The extensions of rule files below a folder.
  package static let extensions = ["yml", "yaml"]
  /// The largest rule file read (a rule file is a few kilobytes; this stops a wrong argument or
  /// a hostile file before it is parsed).
  package static let sizeLimit = RuleLimits.fileBytes

  /// Loads every rule of `paths` (trail-scan rule files and Sigma rules alike; correlations are
  /// linked by `SigmaLinker` once every rule is loaded); the first problem of each file is
  /// collected, not thrown, so one run reports every broken file. Sigma rules for other log
  /// sources are `skipped`; a path that gives no rule at all is an error.
  package static func load(_ paths: [String]) -> (rules: [Rule], errors: [RuleError], skipped: [SkippedRule]) {
    var rules: [Rule] = []
    var errors: [RuleError] = []
    var skipped: [SkippedRule] = []
    for path in paths {
      let before = (rules: rules.count, errors: errors.count, skipped: skipped.count)
      var problems: [RuleError] = []
      let files = ArchiveWalker(paths: [path], extensions: extensions).objects { error in
        problems.append(RuleError(file: error.path, line: nil, rule: nil, message: error.reason))
      }
      errors += problems
      if files.isEmpty && problems.isEmpty {
        // A file named is always taken, so nothing found means a folder without rule files.
        errors.append(
          RuleError(file: path, line: nil, rule: nil, message: "no rule files (*.yml, *.yaml) in this folder"))
      }
      for file in files {
        do {
          let bytes = try ObjectReader.contents(of: file, limit: sizeLimit, inflating: false)
          guard let text = String(validating: bytes, as: UTF8.self) else {
            throw RuleError(file: file.path, line: nil, rule: nil, message: "the file is not UTF-8 text")
          }
          let loaded = try RuleDocuments.load(yaml: text, file: file.path)
          rules += loaded.rules
          skipped += loaded.skipped
        } catch let error as RuleError {
          errors.append(error)
        } catch let error as ArchiveError {
          errors.append(RuleError(file: error.path, line: nil, rule: nil, message: error.reason))
        } catch {
          errors.append(RuleError(file: file.path, line: nil, rule: nil, message: "\(error)"))
        }
      }
      if rules.count == before.rules && errors.count == before.errors && skipped.count > before.skipped {
        errors.append(
          RuleError(
            file: path, line: nil, rule: nil,
            message:
              "no CloudTrail rules: \(skipped.count - before.skipped) Sigma rule(s) for other log sources skipped"))
      }
    }
    return (rules, errors, skipped)
  }
}
