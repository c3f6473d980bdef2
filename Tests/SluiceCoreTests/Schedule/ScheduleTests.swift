import Foundation
import SluiceCore
import SluiceErrors
import Testing

@Suite struct ScheduleTests {
    @Test(arguments: [
        ("every 5 minutes", "*/5 * * * *"), ("every minute", "* * * * *"), ("every 60 minutes", "0 * * * *"),
        ("every 2 hours", "0 */2 * * *"), ("every 24 hours", "0 0 * * *"), ("daily at 08:05", "5 8 * * *"),
        ("weekly on Monday at 09:30", "30 9 * * 1"), ("weekly on sun at 07:00", "0 7 * * 0"),
        ("monthly on day 31 at 06:00", "0 6 31 * *"), ("cron \"0 9 * * 1-5\"", "0 9 * * 1-5"), ("0 9 * jan-mar mon-fri", "0 9 * jan-mar mon-fri"),
    ])
    func friendlyFormsAreCronUnderneath(text: String, cron: String) throws {
        #expect(try Schedule(text).cron.description == cron)
    }

    @Test(arguments: [
        ("every 0 minutes", "from 1 to 60"), ("every 25 hours", "from 1 to 24"), ("daily at 24:00", "not a time of day"),
        ("weekly on funday at 09:00", "not a weekday"), ("monthly on day 32 at 06:00", "from 1 to 31"),
        ("0 9 * *", "has 5 fields"), ("60 * * * *", "out of range for the minute field"), ("* * * * 8", "day of week"),
        ("5-1 * * * *", "runs backwards"), ("*/0 * * * *", "step"), ("0 0 * foo *", "months are 1–12 or jan–dec"),
        ("sometimes", "cannot read the schedule"),
    ])
    func badSchedulesSayWhatIsWrong(text: String, message: String) {
        do {
            _ = try Schedule(text)
            Issue.record("'\(text)' parsed")
        } catch {
            #expect(error.description.contains(message), "\(error.description)")
        }
    }

    @Test func sevenIsSundayAndNamesWork() throws {
        let a = try CronExpression("0 0 * * 7")
        let b = try CronExpression("0 0 * * sun")
        #expect(a.daysOfWeek == 1 && b.daysOfWeek == 1)
        #expect(try CronExpression("0 0 * * */2").daysOfWeek == 0b1010101)
    }

    @Test func summariesInEnglishAndFrench() throws {
        let s = try Schedule("daily at 09:00")
        #expect(s.summary() == "every day at 09:00")
        #expect(s.summary(french: true) == "tous les jours à 09:00")
        #expect(try Schedule("monthly on day 1 at 06:00").summary(french: true) == "le 1er de chaque mois à 06:00")
    }

    func instant(_ iso: String) -> Date { ISO8601DateFormatter().date(from: iso)! }

    @Test func springForwardMovesAFixedTimeToTheEndOfTheGap() throws {
        let clock = ScheduleClock(cron: try Schedule("daily at 02:30").cron, timeZone: TimeZone(identifier: "Europe/Zurich")!)
        #expect(clock.next(2, after: instant("2026-03-28T12:00:00Z")) == [instant("2026-03-29T01:00:00Z"), instant("2026-03-30T00:30:00Z")])
    }

    @Test func fallBackFiresAFixedTimeOnceAndAnIntervalTwice() throws {
        let zurich = TimeZone(identifier: "Europe/Zurich")!
        let fixed = ScheduleClock(cron: try Schedule("daily at 02:30").cron, timeZone: zurich)
        #expect(fixed.next(2, after: instant("2026-10-24T12:00:00Z")) == [instant("2026-10-25T00:30:00Z"), instant("2026-10-26T01:30:00Z")])
        let interval = ScheduleClock(cron: try Schedule("every 30 minutes").cron, timeZone: zurich)
        // 02:00 and 02:30 in summer time (+02:00), then again in winter time (+01:00).
        #expect(interval.next(4, after: instant("2026-10-24T23:45:00Z"))
            == [instant("2026-10-25T00:00:00Z"), instant("2026-10-25T00:30:00Z"), instant("2026-10-25T01:00:00Z"), instant("2026-10-25T01:30:00Z")])
    }

    @Test func anExpressionThatNeverFiresHasNoNextTime() throws {
        let clock = ScheduleClock(cron: try CronExpression("0 0 30 2 *"), timeZone: TimeZone(identifier: "UTC")!)
        #expect(clock.next(after: instant("2026-01-01T00:00:00Z")) == nil)
    }
}

@Suite("ScheduleError: one error for schedules, cron expressions and waits")
struct ScheduleErrorTests {
    @Test(arguments: [
        ("", ScheduleError.Code.emptySchedule, "Schedule"), ("0 0 32 * *", .invalidCron, "CronExpression"),
        ("every blue moon", .invalidPhrase, "SchedulePhrase"),
    ]) func schedulesSayWhatKindOfProblem(_ text: String, _ code: ScheduleError.Code, _ thrower: String) throws {
        let error = try #require(throws: ScheduleError.self) { try Schedule(text) }
        #expect(error.code == code)
        #expect(error.description == error.message)
        #expect(error.thrownAt.fileID == "SluiceCore/\(thrower).swift")
    }

    @Test func aCronErrorReachesTheScheduleUnchanged() throws {
        let direct = try #require(throws: ScheduleError.self) { try CronExpression("0 0 32 * *") }
        let through = try #require(throws: ScheduleError.self) { try Schedule("0 0 32 * *") }
        #expect(direct == through)
    }

    @Test func aWaitThatIsNotOne() throws {
        let error = try #require(throws: ScheduleError.self) { try WaitSpec("soon") }
        #expect(error.code == .invalidWait)
        #expect(error.message.hasPrefix("'soon' is not a wait"))
    }
}
