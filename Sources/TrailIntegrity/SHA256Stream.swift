// SHA-256 taken as bytes arrive: a log file is hashed while it inflates (FileHash) and is never
// held whole; DigestSignature's hex hash of a buffer goes through it too.
import Crypto

/// SHA-256 over bytes that arrive in pieces (a log file as it inflates). Not Sendable: swift-crypto's
/// `SHA256` is not on Linux; keep one per file being hashed.
package struct SHA256Stream {
  private var hasher = SHA256()
  /// How many bytes went in so far.
  package private(set) var byteCount = 0

  package init() {}

  package mutating func update(_ buffer: UnsafeRawBufferPointer) {
    hasher.update(bufferPointer: buffer)
    byteCount += buffer.count
  }

  package mutating func update(_ bytes: [UInt8]) {
    bytes.withUnsafeBytes { update($0) }
  }

  /// Lower-case hex of the hash of everything so far; the stream stays usable (a copy is finalized).
  package func finalizeHex() -> String {
    Hex.encode(hasher.finalize())
  }
}
