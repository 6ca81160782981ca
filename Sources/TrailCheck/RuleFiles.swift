// Where `--rules FILE|DIR` finds rule files: a file as given, a folder's *.yml and *.yaml files
// (recursively, in name order, so the rule order is the same on every machine). Unreadable
// files and empty folders are errors: a check must never pass by reading fewer rules.
import Foundation

public enum RuleFiles {
  /// Loads every rule of `paths`; the first problem of each file is collected, not thrown, so
  /// one run reports every broken file.
  public static func load(_ paths: [String]) -> (rules: [Rule], errors: [RuleError]) {
    var rules: [Rule] = []
    var errors: [RuleError] = []
    for path in paths {
      let files: [String]
      do {
        files = try expand(path)
      } catch {
        errors.append(error)
        continue
      }
      for file in files {
        do {
          guard let data = FileManager.default.contents(atPath: file) else {
            throw RuleError(file: file, line: nil, rule: nil, message: "cannot read the file")
          }
          guard let text = String(data: data, encoding: .utf8) else {
            throw RuleError(file: file, line: nil, rule: nil, message: "the file is not UTF-8 text")
          }
          rules += try RuleLoader.load(yaml: text, file: file)
        } catch let error as RuleError {
          errors.append(error)
        } catch {
          errors.append(RuleError(file: file, line: nil, rule: nil, message: "\(error)"))
        }
      }
    }
    return (rules, errors)
  }

  static func expand(_ path: String) throws(RuleError) -> [String] {
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
      throw RuleError(file: path, line: nil, rule: nil, message: "no such file or folder")
    }
    guard isFolder.boolValue else { return [path] }
    guard let walker = FileManager.default.enumerator(atPath: path) else {
      throw RuleError(file: path, line: nil, rule: nil, message: "cannot list the folder")
    }
    let found = walker.compactMap { $0 as? String }
      .filter { $0.hasSuffix(".yml") || $0.hasSuffix(".yaml") }
      .sorted()
      .map { (path.hasSuffix("/") ? path : path + "/") + $0 }
    guard !found.isEmpty else {
      throw RuleError(file: path, line: nil, rule: nil, message: "no rule files (*.yml, *.yaml) in this folder")
    }
    return found
  }
}
