import Foundation
import SluiceCore
import Testing

/// Cron expressions said in words, in English and French.
@Suite struct CronSummaryTests {
    static let shapes: [(String, String, String)] = [
        ("* * * * *", "every minute", "toutes les minutes"),
        ("*/15 * * * *", "every 15 minutes", "toutes les 15 minutes"),
        ("*/7 * * * *", "every 7 minutes (restarting at :00 each hour)", "toutes les 7 minutes (en repartant de :00 à chaque heure)"),
        ("0 * * * *", "every hour", "toutes les heures"),
        ("15 * * * *", "every hour at :15", "toutes les heures à :15"),
        ("5,35 * * * *", "every hour at :05 and :35", "toutes les heures à :05 et :35"),
        ("0 */2 * * *", "every 2 hours", "toutes les 2 heures"),
        ("30 */6 * * *", "every 6 hours at :30", "toutes les 6 heures à :30"),
        ("0 8 * * *", "every day at 08:00", "tous les jours à 08:00"),
        ("0 8,17 * * *", "every day at 08:00 and 17:00", "tous les jours à 08:00 et 17:00"),
        ("0 */5 * * *", "every day at 00:00, 05:00, 10:00, 15:00 and 20:00", "tous les jours à 00:00, 05:00, 10:00, 15:00 et 20:00"),
        ("0 8 * * 1-5", "Monday to Friday at 08:00", "du lundi au vendredi à 08:00"),
        ("0 8 * * mon-fri", "Monday to Friday at 08:00", "du lundi au vendredi à 08:00"),
        ("30 9 * * 1", "every Monday at 09:30", "tous les lundis à 09:30"),
        ("0 9 * * 1,4", "every Monday and Thursday at 09:00", "tous les lundis et jeudis à 09:00"),
        ("0 9 * * 1-3,5", "Monday to Wednesday and Friday at 09:00", "du lundi au mercredi et le vendredi à 09:00"),
        ("0 10 * * 0,6", "every Saturday and Sunday at 10:00", "tous les samedis et dimanches à 10:00"),
        ("0 20 * * 0,1,5,6", "Friday to Monday at 20:00", "du vendredi au lundi à 20:00"),
        ("0 6 1 * *", "on the 1st of every month at 06:00", "le 1er de chaque mois à 06:00"),
        ("0 12 1,15 * *", "on the 1st and the 15th of every month at 12:00", "le 1er et le 15 de chaque mois à 12:00"),
        ("0 6 1-7 * *", "on the 1st to the 7th of every month at 06:00", "du 1er au 7 de chaque mois à 06:00"),
        ("0 18 L * *", "on the last day of every month at 18:00", "le dernier jour de chaque mois à 18:00"),
        ("0 12 22,L * *", "on the 22nd and the last day of every month at 12:00", "le 22 et le dernier jour de chaque mois à 12:00"),
        ("*/10 * * * 1-5", "every 10 minutes, Monday to Friday", "toutes les 10 minutes, du lundi au vendredi"),
        // Shapes said in full rather than by a short name.
        ("0 6 31 * *", "on the 31st of every month at 06:00 (months without that day are skipped)", "le 31 de chaque mois à 06:00 (les mois sans ce jour sont sautés)"),
        ("0 9 * jan-mar *", "every day at 09:00, only from January to March", "tous les jours à 09:00, seulement de janvier à mars"),
        ("0 9 1 1,7 *", "on the 1st of every month at 09:00, only in January and July", "le 1er de chaque mois à 09:00, seulement en janvier et juillet"),
        ("*/10 8-17 * * 1-5", "every 10 minutes from 08:00 to 17:50, Monday to Friday", "toutes les 10 minutes de 08:00 à 17:50, du lundi au vendredi"),
        ("0 9-17 * * *", "every hour from 09:00 to 17:00", "toutes les heures de 09:00 à 17:00"),
        ("5,35 8-18 * * *", "at minutes 5 and 35 past hours 8 to 18", "aux minutes 5 et 35 des heures 8 à 18"),
        ("*/2 1,3,5,9,11,20 * * *", "at minutes 0 to 58 in steps of 2 past hours 1, 3, 5, 9, 11 and 20", "aux minutes 0 à 58 par pas de 2 des heures 1, 3, 5, 9, 11 et 20"),
        ("0 0 1 * 1", "on the 1st of every month and every Monday at 00:00", "le 1er de chaque mois et tous les lundis à 00:00"),
        ("0 0 1-7 * */2", "on the 1st to the 7th of every month, if it is a Tuesday, a Thursday, a Saturday or a Sunday, at 00:00",
         "du 1er au 7 de chaque mois, si c'est un mardi, un jeudi, un samedi ou un dimanche, à 00:00"),
        ("0 0 1-31 * 1", "every day at 00:00", "tous les jours à 00:00"),
    ]

    @Test(arguments: shapes)
    func cronIsSaidInWords(cron: String, english: String, french: String) throws {
        let e = try CronExpression(cron)
        #expect(e.summary() == english)
        #expect(e.summary(french: true) == french)
    }

    /// A summary of a common shape reads back, as words, into a schedule that fires at the
    /// same times: the words say what the expression does.
    @Test(arguments: shapes.filter { !$0.1.contains("(") && !$0.1.contains("only") && !$0.1.contains("past") && !$0.1.contains(" from ") && !$0.1.contains(" if ") && !$0.1.contains("month and every") })
    func aSummaryReadsBackIntoTheSameSchedule(cron: String, english: String, french: String) throws {
        let expression = try CronExpression(cron)
        let utc = TimeZone(identifier: "UTC")!
        let after = ISO8601DateFormatter().date(from: "2026-11-21T00:00:00Z")!
        let want = ScheduleClock(cron: expression, timeZone: utc).next(30, after: after)
        for words in [english, french] {
            let read = try Schedule(words)
            #expect(!read.isCron, "\(words)")
            #expect(ScheduleClock(cron: read.cron, timeZone: utc).next(30, after: after) == want, "\(words) → \(read.cron)")
        }
    }
}
