import Foundation
import SluiceCore
import Testing

/// Schedules said in words, in French and English, and the cron expression each stands for.
@Suite struct SchedulePhraseTests {
    static let forms: [(String, String)] = [
        // Every N minutes or hours.
        ("toutes les 5 minutes", "*/5 * * * *"), ("Toutes les minutes", "* * * * *"), ("chaque minute", "* * * * *"),
        ("toutes les heures", "0 * * * *"), ("chaque heure", "0 * * * *"), ("toutes les 2 heures", "0 */2 * * *"),
        ("every 5 minutes", "*/5 * * * *"), ("every hour", "0 * * * *"), ("every 2 hours", "0 */2 * * *"), ("hourly", "0 * * * *"),
        ("every hour at :15", "15 * * * *"), ("toutes les heures à :30", "30 * * * *"), ("every 2 hours at :30", "30 */2 * * *"), ("every hour at :05 and :35", "5,35 * * * *"),
        ("toutes les 15 minutes en semaine", "*/15 * * * 1-5"), ("every 10 minutes on weekdays", "*/10 * * * 1-5"),
        // Daily, at one or several times.
        ("tous les jours à 08:00", "0 8 * * *"), ("Tous les jours a 08:00", "0 8 * * *"), ("chaque jour à 8h", "0 8 * * *"),
        ("chaque jour à 08h00", "0 8 * * *"), ("tous les jours à 8h30", "30 8 * * *"), ("tous les jours à 8 h", "0 8 * * *"),
        ("tous les jours à 8 heures", "0 8 * * *"), ("daily at 08:00", "0 8 * * *"), ("daily at 8:00", "0 8 * * *"),
        ("every day at 08:00", "0 8 * * *"), ("every day at 8am", "0 8 * * *"), ("every day at 5:30pm", "30 17 * * *"),
        ("every day at 12am", "0 0 * * *"), ("tous les jours à midi", "0 12 * * *"), ("at midnight", "0 0 * * *"), ("à 08:00", "0 8 * * *"), ("tous les jours a\u{300} 08:00.", "0 8 * * *"),
        ("tous les jours à 08:00 et 17:00", "0 8,17 * * *"), ("daily at 08:00 and 17:00", "0 8,17 * * *"),
        ("le 15 à 8 heures", "0 8 15 * *"), ("le 1er à 8 heures", "0 8 1 * *"), ("toutes les 30 minutes", "*/30 * * * *"),
        ("tous les jours à 8h, 12h et 17h", "0 8,12,17 * * *"), ("every day at 08:00, 08:30, 17:00 and 17:30", "0,30 8,17 * * *"),
        // Weekdays.
        ("du lundi au vendredi à 08:00", "0 8 * * 1-5"), ("en semaine à 08:00", "0 8 * * 1-5"), ("every weekday at 08:00", "0 8 * * 1-5"),
        ("monday to friday at 08:00", "0 8 * * 1-5"), ("Monday to Friday at 08:00", "0 8 * * 1-5"), ("mon-fri at 08:00", "0 8 * * 1-5"),
        ("les jours ouvrables à 7h", "0 7 * * 1-5"), ("every business day at 08:00", "0 8 * * 1-5"), ("de lundi à vendredi à 8h", "0 8 * * 1-5"),
        ("du vendredi au lundi à 20:00", "0 20 * * 0,1,5,6"), ("le week-end à 10h", "0 10 * * 0,6"), ("weekends at 10:00", "0 10 * * 0,6"),
        // Weekly, and lists of days.
        ("chaque lundi à 09:00", "0 9 * * 1"), ("tous les lundis à 09:30", "30 9 * * 1"), ("le lundi à 09:00", "0 9 * * 1"),
        ("every monday at 09:00", "0 9 * * 1"), ("weekly on monday at 09:00", "0 9 * * 1"), ("weekly on Monday at 09:30", "30 9 * * 1"),
        ("weekly on sun at 07:00", "0 7 * * 0"), ("chaque lundi et jeudi à 9h", "0 9 * * 1,4"), ("le lundi et le jeudi à 09:00", "0 9 * * 1,4"),
        ("lundi, mercredi et vendredi à 18h", "0 18 * * 1,3,5"), ("every monday and thursday at 09:00", "0 9 * * 1,4"),
        ("chaque mercredi à 14h", "0 14 * * 3"), ("tous les dimanches à 23h", "0 23 * * 0"), ("le samedi à 6h", "0 6 * * 6"),
        ("chaque semaine le lundi à 9h", "0 9 * * 1"), ("every week on friday at 17:45", "45 17 * * 5"),
        // Monthly.
        ("le 1er du mois à 06:00", "0 6 1 * *"), ("le 15 de chaque mois à 12:00", "0 12 15 * *"), ("tous les mois le 1er à 06:00", "0 6 1 * *"),
        ("chaque mois le 15 à 12h", "0 12 15 * *"), ("on the 1st of every month at 06:00", "0 6 1 * *"), ("monthly on the 15th at 12:00", "0 12 15 * *"),
        ("monthly on day 1 at 06:00", "0 6 1 * *"), ("monthly on day 31 at 06:00", "0 6 31 * *"), ("le premier du mois à 6h", "0 6 1 * *"),
        ("le 1er et le 15 du mois à 06:00", "0 6 1,15 * *"), ("on the 1st and 15th of every month at 06:00", "0 6 1,15 * *"),
        ("du 1er au 7 de chaque mois à 06:00", "0 6 1-7 * *"), ("le dernier jour du mois à 18:00", "0 18 L * *"),
        ("on the last day of the month at 18:00", "0 18 L * *"), ("monthly on the last day at 18:00", "0 18 L * *"),
        ("le 15 et le dernier jour du mois à 12h", "0 12 15,L * *"), ("the 2nd of each month at 3:15", "15 3 2 * *"),
        // Cron, as written.
        ("cron \"0 9 * * 1-5\"", "0 9 * * 1-5"), ("0 9 * jan-mar mon-fri", "0 9 * jan-mar mon-fri"), ("0 18 L * *", "0 18 L * *"),
    ]

    @Test(arguments: forms)
    func everyFormIsItsCronExpression(text: String, cron: String) throws {
        #expect(try Schedule(text).cron.description == cron)
    }

    /// A friendly form fires exactly when its cron expression does, across the Zurich
    /// daylight-saving changes of 2026.
    @Test(arguments: forms)
    func aFormFiresWhenItsCronExpressionFires(text: String, cron: String) throws {
        let zurich = TimeZone(identifier: "Europe/Zurich")!
        let phrase = ScheduleClock(cron: try Schedule(text).cron, timeZone: zurich)
        let expression = ScheduleClock(cron: try CronExpression(cron), timeZone: zurich)
        for start in ["2026-03-28T22:00:00Z", "2026-10-24T22:00:00Z", "2026-01-30T12:00:00Z"] {
            let after = ISO8601DateFormatter().date(from: start)!
            let fires = phrase.next(12, after: after)
            #expect(fires.count == 12)
            #expect(fires == expression.next(12, after: after))
        }
    }

    @Test(arguments: [
        ("tous les jors à 08:00", "did you mean 'tous les jours à 08:00'?"), ("every dya at 08:00", "did you mean 'every day at 08:00'?"),
        ("sometimes", "cannot read the schedule 'sometimes'"), ("de temps en temps", "'toutes les 15 minutes', 'tous les jours à 08:00'"),
        ("now and then", "'every 15 minutes', 'every day at 08:00'"), ("every lundy at 09:00", "'lundy' is not a weekday"),
        ("tous les jours", "says no time of day; add one, e.g. 'tous les jours à 08:00'"), ("every monday", "e.g. 'every monday at 08:00'"),
        ("weekly at 09:00", "does not say which day of the week"), ("tous les mois à 06:00", "which day of the month; e.g. 'le 1er du mois à 06:00'"),
        ("le premier lundi du mois à 8h", "names days of the month and days of the week"),
        ("every 5 minutes at 08:00", "takes no time of day"), ("daily at 08:00 and 17:30", "different minutes"),
        ("tous les 2 jours à 8h", "which cron cannot keep"), ("every 45 minutes", "use a divisor of 60"),
        ("toutes les 7 minutes", "use a divisor of 60"), ("toutes les 5 heures", "use a divisor of 24"), ("le 32 du mois à 8h", "'32' is not a day of the month"),
        ("chaque jour à 8h75", "'8h75' is not a time of day"), ("at 13pm", "'13pm' is not a time of day"), ("toutes les 61 minutes", "from 1 to 60"),
        ("toutes les 25 heures", "from 1 to 24"), ("", "the schedule is empty"), ("à :15", "'toutes les heures à :15'"),
        ("le 15 à 8h", nil as String?), ("tous les 15 à 8h", "'le 15 de chaque mois'"), ("15 à 8h", "has '15' alone, which is neither a time nor a day"),
    ] as [(String, String?)])
    func anUnreadablePhraseSaysWhatIsAccepted(text: String, message: String?) {
        do {
            let s = try Schedule(text)
            if message != nil { Issue.record("'\(text)' parsed as \(s.cron)") }
        } catch {
            if let message { #expect(error.description.contains(message), "\(error.description)") } else { Issue.record("\(error)") }
        }
    }

    @Test func onlyTextThatLooksLikeCronIsReadAsCron() throws {
        #expect(try Schedule("0 8 * * 1-5").isCron)
        #expect(try !Schedule("tous les jours à 08:00").isCron)
        do {
            _ = try Schedule("tous les jours à 08:00 *")
            Issue.record("parsed")
        } catch {
            #expect(!error.description.contains("minute field"), "\(error.description)")
        }
    }

    @Test func lastDayOfTheMonthFollowsTheCalendar() throws {
        let clock = ScheduleClock(cron: try Schedule("le dernier jour du mois à 18:00").cron, timeZone: TimeZone(identifier: "UTC")!)
        let fires = clock.next(4, after: ISO8601DateFormatter().date(from: "2028-01-31T19:00:00Z")!).map { ISO8601DateFormatter().string(from: $0) }
        #expect(fires == ["2028-02-29T18:00:00Z", "2028-03-31T18:00:00Z", "2028-04-30T18:00:00Z", "2028-05-31T18:00:00Z"])
        #expect(throws: ScheduleError.self) { try Schedule("0 0 L-3 * *") }
    }
}
