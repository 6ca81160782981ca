// What a shared option group selects, for its help text only: the events a scan reads (search,
// stats, who, what, timeline, fields, check) or the files of an archive (validate). The options
// parse and validate the same way for both; one declaration carries both wordings.

protocol OptionSubject {
  static var isArchive: Bool { get }
}

extension OptionSubject {
  /// The help text that fits this subject.
  static func help(events: String, archive: String) -> String { isArchive ? archive : events }
}

/// The events of a scan.
enum Events: OptionSubject { static let isArchive = false }

/// The digest and log files of an archive (`validate`), by their delivery time and S3 key.
enum ArchiveFiles: OptionSubject { static let isArchive = true }
