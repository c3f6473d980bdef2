import SluiceCore
@testable import SluiceSteps
import Testing

@Suite struct DateFormatTests {
    /// The spellings people write for day.month.year all mean the same format.
    @Test(arguments: ["dd.MM.yyyy", "dd.mm.yyyy", "DD.MM.YYYY", "d.M.yyyy", "%d.%m.%Y", "jj.mm.aaaa", "JJ.MM.AAAA"])
    func spellingsOfDayMonthYear(format: String) throws {
        let f = try DateFormat(format)
        #expect(f.description == "dd.MM.yyyy")
        #expect(f.date("21.11.2026") == LocalDate(year: 2026, month: 11, day: 21))
        #expect(f.date("1.2.2026") == LocalDate(year: 2026, month: 2, day: 1))
        #expect(f.date("31.02.2026") == nil)
        #expect(f.date("21/11/2026") == nil)
        #expect(f.date("21.11.26") == nil)
    }

    @Test func otherOrdersAndShortYears() throws {
        #expect(try DateFormat("mm/dd/yyyy").date("11/21/2026") == LocalDate(year: 2026, month: 11, day: 21))
        #expect(try DateFormat("yyyy-mm-dd").date("2026-11-21") == LocalDate(year: 2026, month: 11, day: 21))
        #expect(try DateFormat("%d/%m/%y").date("21/11/26") == LocalDate(year: 2026, month: 11, day: 21))
        #expect(try DateFormat("dd.MM.yy").date("15.03.85") == LocalDate(year: 1985, month: 3, day: 15), "a birth date of the 1980s")
        #expect(try DateFormat("dd.MM.yy").date("01.01.29") == LocalDate(year: 2029, month: 1, day: 1))
        #expect(try DateFormat("dd/mm/yy").description == "dd/MM/yy")
    }

    /// After an hour, `mm` (or `%M`) is minutes; before it, the month.
    @Test func timesOfDay() throws {
        let f = try DateFormat("dd.mm.yyyy HH:mm")
        #expect(f.hasTime && f.description == "dd.MM.yyyy HH:mm")
        #expect(f.datetime("21.11.2026 08:30") == LocalDateTime(date: LocalDate(year: 2026, month: 11, day: 21)!, hour: 8, minute: 30, second: 0))
        let g = try DateFormat("%d.%m.%Y %H:%M:%S")
        #expect(g.description == "dd.MM.yyyy HH:mm:ss")
        #expect(g.datetime("21.11.2026 25:00:00") == nil)
        let iso = try DateFormat("yyyy-MM-dd'T'HH:mm")
        #expect(iso.datetime("2026-11-21T08:30") == LocalDateTime(date: LocalDate(year: 2026, month: 11, day: 21)!, hour: 8, minute: 30, second: 0))
        #expect(iso.description == "yyyy-MM-dd'T'HH:mm")
        #expect(try DateFormat("dd.MM.yyyy HH'h'mm").datetime("21.11.2026 08h30") != nil)
        #expect(throws: DateFormat.Problem.self) { try DateFormat("dd.MM.yyyy 'T") }
    }

    @Test(arguments: [
        ("dd.mm.yyy", "'yyy' is not a year"), ("EEE dd.MM.yyyy", "'E' is not a date field"), ("dd.MM", "it has no year"),
        ("dd.MMM.yyyy", "month name"), ("%a %d.%m.%Y", "'%a' is not read"), ("dd.dd.yyyy", "the day twice"),
        ("dd.MM.yyyy mm", "it has the month twice"), ("dd.MM.yyyy HH:mm:ss:ss", "the seconds twice"),
    ])
    func refusedWithTheRightSpelling(format: String, reason: String) {
        #expect(throws: DateFormat.Problem.self) { try DateFormat(format) }
        do { _ = try DateFormat(format) } catch {
            #expect(error.description.contains(reason), "\(error.description)")
            #expect(error.description.contains("e.g. dd.MM.yyyy"))
        }
    }
}
