// What a shared option group selects, for its help text only: the events a scan reads (search,
// stats, who, what, timeline, fields, check), the files of an archive (validate) or the files
// stored in an event store (ingest). The options parse and validate the same way for all; one
// declaration carries every wording.

import ArgumentParser

protocol OptionSubject {
  static var kind: OptionSubjectKind { get }
}

/// The three wordings of a shared option.
enum OptionSubjectKind {
  case events, archive, ingest
}

extension OptionSubject {
  /// The help text that fits this subject (`ingest` reads files as `validate` does unless told).
  static func help(events: String, archive: String, ingest: String? = nil) -> String {
    switch kind {
    case .events: events
    case .archive: archive
    case .ingest: ingest ?? archive
    }
  }

  /// Whether the option is shown in this subject's help (an option `ingest` refuses is hidden there).
  static func visibility(inIngest shown: Bool) -> ArgumentVisibility {
    kind == .ingest && !shown ? .hidden : .default
  }
}

/// The events of a scan.
enum Events: OptionSubject { static let kind = OptionSubjectKind.events }

/// The digest and log files of an archive (`validate`), by their delivery time and S3 key.
enum ArchiveFiles: OptionSubject { static let kind = OptionSubjectKind.archive }

/// The log files `ingest` stores.
enum IngestedFiles: OptionSubject { static let kind = OptionSubjectKind.ingest }
