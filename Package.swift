// swift-tools-version: 6.1
// trail-scan: an offline analyzer of AWS CloudTrail log archives.
// Modules flow one way: archive → bytes → records → events → predicate → sink
// (docs/architecture.md describes each one and why it is separate).
import PackageDescription

let package = Package(
  name: "trail-scan",
  products: [
    .executable(name: "trail-scan", targets: ["trail-scan"]),
    // The library products are the public API: the modules other packages may import (Fuzz/
    // does). Every other module declares what the package shares as `package`, not `public`.
    .library(name: "TrailJSON", targets: ["TrailJSON"]),
    .library(name: "TrailTime", targets: ["TrailTime"]),
    .library(name: "TrailModel", targets: ["TrailModel"]),
    .library(name: "TrailEvent", targets: ["TrailEvent"]),
    .library(name: "TrailQuery", targets: ["TrailQuery"]),
    // The digest reader is public for the fuzz target; the validator stays `package`.
    .library(name: "TrailIntegrity", targets: ["TrailIntegrity"]),
    // For Fuzz/'s rule-loader target only: its one public declaration is RuleDocumentSummary.
    .library(name: "TrailCheck", targets: ["TrailCheck"]),
    // The streaming inflater is public for the fuzz target that compares its two engines.
    .library(name: "TrailGzip", targets: ["TrailGzip"]),
  ],
  // ISAL (on by default): inflate gzip with ISA-L, about twice as fast as zlib here; built with
  // `--disable-default-traits`, trail-scan inflates with zlib alone (platforms without ISA-L).
  traits: [
    .trait(name: "ISAL", description: "Inflate gzip with ISA-L (Debian's libisal-dev) instead of zlib"),
    .default(enabledTraits: ["ISAL"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    // Rule files are YAML (issue 6); Yams gives the line of every node for error messages.
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    // Digest signatures (issue 7): SHA-256, and RSA PKCS#1 v1.5 verification in _CryptoExtras.
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
  ],
  targets: [
    .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
    // The event store (issue 19): the system SQLite, and zstd for its compressed records.
    .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
    .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
    .systemLibrary(name: "CISAL", pkgConfig: "libisal", providers: [.apt(["libisal-dev"])]),

    // Libraries, leaf first.
    // The JSON layer keeps per-scan state in classes used by one thread at a time; dynamic
    // exclusivity checks on them cost about a tenth of a scan (callgrind, docs/performance.md).
    .target(
      name: "TrailJSON",
      swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]),
    .target(name: "TrailTime"),
    // zlib always: it compresses (fixtures, tests), is the fallback engine, and replays damaged
    // members for ISA-L so both engines report errors alike.
    .target(name: "TrailGzip", dependencies: ["CZlib", .target(name: "CISAL", condition: .when(traits: ["ISAL"]))]),
    .target(name: "TrailModel", dependencies: ["TrailJSON", "TrailTime"]),
    // The event layer: containers, the one field and path resolver, the derived fields.
    .target(name: "TrailEvent", dependencies: ["TrailModel", "TrailJSON", "TrailTime"]),
    .target(name: "TrailQuery", dependencies: ["TrailEvent", "TrailModel", "TrailJSON", "TrailTime"]),
    .target(
      name: "TrailOutput",
      dependencies: ["TrailEvent", "TrailModel", "TrailQuery", "TrailIdentity", "TrailJSON", "TrailTime"]),
    .target(name: "TrailArchive", dependencies: ["TrailGzip", "TrailTime"]),
    // Log integrity: digest files, their chain and signatures, log file hashes (`validate`).
    .target(
      name: "TrailIntegrity",
      dependencies: [
        "TrailArchive", "TrailGzip", "TrailJSON", "TrailTime",
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "_CryptoExtras", package: "swift-crypto"),
      ]),
    // The reports `check` and `validate` share (table, JSON, JSON Lines, SARIF, JUnit) and the
    // report types they render; formatting only, no rule evaluation and no validation.
    .target(name: "TrailReport", dependencies: ["TrailIntegrity", "TrailOutput", "TrailJSON", "TrailTime"]),
    // Compliance rules: YAML rule files, built-in packs, one-pass evaluation into report types.
    .target(
      name: "TrailCheck",
      dependencies: [
        "TrailEvent", "TrailQuery", "TrailReport", "TrailArchive", "TrailTime",
        .product(name: "Yams", package: "Yams"),
      ]),
    // Credential chains, `origin`, `trace` and least-privilege `policy` (docs/identity.md).
    .target(name: "TrailIdentity", dependencies: ["TrailEvent", "TrailQuery", "TrailJSON", "TrailTime"]),
    // The same plan as SQL for engines that scale out (Spark, Athena): docs/scale-out.md.
    .target(name: "TrailSQL", dependencies: ["TrailQuery", "TrailEvent", "TrailTime"]),
    .target(
      name: "TrailScan",
      dependencies: [
        "TrailArchive", "TrailJSON", "TrailEvent", "TrailQuery", "TrailTime",
      ]),
    // The event store: `ingest` into SQLite, stored events fed back to the engine, `sql`.
    .target(
      name: "TrailStore",
      dependencies: [
        "CSQLite", "CZstd", "TrailScan", "TrailArchive", "TrailEvent", "TrailQuery", "TrailIdentity", "TrailJSON",
        "TrailTime",
        .product(name: "Crypto", package: "swift-crypto"),
      ]),

    // The command line: argument parsing, plan resolution, messages, exit codes.
    .executableTarget(
      name: "trail-scan",
      dependencies: [
        "TrailScan", "TrailEvent", "TrailOutput", "TrailQuery", "TrailTime", "TrailCheck", "TrailIntegrity",
        "TrailReport", "TrailArchive", "TrailIdentity", "TrailStore", "TrailSQL",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    // Deterministic generator of synthetic archives (fixtures, benchmarks).
    .executableTarget(name: "trail-fixtures", dependencies: ["TrailGzip", "TrailTime", "TrailArchive"]),

    // Test support lives in Tests/, like swift-collections' _CollectionsTestSupport.
    .target(
      name: "TrailTestSupport",
      dependencies: [
        "TrailJSON", "TrailGzip",
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "_CryptoExtras", package: "swift-crypto"),
      ],
      path: "Tests/TrailTestSupport"),

    .testTarget(name: "TrailJSONTests", dependencies: ["TrailJSON", "TrailTestSupport"]),
    .testTarget(name: "TrailTimeTests", dependencies: ["TrailTime", "TrailTestSupport"]),
    .testTarget(name: "TrailGzipTests", dependencies: ["TrailGzip", "TrailTestSupport"]),
    .testTarget(name: "TrailModelTests", dependencies: ["TrailModel", "TrailJSON", "TrailTime", "TrailTestSupport"]),
    .testTarget(
      name: "TrailEventTests", dependencies: ["TrailEvent", "TrailModel", "TrailJSON", "TrailTime", "TrailTestSupport"]),
    .testTarget(
      name: "TrailQueryTests",
      dependencies: ["TrailQuery", "TrailEvent", "TrailModel", "TrailJSON", "TrailTime", "TrailTestSupport"]),
    .testTarget(
      name: "TrailArchiveTests", dependencies: ["TrailArchive", "TrailGzip", "TrailTime", "TrailTestSupport"]),
    .testTarget(
      name: "TrailScanTests",
      dependencies: [
        "TrailScan", "TrailEvent", "TrailQuery", "TrailModel", "TrailJSON", "TrailTime", "TrailArchive", "TrailOutput",
        "TrailTestSupport",
      ]),
    .testTarget(
      name: "TrailCheckTests",
      dependencies: [
        "TrailCheck", "TrailEvent", "TrailReport", "TrailQuery", "TrailModel", "TrailJSON", "TrailTime",
        "TrailTestSupport",
      ]),
    .testTarget(name: "TrailOutputTests", dependencies: ["TrailOutput"]),
    .testTarget(name: "TrailReportTests", dependencies: ["TrailReport", "TrailTime", "TrailTestSupport"]),
    .testTarget(
      name: "TrailIdentityTests",
      dependencies: ["TrailIdentity", "TrailEvent", "TrailJSON", "TrailTime", "TrailTestSupport"]),
    .testTarget(
      name: "TrailIntegrityTests", dependencies: ["TrailIntegrity", "TrailGzip", "TrailTime", "TrailTestSupport"]),
    // The SQL of --emit against the local engine, on real Spark and parsed as Trino (python).
    .testTarget(name: "TrailSQLTests", dependencies: ["trail-scan", "TrailTestSupport"]),
    .testTarget(
      name: "TrailScanCLITests",
      dependencies: [
        "trail-scan", "TrailTestSupport", "TrailJSON", "TrailGzip",
        // The CI integrations' YAML (action.yml, the GitLab template) is read as the runners do.
        .product(name: "Yams", package: "Yams"),
      ],
      exclude: ["Snapshots"]),
  ],
  swiftLanguageModes: [.v6]
)
