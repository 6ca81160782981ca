// Runs the record framer over a list of chunks and collects what it produced, so streaming
// tests can compare results across different ways of cutting the same input.
import TrailJSON

/// Everything a framer run produced.
public struct FramedOutput: Equatable {
  public var records: [[UInt8]] = []
  public var offsets: [Int] = []
  public var recordErrors: [JSONError] = []
  public var fatal: JSONError?

  public init() {}
}

public enum FramerHarness {
  public static func frame(_ chunks: [[UInt8]], limits: JSONLimits = .default) -> FramedOutput {
    var framer = RecordFramer(limits: limits)
    var out = FramedOutput()
    do {
      for chunk in chunks {
        try chunk.withUnsafeBytes { raw in
          try framer.feed(
            raw,
            onRecord: { record in
              out.records.append(Array(record.bytes))
              out.offsets.append(record.offset)
            }, onRecordError: { out.recordErrors.append($0) })
        }
      }
      try framer.finish(
        onRecord: { record in
          out.records.append(Array(record.bytes))
          out.offsets.append(record.offset)
        }, onRecordError: { out.recordErrors.append($0) })
    } catch let error as JSONError {
      out.fatal = error
    } catch {
      fatalError("unexpected error \(error)")
    }
    return out
  }

  public static func frame(_ text: String, limits: JSONLimits = .default) -> FramedOutput {
    frame([Array(text.utf8)], limits: limits)
  }
}
