// What the command needs to know about the terminal: whether stdout is one (table output and
// per-line flushing by default) and how wide it is (tables fit it).
#if canImport(Glibc)
  import Glibc
#endif

enum Terminal {
  static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

  /// Columns of the terminal on stdout: `COLUMNS` when set, else the window size; nil when
  /// stdout is not a terminal (tables are then not cut).
  static var width: Int? {
    if let columns = getenv("COLUMNS").map({ String(cString: $0) }), let n = Int(columns), n > 0 { return n }
    guard stdoutIsTerminal else { return nil }
    var size = winsize()
    if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 { return Int(size.ws_col) }
    return 80
  }
}
