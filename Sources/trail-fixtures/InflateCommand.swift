// `trail-fixtures inflate PATH…`: the benchmark's reference — read and inflate every log file
// an archive walk finds, single-threaded, through the same reader and buffers trail-scan uses,
// and do nothing else. trail-scan's time is compared against this; `--engine` times ISA-L and
// zlib apart, so the benchmark's floor is the fastest inflate this build has.
import TrailArchive
import TrailGzip

enum InflateCommand {
  static func run(paths: [String], engine: GzipInflater.Engine) {
    var bytes = 0
    var files = 0
    for object in ArchiveWalker(paths: paths).objects(onError: { print("trail-fixtures: \($0)") }) {
      do {
        bytes += try ObjectReader.read(object, engine: engine) { _ in }.bytesInflated
        files += 1
      } catch {
        print("trail-fixtures: \(object.path): \(error)")
      }
    }
    print("\(files) files, \(bytes) bytes inflated (\(engine))")
  }
}
