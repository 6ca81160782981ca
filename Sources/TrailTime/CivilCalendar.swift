// Day arithmetic on the proleptic Gregorian calendar, without Foundation: Howard Hinnant's
// days_from_civil / civil_from_days (http://howardhinnant.github.io/date_algorithms.html).
// Everything else in TrailTime converts between seconds and calendar fields through here.

/// Pure calendar arithmetic for UTC; days are counted from 1970-01-01 (day 0), negative before.
enum CivilCalendar {
  static let secondsPerDay: Int64 = 86_400

  /// Whether `year` has a February 29 (divisible by 4, except centuries not divisible by 400).
  @inline(__always)
  static func isLeapYear(_ year: Int64) -> Bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
  }

  /// Number of days in `month` (1...12) of `year`.
  @inline(__always)
  static func daysInMonth(year: Int64, month: Int64) -> Int64 {
    switch month {
    case 2: return isLeapYear(year) ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  /// Days since 1970-01-01 of the date `year-month-day` (month 1...12, day 1...31; not checked).
  @inline(__always)
  static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400  // [0, 399]
    let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1  // [0, 365]
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy  // [0, 146096]
    return era * 146_097 + doe - 719_468
  }

  /// The date of the day `days` after 1970-01-01 (negative for earlier days).
  @inline(__always)
  static func civilFromDays(_ days: Int64) -> (year: Int64, month: Int64, day: Int64) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097  // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365  // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)  // [0, 365]
    let mp = (5 * doy + 2) / 153  // [0, 11]
    let day = doy - (153 * mp + 2) / 5 + 1  // [1, 31]
    let month = mp < 10 ? mp + 3 : mp - 9  // [1, 12]
    let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    return (year, month, day)
  }

  /// Splits seconds since the epoch into whole days (floored) and the second of that day.
  @inline(__always)
  static func split(_ seconds: Int64) -> (days: Int64, secondOfDay: Int64) {
    var (q, r) = seconds.quotientAndRemainder(dividingBy: secondsPerDay)
    if r < 0 {
      q -= 1
      r += secondsPerDay
    }
    return (q, r)
  }
}
