// The engine on its own: identical results however files are chunked, statistics that add up,
// problems reported as Diagnostics with the good records around them kept.
import Testing
import TrailArchive
import TrailGzip
import TrailJSON
import TrailOutput
import TrailQuery
import TrailScan
import TrailTestSupport

struct ScanEngineTests {
  /// Runs the engine; returns the eventIDs matched, in order, and the diagnostics.
  func scan(_ paths: [String], plan: ScanPlan = ScanPlan()) -> (
    ids: [String], problems: [Diagnostic], stats: ScanStatistics
  ) {
    let engine = ScanEngine(plan: plan)
    var ids: [String] = []
    var problems: [Diagnostic] = []
    let objects = ArchiveWalker(paths: paths).objects {
      problems.append(Diagnostic(path: $0.path, offset: $0.offset, reason: $0.reason))
    }
    try! engine.run(
      objects, onMatch: { view, _ in ids.append(view.event.eventID ?? "?") }, onDiagnostic: { problems.append($0) })
    return (ids, problems, engine.statistics)
  }

  @Test(arguments: [1, 7, 64, 4096, 256 * 1024])
  func chunkSizeDoesNotChangeTheResult(_ chunkSize: Int) throws {
    let dir = try TemporaryDirectory()
    try dir.write("a.json.gz", RecordsBuilder.gzip(RecordsBuilder.envelope(0..<300, pretty: true)))
    try dir.write("b.json", RecordsBuilder.envelope(300..<310))
    let reference = scan([dir.path])
    let chunked = scan([dir.path], plan: ScanPlan(chunkSize: chunkSize))
    #expect(chunked.ids == reference.ids)
    #expect(chunked.ids.count == 310)
    #expect(chunked.problems.isEmpty)
  }

  @Test func statisticsAddUp() throws {
    let dir = try TemporaryDirectory()
    let text = RecordsBuilder.envelope(0..<50)
    let gz = RecordsBuilder.gzip(text)
    try dir.write("a.json.gz", gz)
    var filters = FilterSet()
    filters.principals = ["u1"]
    let result = scan([dir.path], plan: ScanPlan(predicate: filters.predicate))
    #expect(result.stats.files == 1)
    #expect(result.stats.bytesRead == gz.count)
    #expect(result.stats.bytesInflated == text.utf8.count)
    #expect(result.stats.events == 50)
    #expect(result.stats.matched == 17 && result.ids.count == 17)
  }

  @Test func recordThatIsNotAnObject() throws {
    let dir = try TemporaryDirectory()
    let path = try dir.write("a.json", "[" + RecordsBuilder.event(1) + ", 42, \"x\"]")
    let result = scan([path])
    #expect(result.ids.count == 1)
    let start = 1 + RecordsBuilder.event(1).utf8.count + 2
    #expect(
      result.problems == [
        Diagnostic(path: path, offset: start, reason: "record is not an object"),
        Diagnostic(path: path, offset: start + 4, reason: "record is not an object"),
      ])
  }
}
