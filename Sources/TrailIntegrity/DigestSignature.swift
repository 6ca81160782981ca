// How CloudTrail signs a digest (cloudtrail-formats §3.3): the four-line signing string, its
// RSASSA-PKCS1-v1_5 SHA-256 check against a saved public key, and the SHA-256 hex that both
// the signing string and the log-file hashes (§3.4) are compared in (through SHA256Stream).
import Crypto
import _CryptoExtras

/// The outcome of checking one digest signature.
package enum SignatureVerdict: Equatable, Sendable {
  case valid
  /// Well-formed, but not made by this key over this signing string.
  case invalid
  /// The signature text is not hex, or not as long as the key's modulus; says why.
  case malformedSignature(String)
}

package enum DigestSignature {
  /// The data-signing string:
  /// `<digestEndTime>\n<digestS3Bucket>/<digestS3Object>\n<sha256 hex>\n<previousDigestSignature or "null">`,
  /// no trailing newline. `digestEndTime` is used verbatim; the hash is the lower-case hex
  /// SHA-256 of the digest's uncompressed bytes.
  package static func signingString(
    digestEndTime: String, bucket: String, object: String,
    digestSHA256Hex: String, previousSignature: String?
  ) -> String {
    "\(digestEndTime)\n\(bucket)/\(object)\n\(digestSHA256Hex)\n\(previousSignature ?? "null")"
  }

  /// The signing string of `digest`, whose uncompressed bytes hash to `digestSHA256Hex`.
  package static func signingString(for digest: Digest, digestSHA256Hex: String) -> String {
    signingString(
      digestEndTime: digest.digestEndTime, bucket: digest.digestS3Bucket,
      object: digest.digestS3Object, digestSHA256Hex: digestSHA256Hex,
      previousSignature: digest.previousDigestSignature)
  }

  /// Checks hex `signatureHex` (either case) as an RSASSA-PKCS1-v1_5 SHA-256 signature
  /// ("SHA256withRSA") of the UTF-8 `signingString` by `key`.
  ///
  /// Empty, odd-length or non-hex text, and a signature whose length differs from the key's
  /// modulus, are `.malformedSignature`; any other mismatch is `.invalid`.
  package static func verify(signatureHex: String, signingString: String, key: PublicKey) -> SignatureVerdict {
    guard !signatureHex.isEmpty else { return .malformedSignature("empty signature") }
    guard let bytes = Hex.decode(signatureHex) else {
      if signatureHex.utf8.count % 2 != 0 {
        return .malformedSignature("odd number of hex digits (\(signatureHex.utf8.count))")
      }
      let bad = signatureHex.first { !$0.isASCII || !$0.isHexDigit } ?? "?"
      return .malformedSignature("not hex (character \(bad.debugDescription))")
    }
    let modulusBytes = (key.keySizeInBits + 7) / 8
    guard bytes.count == modulusBytes else {
      return .malformedSignature("\(bytes.count) bytes; a \(key.keySizeInBits)-bit key signs \(modulusBytes)")
    }
    let signature = _RSA.Signing.RSASignature(rawRepresentation: bytes)
    let valid = key.rsa.isValidSignature(signature, for: Array(signingString.utf8), padding: .insecurePKCS1v1_5)
    return valid ? .valid : .invalid
  }

  /// Lower-case hex SHA-256 of `bytes`.
  package static func sha256Hex(_ bytes: [UInt8]) -> String {
    Hex.encode(SHA256.hash(data: bytes))
  }

  /// Lower-case hex SHA-256 of the bytes in `buffer`.
  package static func sha256Hex(_ buffer: UnsafeRawBufferPointer) -> String {
    var stream = SHA256Stream()
    stream.update(buffer)
    return stream.finalizeHex()
  }
}
