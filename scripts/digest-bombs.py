#!/usr/bin/env python3
"""Writes hostile CloudTrail digest files for validate's memory tests (generated, never committed).

Usage:
  digest-bombs.py inflate OUT MIB          a digest that inflates to MIB MiB (a JSON object
                                           padded with spaces: about 1000:1)
  digest-bombs.py entries OUT COUNT [dup]  a digest listing COUNT log files (distinct keys, or
                                           the same key COUNT times with `dup`), as real entries
                                           (about 330 bytes each uncompressed)
  digest-bombs.py compact OUT MIB          as many distinct, minimal entries as fit in MIB MiB

OUT is written gzip-compressed, streaming: the generator never holds the inflated text.
"""
import sys
import zlib

CHUNK = 1 << 20


def writer(path):
    out = open(path, "wb")
    z = zlib.compressobj(6, zlib.DEFLATED, 31)  # gzip wrapper

    def write(text):
        out.write(z.compress(text.encode()))

    def close():
        out.write(z.flush())
        out.close()

    return write, close


HEAD = (
    '{"awsAccountId":"111122223333","digestStartTime":"2024-05-14T00:00:00Z",'
    '"digestEndTime":"2024-05-14T01:00:00Z","digestS3Bucket":"trail-bucket",'
    '"digestS3Object":"AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2024/05/14/'
    '111122223333_CloudTrail-Digest_us-east-1_bomb_us-east-1_20240514T010000Z.json.gz",'
    '"digestPublicKeyFingerprint":"00000000000000000000000000000000",'
    '"digestSignatureAlgorithm":"SHA256withRSA","previousDigestSignature":null,"logFiles":['
)
HASH = "0" * 64


def entry(i, dup):
    n = 0 if dup else i
    return (
        '{"s3Bucket":"trail-bucket","s3Object":"AWSLogs/111122223333/CloudTrail/us-east-1/2024/05/14/'
        f'111122223333_CloudTrail_us-east-1_20240514T0005Z_{n:016d}.json.gz",'
        f'"hashValue":"{HASH}","hashAlgorithm":"SHA-256",'
        '"newestEventTime":"2024-05-14T00:04:59Z","oldestEventTime":"2024-05-14T00:00:00Z"}'
    )


def main(argv):
    if len(argv) < 4 or argv[1] not in ("inflate", "entries", "compact"):
        sys.exit(__doc__)
    kind, path, size = argv[1], argv[2], int(argv[3])
    write, close = writer(path)
    write(HEAD)
    if kind == "inflate":
        padding = " " * CHUNK
        for _ in range(size):
            write(padding)
    elif kind == "entries":
        dup = len(argv) > 4 and argv[4] == "dup"
        batch = []
        for i in range(size):
            batch.append(entry(i, dup))
            if len(batch) == 10000:
                write(("," if i >= 10000 else "") + ",".join(batch))
                batch = []
        if batch:
            write(("," if size > len(batch) else "") + ",".join(batch))
    else:
        limit = size * CHUNK - len(HEAD) - 2
        used = 0
        i = 0
        while True:
            text = ("," if i else "") + f'{{"s3Bucket":"b","s3Object":"AWSLogs/1/C/r/2024/05/14/{i}","hashValue":"{HASH}"}}'
            if used + len(text) > limit:
                break
            write(text)
            used += len(text)
            i += 1
    write("]}")
    close()


if __name__ == "__main__":
    main(sys.argv)
