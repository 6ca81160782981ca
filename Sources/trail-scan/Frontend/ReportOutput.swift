// Where `check` and `validate` write their reports: standard output, or with `--output FILE`
// the file (for a CI step to upload) and the table on standard output (for the CI log). A file
// that cannot be written is an error (exit 2); a closed pipe is a quiet end, as everywhere.
import TrailOutput

#if canImport(Glibc)
  import Glibc
#endif

enum ReportOutput {
  /// Calls `render` once for standard output and, with `output`, once more for the file first
  /// (`toFile` true: no terminal width, no colour).
  static func write(
    to output: String?, color: ColorChoice,
    render: (_ buffer: OutputBuffer, _ width: Int?, _ style: TableStyle, _ toFile: Bool) throws -> Void
  ) throws {
    do {
      if let output {
        let fd = Glibc.open(output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else {
          throw PlanError(
            "\(TerminalText.escape(output)): cannot write the report: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        do {
          try render(OutputBuffer(fd: fd), nil, .plain, true)
        } catch let error as OutputError {
          throw PlanError("\(TerminalText.escape(output)): \(error.message)")
        }
      }
      try render(OutputBuffer(), Terminal.width, color.style, false)
    } catch is OutputClosed {
      // A closed pipe: the verdict still comes from the exit status.
    }
  }
}
