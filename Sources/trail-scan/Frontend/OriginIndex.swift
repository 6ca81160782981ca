// The first pass of a scan that needs `origin` as it reads each event (`--origin`, `--fields
// origin`): every file is read once to index the credentials it issues, whatever the filters,
// since a chain can start before `--since` or in another account's folder.
import TrailArchive
import TrailEvent
import TrailIdentity
import TrailQuery
import TrailScan

enum OriginIndex {
  /// The credentials issued in `objects`, read as `plan` reads them but unfiltered and unpruned,
  /// and the problems met in files that `plan` prunes: the scan that follows reads, and reports,
  /// the others, but a damaged file it never opens can still hide where a credential came from.
  static func index(
    _ objects: [ArchiveObject], like plan: ScanPlan, workers: Int
  ) -> (index: CredentialIndex, problems: [Diagnostic]) {
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
    let pruned = Set(objects.filter { plan.pruning?.mayMatch($0) == false }.map(\.path))
    return (index, result.diagnostics.filter { pruned.contains($0.path) })
  }

  /// A resolver of `origin` over `objects`, and the problems of files the scan will not open.
  static func build(
    _ objects: [ArchiveObject], like plan: ScanPlan, workers: Int
  ) -> (resolver: CredentialResolver, problems: [Diagnostic]) {
    let (index, problems) = index(objects, like: plan, workers: workers)
    return (CredentialResolver(index), problems)
  }
}
