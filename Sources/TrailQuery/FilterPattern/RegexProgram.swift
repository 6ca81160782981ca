// The one regex matcher of TrailQuery: a Pike VM (Thompson's construction, one thread per
// program position) that runs in time linear in the text whatever the expression, so a hostile
// pattern cannot stall a scan. CloudWatch's `%regex%` (PatternRegex) and Sigma's `|re`
// (SigmaRegex) both compile to this program; only their parsers differ.

/// A compiled regex program, searched for anywhere in a text.
struct RegexProgram: Hashable, Sendable {
  enum Instruction: Hashable, Sendable {
    /// One scalar from the set (`folding`: also when its other case is in it).
    case consume(ScalarSet, folding: Bool)
    case split(Int, Int)
    case jump(Int)
    case check(Assertion)
    case match
  }

  /// Zero-width conditions on the position.
  enum Assertion: Hashable, Sendable {
    /// The start of the text (`^` without `m`, `\A`).
    case textStart
    /// The end of the text (`\z`, CloudWatch's `$`).
    case textEnd
    /// The end of the text or before a final newline (PCRE's `$` without `m`, `\Z`).
    case textEndOrFinalNewline
    /// After a newline or at the start (`^` with `m`).
    case lineStart
    /// Before a newline or at the end (`$` with `m`).
    case lineEnd
    /// `\b` and `\B`: a word scalar on exactly one side (ASCII `\w`).
    case wordBoundary
    case notWordBoundary
  }

  var instructions: [Instruction] = []

  init(instructions: [Instruction]) { self.instructions = instructions }

  /// The program of `tree`, or nil when it has more than `limit` instructions (counted
  /// repetitions are expanded).
  init?(_ tree: RegexTree, limit: Int) {
    var compiler = RegexCompiler(limit: limit)
    compiler.emit(tree)
    compiler.program.append(.match)
    guard compiler.program.count <= limit else { return nil }
    instructions = compiler.program
  }

  /// Whether the program matches somewhere in `scalars`.
  func matches(_ scalars: [UInt32]) -> Bool {
    let program = instructions
    var marks = [Int](repeating: 0, count: program.count)
    var current: [Int] = []
    var next: [Int] = []
    var stack: [Int] = []
    var generation = 1
    var position = 0
    while true {
      // Unanchored search: a new thread starts at every position.
      if addThread(0, position, scalars, generation, &marks, &current, &stack) { return true }
      if position == scalars.count { break }
      let scalar = scalars[position]
      generation += 1
      next.removeAll(keepingCapacity: true)
      for pc in current {
        guard case .consume(let set, let folding) = program[pc] else { continue }
        if set.contains(scalar) || (folding && set.containsOtherCase(of: scalar)) {
          if addThread(pc + 1, position + 1, scalars, generation, &marks, &next, &stack) { return true }
        }
      }
      swap(&current, &next)
      position += 1
    }
    return false
  }

  /// Adds `start` and every instruction reachable from it without consuming input to `list`;
  /// true when a match is reached.
  private func addThread(
    _ start: Int, _ position: Int, _ scalars: [UInt32], _ generation: Int,
    _ marks: inout [Int], _ list: inout [Int], _ stack: inout [Int]
  ) -> Bool {
    stack.append(start)
    while let pc = stack.popLast() {
      guard marks[pc] != generation else { continue }
      marks[pc] = generation
      switch instructions[pc] {
      case .match:
        stack.removeAll(keepingCapacity: true)
        return true
      case .consume:
        list.append(pc)
      case .jump(let target):
        stack.append(target)
      case .split(let a, let b):
        stack.append(b)
        stack.append(a)
      case .check(let assertion):
        if Self.holds(assertion, at: position, in: scalars) { stack.append(pc + 1) }
      }
    }
    return false
  }

  static func holds(_ assertion: Assertion, at position: Int, in scalars: [UInt32]) -> Bool {
    let newline: UInt32 = 0x0A
    switch assertion {
    case .textStart: return position == 0
    case .textEnd: return position == scalars.count
    case .textEndOrFinalNewline:
      return position == scalars.count || (position == scalars.count - 1 && scalars[position] == newline)
    case .lineStart: return position == 0 || scalars[position - 1] == newline
    case .lineEnd: return position == scalars.count || scalars[position] == newline
    case .wordBoundary, .notWordBoundary:
      let before = position > 0 && ScalarSet.isWord(scalars[position - 1])
      let after = position < scalars.count && ScalarSet.isWord(scalars[position])
      return (before != after) == (assertion == .wordBoundary)
    }
  }
}

extension ScalarSet {
  static func isWord(_ scalar: UInt32) -> Bool {
    (0x30...0x39).contains(scalar) || (0x41...0x5A).contains(scalar) || (0x61...0x7A).contains(scalar)
      || scalar == 0x5F
  }

  /// Whether the lower- or upper-case form of `scalar` (simple, one-scalar mappings) is in the set.
  func containsOtherCase(of scalar: UInt32) -> Bool {
    if scalar < 0x80 {
      if (0x41...0x5A).contains(scalar) { return contains(scalar + 0x20) }
      if (0x61...0x7A).contains(scalar) { return contains(scalar - 0x20) }
      return false
    }
    guard let unicode = Unicode.Scalar(scalar) else { return false }
    for mapping in [unicode.properties.lowercaseMapping, unicode.properties.uppercaseMapping] {
      let scalars = mapping.unicodeScalars
      if scalars.count == 1, let other = scalars.first?.value, other != scalar, contains(other) { return true }
    }
    return false
  }
}

/// A parsed regex.
indirect enum RegexTree {
  case set(ScalarSet, folding: Bool)
  case check(RegexProgram.Assertion)
  case sequence([RegexTree])
  case alternatives([RegexTree])
  case repeated(RegexTree, min: Int, max: Int?)
}

/// Turns a regex tree into a Pike VM program.
struct RegexCompiler {
  var program: [RegexProgram.Instruction] = []
  /// Compilation stops once the program is larger than this.
  let limit: Int

  var full: Bool { program.count > limit }

  mutating func emit(_ tree: RegexTree) {
    guard !full else { return }
    switch tree {
    case .set(let set, let folding):
      program.append(.consume(set, folding: folding))
    case .check(let assertion):
      program.append(.check(assertion))
    case .sequence(let items):
      for item in items { emit(item) }
    case .alternatives(let branches):
      var jumpsToEnd: [Int] = []
      for (n, branch) in branches.enumerated() {
        if n < branches.count - 1 {
          let split = program.count
          program.append(.split(0, 0))  // patched below
          emit(branch)
          jumpsToEnd.append(program.count)
          program.append(.jump(0))  // patched below
          program[split] = .split(split + 1, program.count)
        } else {
          emit(branch)
        }
        if full { return }
      }
      for jump in jumpsToEnd { program[jump] = .jump(program.count) }
    case .repeated(let body, let min, let max):
      for _ in 0..<min where !full { emit(body) }
      if let max {
        // Each optional copy may be skipped, which skips the rest too.
        var splits: [Int] = []
        for _ in min..<max where !full {
          splits.append(program.count)
          program.append(.split(0, 0))
          emit(body)
        }
        for split in splits { program[split] = .split(split + 1, program.count) }
      } else {
        let loop = program.count
        program.append(.split(0, 0))
        emit(body)
        program.append(.jump(loop))
        program[loop] = .split(loop + 1, program.count)
      }
    }
  }
}
