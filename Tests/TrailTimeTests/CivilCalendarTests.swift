// Checks the calendar arithmetic under every other TrailTime feature: known instants, leap
// years, dates before 1970, and a day-by-day walk compared with a naive month-length table.

import Testing

@testable import TrailTime

@Suite struct CivilCalendarTests {
  @Test func knownInstants() {
    #expect(Timestamp(year: 1970, month: 1, day: 1)?.seconds == 0)
    #expect(Timestamp(year: 1969, month: 12, day: 31, hour: 23, minute: 59, second: 59)?.seconds == -1)
    #expect(Timestamp(year: 2000, month: 3, day: 1)?.seconds == 951_868_800)
    #expect(Timestamp(year: 2024, month: 2, day: 29)?.seconds == 1_709_164_800)
    #expect(Timestamp(year: 2024, month: 5, day: 14, hour: 9, minute: 12, second: 33)?.seconds == 1_715_677_953)
    #expect(Timestamp(year: 1900, month: 1, day: 1)?.seconds == -2_208_988_800)
    #expect(Timestamp(year: 0, month: 1, day: 1)?.seconds == -62_167_219_200)
    #expect(Timestamp(year: 9999, month: 12, day: 31, hour: 23, minute: 59, second: 59)?.seconds == 253_402_300_799)
    #expect(Timestamp(year: 2038, month: 1, day: 19, hour: 3, minute: 14, second: 8)?.seconds == 2_147_483_648)
  }

  @Test func leapYears() {
    #expect(CivilCalendar.isLeapYear(2000))
    #expect(CivilCalendar.isLeapYear(2024))
    #expect(!CivilCalendar.isLeapYear(1900))
    #expect(!CivilCalendar.isLeapYear(2023))
    #expect(!CivilCalendar.isLeapYear(2100))
    #expect(Timestamp(year: 2000, month: 2, day: 29) != nil)
    #expect(Timestamp(year: 2024, month: 2, day: 29) != nil)
    #expect(Timestamp(year: 1900, month: 2, day: 29) == nil)
    #expect(Timestamp(year: 2023, month: 2, day: 29) == nil)
    // The day after Feb 28 is Mar 1 in 1900, Feb 29 in 2000.
    let february28Of1900 = Timestamp(year: 1900, month: 2, day: 28)!
    #expect((february28Of1900 + TimeSpan(seconds: 86_400)).date == "1900-03-01")
    let february28Of2000 = Timestamp(year: 2000, month: 2, day: 28)!
    #expect((february28Of2000 + TimeSpan(seconds: 86_400)).date == "2000-02-29")
  }

  @Test func outOfRangeComponents() {
    #expect(Timestamp(year: 2024, month: 2, day: 30) == nil)
    #expect(Timestamp(year: 2024, month: 4, day: 31) == nil)
    #expect(Timestamp(year: 2024, month: 13, day: 1) == nil)
    #expect(Timestamp(year: 2024, month: 0, day: 1) == nil)
    #expect(Timestamp(year: 2024, month: 1, day: 0) == nil)
    #expect(Timestamp(year: 2024, month: 1, day: 1, hour: 24) == nil)
    #expect(Timestamp(year: 2024, month: 1, day: 1, minute: 60) == nil)
    #expect(Timestamp(year: 2024, month: 1, day: 1, second: 60) == nil)
    #expect(Timestamp(year: 2024, month: 1, day: 1, nanoseconds: 1_000_000_000) == nil)
    #expect(Timestamp(year: 2024, month: 1, day: 1, nanoseconds: -1) == nil)
    #expect(Timestamp(year: -1, month: 1, day: 1) == nil)
    #expect(Timestamp(year: 10_000, month: 1, day: 1) == nil)
  }

  /// Walks every day from 0000-01-01 to 9999-12-31 with a plain month table and compares.
  @Test func everyDayAgainstNaiveWalk() {
    var (y, m, d): (Int64, Int64, Int64) = (0, 1, 1)
    var day = CivilCalendar.daysFromCivil(year: 0, month: 1, day: 1)
    #expect(day == -719_528)
    var mismatches = 0
    while y <= 9999 {
      let civil = CivilCalendar.civilFromDays(day)
      if civil != (y, m, d) || CivilCalendar.daysFromCivil(year: y, month: m, day: d) != day {
        mismatches += 1
      }
      day += 1
      d += 1
      if d > CivilCalendar.daysInMonth(year: y, month: m) {
        d = 1
        m += 1
      }
      if m > 12 {
        m = 1
        y += 1
      }
    }
    #expect(mismatches == 0)
    #expect(day == CivilCalendar.daysFromCivil(year: 10_000, month: 1, day: 1))
  }

  @Test func negativeDaysBeforeTheEpoch() {
    #expect(CivilCalendar.civilFromDays(-1) == (1969, 12, 31))
    #expect(CivilCalendar.civilFromDays(-365) == (1969, 1, 1))
    #expect(CivilCalendar.split(-1) == (-1, 86_399))
    #expect(CivilCalendar.split(-86_400) == (-1, 0))
    #expect(CivilCalendar.split(-86_401) == (-2, 86_399))
    let t = Timestamp(seconds: -1)
    #expect(t.components == (1969, 12, 31, 23, 59, 59))
    #expect(t.iso8601 == "1969-12-31T23:59:59Z")
  }
}
