// The one regex matcher of TrailQuery: a Pike VM (Thompson's construction, one thread per
// program position) that runs in time linear in the text whatever the expression, so a hostile
// pattern cannot stall a scan. CloudWatch's `%regex%` (PatternRegex) and Sigma's `|re`
// (SigmaRegex) both compile to this program; only their parsers differ.

/// A compiled regex program, searched for anywhere in a text.
///
/// Cost: a counted repetition of one character class (`a{0,1000}`, `\\d{2,40}`) is one `.run`
/// instruction, not unrolled: it remembers the positions it was entered at within its current
/// run of matching scalars (at most `max + 1` of them, in a ring) and lets a thread out at a
/// position `p` when one entry `e` has `min <= p - e <= max`. So each instruction is visited at
/// most once per position when threads are added, and each consuming or running instruction once
/// more when the scalar is read and once when runs are let out: a match costs at most
/// 3 × instructions × (scalars + 1) steps (`matches(_:steps:)` counts them for the tests).
struct RegexProgram: Hashable, Sendable {
  enum Instruction: Hashable, Sendable {
    /// One scalar from the set (`folding`: also when its other case is in it).
    case consume(ScalarSet, folding: Bool)
    /// Between `min` and `max` (nil: no bound) scalars from the set; `slot` is its run state.
    case run(ScalarSet, folding: Bool, min: Int, max: Int?, slot: Int)
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
  /// Where each run's ring of entry positions starts in the one buffer of all rings, and its
  /// size (`max + 1`, or 1 without a bound: only the oldest entry matters then).
  var ringOffsets: [Int] = []
  var ringSizes: [Int] = []
  /// Whether a thread started after the first position can never match (every way from the
  /// start passes `textStart`), so the search stops once no thread is left.
  var anchoredAtStart = false

  /// The most ring entries all runs of a program may hold together (8 MiB of positions).
  static let maxRingEntries = 1 << 20

  init(instructions: [Instruction]) {
    self.instructions = instructions
    for instruction in instructions {
      guard case .run(_, _, _, let max, _) = instruction else { continue }
      ringOffsets.append(ringSizes.reduce(0, +))
      ringSizes.append(max.map { $0 + 1 } ?? 1)
    }
    anchoredAtStart = !Self.reachesInputWithoutStart(instructions)
  }

  /// The program of `tree`, or nil when it has more than `limit` instructions (repetitions of
  /// anything but one class are expanded) or its runs would hold more than `maxRingEntries`.
  init?(_ tree: RegexTree, limit: Int) {
    var compiler = RegexCompiler(limit: limit)
    compiler.emit(tree)
    compiler.program.append(.match)
    guard compiler.program.count <= limit else { return nil }
    self.init(instructions: compiler.program)
    guard ringSizes.reduce(0, +) <= Self.maxRingEntries else { return nil }
  }

  /// Whether anything but a failed `textStart` stands between the start and a consuming
  /// instruction or a match, when the position is not the text's start.
  private static func reachesInputWithoutStart(_ program: [Instruction]) -> Bool {
    var seen = Set<Int>()
    var stack = [0]
    while let pc = stack.popLast() {
      guard seen.insert(pc).inserted else { continue }
      switch program[pc] {
      case .consume, .run, .match: return true
      case .jump(let target): stack.append(target)
      case .split(let a, let b): stack += [a, b]
      case .check(let assertion): if assertion != .textStart { stack.append(pc + 1) }
      }
    }
    return false
  }

  /// Whether the program matches somewhere in `scalars`.
  func matches(_ scalars: [UInt32]) -> Bool {
    var steps = 0
    return matches(scalars, steps: &steps)
  }

  /// Whether the program matches somewhere in `scalars`; adds the work done to `steps` (at most
  /// 3 × instructions × (scalars + 1), see the type's comment).
  func matches(_ scalars: [UInt32], steps: inout Int) -> Bool {
    var search = Search(program: self, scalars: scalars)
    defer { steps += search.steps }
    return search.run()
  }
}

/// The state of one search: the Pike VM's thread lists, and each run's ring of entries.
private struct Search {
  let program: [RegexProgram.Instruction]
  let scalars: [UInt32]
  let ringOffsets: [Int]
  let ringSizes: [Int]
  let anchoredAtStart: Bool
  var marks: [Int]
  var current: [Int] = []
  var next: [Int] = []
  var stack: [Int] = []
  var generation = 1
  var steps = 0
  /// Entry positions of every run, each in its own ring of `ringSizes[slot]`.
  var rings: [Int]
  var heads: [Int]
  var counts: [Int]
  /// The program counters of runs holding entries.
  var live: [Int] = []
  var isLive: [Bool]

  init(program: RegexProgram, scalars: [UInt32]) {
    self.program = program.instructions
    self.scalars = scalars
    ringOffsets = program.ringOffsets
    ringSizes = program.ringSizes
    anchoredAtStart = program.anchoredAtStart
    marks = [Int](repeating: 0, count: program.instructions.count)
    let total = program.ringSizes.reduce(0, +)
    // Ring slots are written before they are read, so they need no initial value.
    rings = [Int](unsafeUninitializedCapacity: total) { _, count in count = total }
    heads = [Int](repeating: 0, count: program.ringSizes.count)
    counts = heads
    isLive = [Bool](repeating: false, count: program.instructions.count)
  }

  mutating func run() -> Bool {
    var position = 0
    while true {
      // Runs let out the threads that have read enough of their class by now.
      var index = 0
      while index < live.count {
        let pc = live[index]
        steps += 1
        if exits(pc, at: position), addThread(pc + 1, position, toNext: false) { return true }
        index += 1
      }
      live.removeAll { !isLive[$0] }
      // Unanchored search: a new thread starts at every position.
      if position == 0 || !anchoredAtStart {
        if addThread(0, position, toNext: false) { return true }
      } else if current.isEmpty && live.isEmpty {
        return false
      }
      if position == scalars.count { return false }
      let scalar = scalars[position]
      // A run whose class does not hold this scalar loses every entry; the others keep them.
      for pc in live {
        steps += 1
        guard case .run(let set, let folding, _, _, let slot) = program[pc] else { continue }
        if !(set.contains(scalar) || (folding && set.containsOtherCase(of: scalar))) {
          counts[slot] = 0
          isLive[pc] = false
        }
      }
      live.removeAll { !isLive[$0] }
      generation += 1
      next.removeAll(keepingCapacity: true)
      for pc in current {  // `current` is not changed below: threads go to `next`.
        steps += 1
        guard case .consume(let set, let folding) = program[pc] else { continue }
        if set.contains(scalar) || (folding && set.containsOtherCase(of: scalar)) {
          if addThread(pc + 1, position + 1, toNext: true) { return true }
        }
      }
      swap(&current, &next)
      position += 1
    }
  }

  /// Whether the run at `pc` has an entry `e` with `min <= position - e <= max`, after dropping
  /// the entries too old to ever leave.
  mutating func exits(_ pc: Int, at position: Int) -> Bool {
    guard case .run(_, _, let min, let max, let slot) = program[pc] else { return false }
    let size = ringSizes[slot]
    let base = ringOffsets[slot]
    if let max {
      while counts[slot] > 0 && rings[base + heads[slot]] < position - max {
        heads[slot] = (heads[slot] + 1) % size
        counts[slot] -= 1
      }
      if counts[slot] == 0 {
        isLive[pc] = false
        return false
      }
    }
    return counts[slot] > 0 && rings[base + heads[slot]] <= position - min
  }

  /// Records an entry into the run at `pc` at `position` (positions only grow, so the ring stays
  /// sorted; without a bound only the oldest entry is kept).
  mutating func enter(_ pc: Int, _ position: Int, _ max: Int?, _ slot: Int) {
    let size = ringSizes[slot]
    let base = ringOffsets[slot]
    if counts[slot] > 0 {
      let newest = rings[base + (heads[slot] + counts[slot] - 1) % size]
      if newest == position || max == nil { return }
      // Full only when the oldest is too old to leave (entries are distinct positions within
      // max + 1 of each other once dropped): make room by dropping it.
      if counts[slot] == size {
        heads[slot] = (heads[slot] + 1) % size
        counts[slot] -= 1
      }
    } else {
      heads[slot] = 0
    }
    rings[base + (heads[slot] + counts[slot]) % size] = position
    counts[slot] += 1
    if !isLive[pc] {
      isLive[pc] = true
      live.append(pc)
    }
  }

  /// Adds `start` and every instruction reachable from it without consuming input to the list
  /// of `position` (`next` when `toNext`, else `current`); true when a match is reached.
  mutating func addThread(_ start: Int, _ position: Int, toNext: Bool) -> Bool {
    stack.append(start)
    while let pc = stack.popLast() {
      guard marks[pc] != generation else { continue }
      marks[pc] = generation
      steps += 1
      switch program[pc] {
      case .match:
        stack.removeAll(keepingCapacity: true)
        return true
      case .consume:
        if toNext { next.append(pc) } else { current.append(pc) }
      case .run(_, _, let min, let max, let slot):
        enter(pc, position, max, slot)
        if min == 0 { stack.append(pc + 1) }
      case .jump(let target):
        stack.append(target)
      case .split(let a, let b):
        stack.append(b)
        stack.append(a)
      case .check(let assertion):
        if RegexProgram.holds(assertion, at: position, in: scalars) { stack.append(pc + 1) }
      }
    }
    return false
  }
}

extension RegexProgram {
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
  /// Runs emitted so far (each gets its own ring slot).
  var runs = 0
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
    case .repeated(.set(let set, let folding), let min, let max) where min > 1 || (max ?? 0) > 1:
      // A counted repetition of one class: one instruction, whatever the counts.
      program.append(.run(set, folding: folding, min: min, max: max, slot: runs))
      runs += 1
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
