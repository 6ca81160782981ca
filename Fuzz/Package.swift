// swift-tools-version: 6.1
// libFuzzer harnesses for trail-scan's hostile-input surfaces (JSON parser, record framer, block
// scanner, the `--where` parser, the digest reader, the rule-file loader, gzip inflate). A package of
// its own so the main build never compiles them; .ci/run builds them (so they keep compiling) and
// scripts/fuzz.sh runs them with the sanitizer flags
// (docs/robustness.md has the results).
import PackageDescription

let trail = "trail-scan"

let package = Package(
  name: "trail-scan-fuzz",
  dependencies: [
    .package(name: "trail-scan", path: "..")
  ],
  targets: [
    // Declares libFuzzer's driver entry point for the targets' main.swift.
    .target(name: "FuzzerDriver"),

    // Strict parser, tape walk, compaction round trip, Codable decoding of the event model.
    .executableTarget(
      name: "fuzz-json",
      dependencies: [
        "FuzzerDriver",
        .product(name: "TrailJSON", package: trail),
        .product(name: "TrailModel", package: trail),
        .product(name: "TrailEvent", package: trail),
      ]),
    // Record framer: whole input against the same input cut into chunks, and against the parser.
    .executableTarget(
      name: "fuzz-framer",
      dependencies: [
        "FuzzerDriver",
        .product(name: "TrailJSON", package: trail),
      ]),
    // The block parser and framer against the byte-by-byte loops (ScannerDifferential).
    .executableTarget(
      name: "fuzz-scanner",
      dependencies: [
        "FuzzerDriver",
        .product(name: "TrailJSON", package: trail),
      ]),
    // Digest files (`validate`): the hand-written reader against Codable, the size cap.
    .executableTarget(
      name: "fuzz-digest",
      dependencies: [
        "FuzzerDriver",
        .product(name: "TrailJSON", package: trail),
        .product(name: "TrailIntegrity", package: trail),
      ]),
    // gzip inflate: ISA-L against zlib (bytes out, errors and offsets), however the input is cut.
    .executableTarget(
      name: "fuzz-gzip",
      dependencies: [
        "FuzzerDriver",
        .product(name: "TrailGzip", package: trail),
      ]),
    // `--where` filter patterns: parse, evaluate on fixed events, render errors.
    .executableTarget(
      name: "fuzz-where",
      dependencies: [
        "FuzzerDriver",
        .product(name: "TrailJSON", package: trail),
        .product(name: "TrailEvent", package: trail),
        .product(name: "TrailQuery", package: trail),
      ]),
    // Rule files: libyaml events, alias expansion limits, Yams, rule checks (RuleDocumentSummary).
    .executableTarget(
      name: "fuzz-rules",
      dependencies: [
        "FuzzerDriver",
        .product(name: "TrailCheck", package: trail),
      ]),
  ],
  swiftLanguageModes: [.v6]
)
