// The first pass of a scan that needs `origin` as it reads each event (`--origin`, `--fields
// origin`): every file is read once to index the credentials it issues, whatever the filters,
// since a chain can start before `--since` or in another account's folder.
import TrailArchive
import TrailEvent
import TrailIdentity
import TrailQuery
import TrailScan

enum OriginIndex {
  /// The credentials issued in `objects`, read as `plan` reads them but unfiltered and unpruned.
  /// Problems are left to the scan that follows (it reads the same files).
  static func index(_ objects: [ArchiveObject], like plan: ScanPlan, workers: Int) -> CredentialIndex {
    var indexing = plan
    indexing.predicate = .always
    indexing.pruning = nil
    indexing.hasTimeWindow = false
    indexing.strict = false
    indexing.dedupe = false
    let result = ParallelScan.run(
      objects, plan: indexing, workers: workers, make: { CredentialIndex() }, add: { index, view, _ in index.add(view) }
    )
    var index = CredentialIndex()
    for part in result.accumulators { index.merge(part) }
    return index
  }

  /// A resolver of `origin` over `objects`.
  static func build(_ objects: [ArchiveObject], like plan: ScanPlan, workers: Int) -> CredentialResolver {
    CredentialResolver(index(objects, like: plan, workers: workers))
  }
}
