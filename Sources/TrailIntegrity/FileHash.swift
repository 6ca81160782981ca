// Reads one archive file the way validation must see it: SHA-256 over the uncompressed bytes of
// the first gzip member, computed while it inflates (one pass, no copy kept, except for digests,
// whose bytes are also parsed, up to a cap), and anything after that member reported as extra
// data, as `aws cloudtrail validate-logs` reports appended bytes.
// The bytes come from TrailArchive's reader as stored; only the inflating is done here, because
// validation must stop hashing at the first member's end where a scan reads on.
import TrailArchive
import TrailGzip

/// What reading a file gave.
package struct FileHash: Sendable {
  /// Lower-case hex SHA-256 of the uncompressed content (first gzip member).
  package var sha256: String
  /// Bytes found after the first gzip member: where they start (compressed offset) and what
  /// they are. Nil when the file ends with its first member.
  package var extraData: (offset: Int, what: String)?
  /// The uncompressed bytes, when asked for (digests).
  package var content: [UInt8]?
  /// Compressed and uncompressed sizes.
  package var bytesRead: Int
  package var bytesInflated: Int
}

/// A file that could not be read to its end.
package struct FileReadError: Error, Sendable, CustomStringConvertible {
  package var offset: Int?
  package var reason: String
  /// The content went past the `contentLimit` asked for.
  package var overLimit = false

  package init(offset: Int?, reason: String, overLimit: Bool = false) {
    self.offset = offset
    self.reason = reason
    self.overLimit = overLimit
  }
  package var description: String { offset.map { "byte \($0): \(reason)" } ?? reason }
}

package enum FileHasher {
  /// Hashes `path`. Plain (not gzip) content is hashed as it is. With `keepContent`, the
  /// content is kept too, and reading stops with an error as soon as it exceeds `contentLimit`
  /// bytes (a decompression bomb costs the cap, not its inflated size).
  package static func hash(
    _ path: String, keepContent: Bool = false, contentLimit: Int = .max, chunkSize: Int = 256 * 1024
  ) throws(FileReadError) -> FileHash {
    var hasher = SHA256Stream()
    var content: [UInt8]? = keepContent ? [] : nil
    var extra: (offset: Int, what: String)?
    var inflater: GzipInflater?
    var first = true
    func take(_ chunk: UnsafeRawBufferPointer) throws {
      if let kept = content?.count, kept + chunk.count > contentLimit { throw OverLimit() }
      hasher.update(chunk)
      content?.append(contentsOf: chunk)
    }
    let bytesRead: Int
    do {
      bytesRead = try ObjectReader.readStored(ArchiveObject(path: path), chunkSize: chunkSize) { chunk in
        // The first chunk holds the magic (at least 2 bytes unless the file is shorter).
        if first {
          first = false
          if GzipInflater.hasGzipMagic(chunk) { inflater = GzipInflater(outputChunkSize: max(chunkSize, 4096)) }
        }
        guard let gzip = inflater else { return try take(chunk) }
        guard extra == nil else { return }
        do {
          try gzip.feed(chunk) { output in
            // Output arrives before the member that produced it is counted as completed.
            if gzip.membersCompleted == 0 { try take(output) } else { throw SecondMember() }
          }
        } catch is SecondMember {
          extra = (gzip.firstMemberEnd ?? gzip.compressedBytesIn, "a second gzip member")
        } catch let error as GzipError {
          guard gzip.membersCompleted > 0 else {
            throw FileReadError(offset: error.offset, reason: "gzip: \(error.reason)")
          }
          extra = (error.offset, "bytes that are not gzip")
        }
      }
    } catch let error as FileReadError {
      throw error
    } catch is OverLimit {
      throw FileReadError(offset: nil, reason: "larger than \(contentLimit) bytes uncompressed", overLimit: true)
    } catch let error as ArchiveError {
      throw FileReadError(offset: error.offset, reason: error.reason)
    } catch {
      throw FileReadError(offset: nil, reason: "\(error)")
    }
    if let gzip = inflater, extra == nil {
      do { try gzip.finish() } catch let error as GzipError {
        throw FileReadError(offset: error.offset, reason: "gzip: \(error.reason)")
      } catch {
        throw FileReadError(offset: nil, reason: "\(error)")
      }
      // An empty second member produces no output, so only the count shows it.
      if gzip.membersCompleted > 1 { extra = (gzip.firstMemberEnd ?? 0, "a second gzip member") }
    }
    return FileHash(
      sha256: hasher.finalizeHex(), extraData: extra, content: content, bytesRead: bytesRead,
      bytesInflated: hasher.byteCount)
  }

  struct SecondMember: Error {}
  struct OverLimit: Error {}
}
