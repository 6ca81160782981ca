// `trail-fixtures inflate PATH…`: the benchmark's reference — read and inflate every log file
// an archive walk finds, single-threaded, through the same reader and buffers trail-scan uses,
// and do nothing else. trail-scan's time is compared against this.
import TrailArchive

enum InflateCommand {
  static func run(paths: [String]) {
    var bytes = 0
    var files = 0
    for object in ArchiveWalker(paths: paths).objects(onError: { print("trail-fixtures: \($0)") }) {
      do {
        bytes += try ObjectReader.read(object) { _ in }.bytesInflated
        files += 1
      } catch {
        print("trail-fixtures: \(object.path): \(error)")
      }
    }
    print("\(files) files, \(bytes) bytes inflated")
  }
}
