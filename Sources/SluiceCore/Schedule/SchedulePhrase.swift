import Foundation

/// A schedule said in words, in English or French, read into the cron expression it stands
/// for. The phrase is read clause by clause, in any order, each clause adding to one part
/// of the schedule:
///
/// ```
/// every 5 minutes · toutes les 5 minutes · every hour · toutes les 2 heures · every hour at :15
/// daily · every day · tous les jours · chaque jour
/// every weekday · en semaine · jours ouvrables · monday to friday · du lundi au vendredi
/// monday · every monday · le lundi · tous les lundis · lundi et jeudi · weekly on monday
/// the 1st · le 1er · le 15 · on day 15 · du 1er au 7 · the last day · le dernier jour
///   (with "of every month", "du mois", "de chaque mois", "monthly", "tous les mois")
/// at 08:00 · à 8h · 08h00 · 8h30 · 8am · à 08:00 et 17:00
/// ```
///
/// Case and accents do not matter; little words (`le`, `the`, `on`, `at`, `à`, `de`…) are
/// read where they fit and skipped elsewhere.
struct SchedulePhrase {
    /// The cron expression's text.
    private(set) var cron = ""

    static let everyWords: Set<String> = ["every", "each", "chaque", "tous", "toutes"]
    static let glue: Set<String> = ["le", "les", "la", "l", "the", "on", "of", "de", "du", "des", "d", "in", "en", "a", "at", "@",
                                    "from", "jusqu", "par"]
    static let minuteUnits: Set<String> = ["minute", "minutes", "min", "mins", "mn"]
    static let hourUnits: Set<String> = ["hour", "hours", "heure", "heures"]
    static let dayUnits: Set<String> = ["day", "days", "jour", "jours"]
    static let monthUnits: Set<String> = ["month", "months", "mois"]
    static let weekUnits: Set<String> = ["week", "weeks", "semaine", "semaines"]
    static let rangeWords: Set<String> = ["to", "through", "thru", "till", "until", "au", "a"]

    enum Interval: Equatable { case minutes(Int), hours(Int) }

    private var words: [ScheduleWord]
    private let source: String
    private var interval: Interval?
    private var everyDay = false
    private var weekdays: Set<Int> = []
    private var monthDays: Set<Int> = []
    private var lastDay = false
    private var times: [(hour: Int, minute: Int)] = []
    private var minutesOfHour: Set<Int> = []
    private var saysWeekly = false
    private var saysMonthly = false

    init(_ source: String) throws(ScheduleError) {
        self.source = source
        words = try ScheduleWord.words(source)
        var i = 0
        while i < words.count { i = try read(at: i) }
        cron = try cronText()
    }

    func word(_ i: Int) -> ScheduleWord? { i < words.count ? words[i] : nil }
    func text(_ i: Int) -> String? { word(i).flatMap { $0.isWord ? $0.text : nil } }
    func isRange(_ i: Int) -> Bool { word(i)?.kind == .dash || text(i).map(Self.rangeWords.contains) == true }

    /// Reads the clause at `i`; returns where the next one starts.
    private mutating func read(at i: Int) throws(ScheduleError) -> Int {
        let w = words[i]
        switch w.kind {
        case .and, .dash:
            return i + 1
        case let .time(h, m):
            times.append((h, m))
            return i + 1
        case let .minute(m):
            minutesOfHour.insert(m)
            return i + 1
        case let .ordinal(d):
            return try monthDay(d, word: w.text, at: i)
        case let .number(n):
            if let unit = text(i + 1), Self.hourUnits.contains(unit), (0 ... 23).contains(n) {
                times.append((n, 0)) // à 8 heures
                return i + 2
            }
            if i > 0, Self.dayUnits.contains(text(i - 1) ?? "") || ["le", "the"].contains(text(i - 1) ?? "")
                || (words[i - 1].kind == .and && !monthDays.isEmpty) {
                return try monthDay(n, word: w.text, at: i)
            }
            throw problem("has '\(w.text)' alone, which is neither a time nor a day; write a time as \(n < 24 ? "\(n):00" : "08:00") or a day of the month as 'the \(n)th' / 'le \(n)'")
        case .word:
            break
        }
        let t = w.text
        if let d = w.weekday {
            if isRange(i + 1), let e = word(i + 2)?.weekday {
                var day = d
                while true {
                    weekdays.insert(day)
                    if day == e { break }
                    day = (day + 1) % 7
                }
                return i + 3
            }
            weekdays.insert(d)
            return i + 1
        }
        if Self.everyWords.contains(t) { return try every(at: i) }
        switch t {
        case "hourly": return try setInterval(.hours(1), at: i + 1)
        case "daily": everyDay = true
        case "weekly": saysWeekly = true
        case "monthly": saysMonthly = true
        case "weekday", "weekdays", "workday", "workdays": weekdays.formUnion(1 ... 5)
        case "weekend", "weekends": weekdays.formUnion([6, 0])
        case "business", "working", "jours", "jour", "en":
            let next = text(i + 1) ?? ""
            let saysWeekdays = t == "en" ? ["semaine", "semaines"].contains(next)
                : t.hasPrefix("j") ? ["ouvrables", "ouvrable", "ouvres", "ouvre"].contains(next) : Self.dayUnits.contains(next)
            if saysWeekdays {
                weekdays.formUnion(1 ... 5)
                return i + 2
            }
            guard Self.glue.contains(t) || Self.dayUnits.contains(t) && ["on", "le", "the"].contains(text(i - 1) ?? "") else { throw unknown(t) }
        case "last", "dernier":
            lastDay = true
            return text(i + 1).map(Self.dayUnits.contains) == true ? i + 2 : i + 1
        default:
            if Self.monthUnits.contains(t) { saysMonthly = true } else if Self.glue.contains(t) || Self.dayUnits.contains(t) && ["on", "le", "the"].contains(text(i - 1) ?? "") {
                // A little word, or the `day` of `on day 15`.
            } else {
                throw unknown(t)
            }
        }
        return i + 1
    }

    /// `every`, `chaque`, `tous les`, `toutes les` and what follows.
    private mutating func every(at i: Int) throws(ScheduleError) -> Int {
        var j = i + 1
        if text(j) == "les" { j += 1 }
        guard let next = word(j) else { throw problem("ends after '\(words[i].text)'; say what repeats, e.g. 'every day at 08:00'") }
        if case let .number(n) = next.kind {
            let unit = text(j + 1) ?? ""
            if Self.minuteUnits.contains(unit) {
                guard (1 ... 60).contains(n) else { throw ScheduleError(.invalidPhrase, "every N minutes: N must be a whole number from 1 to 60, not '\(n)'") }
                // Cron's minute steps restart at :00 each hour: */45 fires at :00 and :45.
                guard 60 % n == 0 else {
                    throw problem("says every \(n) minutes, which cron cannot keep: its steps restart at :00 each hour, so the last gap of each hour would be shorter; use a divisor of 60 (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30) or name the minutes, e.g. 'every hour at :00 and :45'")
                }
                return try setInterval(.minutes(n), at: j + 2)
            }
            if Self.hourUnits.contains(unit) {
                guard (1 ... 24).contains(n) else { throw ScheduleError(.invalidPhrase, "every N hours: N must be a whole number from 1 to 24, not '\(n)'") }
                guard 24 % n == 0 else {
                    throw problem("says every \(n) hours, which cron cannot keep: its steps restart at midnight each day (the last gap of the day would be shorter); use a divisor of 24 (1, 2, 3, 4, 6, 8, 12) or name the hours, e.g. 'every day at 08:00 and 13:00'")
                }
                return try setInterval(.hours(n), at: j + 2)
            }
            if Self.dayUnits.contains(unit) || Self.weekUnits.contains(unit) || Self.monthUnits.contains(unit) {
                throw problem("says every \(n) \(unit), which cron cannot keep: its steps restart each month; name the days instead, e.g. 'every monday and thursday at 08:00' or 'on the 1st and 15th of every month at 06:00'")
            }
            throw problem("says every \(n) but not of what; write 'every \(n) minutes' / 'toutes les \(n) minutes', 'every \(n) hours' / 'toutes les \(n) heures', or for a day of the month 'the \(n)th of every month' / 'le \(n) de chaque mois'")
        }
        let unit = next.text
        if Self.minuteUnits.contains(unit) { return try setInterval(.minutes(1), at: j + 1) }
        if Self.hourUnits.contains(unit) { return try setInterval(.hours(1), at: j + 1) }
        if Self.dayUnits.contains(unit) {
            everyDay = true
            return j + 1
        }
        if Self.monthUnits.contains(unit) {
            saysMonthly = true
            return j + 1
        }
        if Self.weekUnits.contains(unit) {
            saysWeekly = true
            return j + 1
        }
        // `every monday`, `every weekday`, `chaque 1er`: the next clause says it.
        return j
    }

    private mutating func setInterval(_ value: Interval, at next: Int) throws(ScheduleError) -> Int {
        guard interval == nil || interval == value else { throw problem("names two intervals; keep one, e.g. 'every 15 minutes'") }
        interval = value
        return next
    }

    /// A day of the month at `i`, and `au 7` / `to the 7th` after it.
    private mutating func monthDay(_ d: Int, word: String, at i: Int) throws(ScheduleError) -> Int {
        func check(_ d: Int, _ w: String) throws(ScheduleError) {
            guard (1 ... 31).contains(d) else {
                throw ScheduleError(.invalidPhrase, "'\(w)' is not a day of the month; write a day from 1 to 31, or 'the last day' / 'le dernier jour'")
            }
        }
        try check(d, word)
        var j = i + 1
        if isRange(j) {
            j += 1
            if text(j) == "the" { j += 1 }
            if let end = self.word(j) {
                // `le 15 à 8 heures`: `à` names the hour there, not the end of a range of days.
                let isHour = text(i + 1) == "a" && Self.hourUnits.contains(text(j + 1) ?? "")
                switch end.kind {
                case let .ordinal(e) where !isHour, let .number(e) where !isHour:
                    try check(e, end.text)
                    guard e >= d else { throw problem("the days \(d) to \(e) run backwards; write the first day first") }
                    monthDays.formUnion(d ... e)
                    return j + 1
                default: break
                }
            }
            j = i + 1
        }
        monthDays.insert(d)
        return j
    }

    /// The cron expression the clauses make.
    private func cronText() throws(ScheduleError) -> String {
        let french = Self.looksFrench(source)
        if (saysMonthly || lastDay || !monthDays.isEmpty) && !weekdays.isEmpty {
            throw problem("names days of the month and days of the week; cron would fire on either, not on a combination such as the first Monday of the month; keep one of them")
        }
        if saysMonthly && monthDays.isEmpty && !lastDay {
            throw problem("does not say which day of the month; e.g. \(french ? "'le 1er du mois à 06:00'" : "'on the 1st of every month at 06:00'")")
        }
        if saysWeekly && weekdays.isEmpty {
            throw problem("does not say which day of the week; e.g. \(french ? "'chaque lundi à 09:00'" : "'weekly on monday at 09:00'")")
        }
        let dom = monthDays.isEmpty && !lastDay ? "*" : (Self.field(monthDays) + (lastDay ? (monthDays.isEmpty ? "L" : ",L") : ""))
        let dow = weekdays.isEmpty || weekdays.count == 7 ? "*" : Self.field(weekdays)
        if let interval {
            guard times.isEmpty else {
                throw problem("repeats through the day, so it takes no time of day ('\(Self.hm(times[0]))'); drop the time, or say the days and times, e.g. \(french ? "'tous les jours à 08:00 et 17:00'" : "'every day at 08:00 and 17:00'")")
            }
            switch interval {
            case let .minutes(n):
                if !minutesOfHour.isEmpty { throw problem("repeats every \(n) minutes, so it takes no minute past the hour") }
                return (n == 60 ? "0 *" : n == 1 ? "* *" : "*/\(n) *") + " \(dom) * \(dow)"
            case let .hours(n):
                return (minutesOfHour.isEmpty ? "0" : Self.field(minutesOfHour)) + " " + (n == 24 ? "0" : n == 1 ? "*" : "*/\(n)") + " \(dom) * \(dow)"
            }
        }
        if let m = minutesOfHour.min() {
            throw problem("has ':\(m < 10 ? "0" : "")\(m)', a minute past every hour; write \(french ? "'toutes les heures à :\(m < 10 ? "0" : "")\(m)'" : "'every hour at :\(m < 10 ? "0" : "")\(m)'")")
        }
        guard !times.isEmpty else {
            let suggestion = source.trimmingCharacters(in: .whitespaces) + (french ? " à 08:00" : " at 08:00")
            throw problem("says no time of day; add one, e.g. '\(suggestion)'")
        }
        let hours = Set(times.map(\.hour)), minutes = Set(times.map(\.minute))
        guard hours.count * minutes.count == Set(times.map { $0.hour * 60 + $0.minute }).count else {
            throw problem("names times at different minutes (\(times.map(Self.hm).joined(separator: ", "))), which one cron expression cannot keep without adding others; use times with the same minutes, or one pipeline per time")
        }
        return "\(Self.field(minutes)) \(Self.field(hours)) \(dom) * \(dow)"
    }

    /// A cron field listing `values`, runs of three or more as ranges: `1-5`, `0,6`, `8,17`.
    static func field(_ values: Set<Int>) -> String {
        var parts: [String] = []
        let sorted = values.sorted()
        var start = 0
        while start < sorted.count {
            var end = start
            while end + 1 < sorted.count && sorted[end + 1] == sorted[end] + 1 { end += 1 }
            if end - start >= 2 {
                parts.append("\(sorted[start])-\(sorted[end])")
            } else {
                parts += sorted[start ... end].map(String.init)
            }
            start = end + 1
        }
        return parts.joined(separator: ",")
    }

    static func hm(_ t: (hour: Int, minute: Int)) -> String {
        (t.hour < 10 ? "0" : "") + "\(t.hour):" + (t.minute < 10 ? "0" : "") + "\(t.minute)"
    }

    static let frenchWords: Set<String> = ["tous", "toutes", "chaque", "jour", "jours", "heure", "heures", "mois", "semaine", "le", "les",
                                           "du", "au", "et", "dernier", "premier", "midi", "minuit", "ouvrables", "lundi", "mardi",
                                           "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "lundis", "mardis", "mercredis",
                                           "jeudis", "vendredis", "samedis", "dimanches", "a", "1er", "de", "des", "en", "la"]

    /// Whether the phrase is French (for the examples of a message).
    static func looksFrench(_ source: String) -> Bool {
        source.contains("à") || (((try? ScheduleWord.words(source)) ?? []).contains { frenchWords.contains($0.text) })
    }

    static func examples(french: Bool) -> String {
        french
            ? "'toutes les 15 minutes', 'tous les jours à 08:00', 'du lundi au vendredi à 08:00', 'chaque lundi à 09:00', 'le 1er du mois à 06:00' or a cron expression such as '0 9 * * 1-5'"
            : "'every 15 minutes', 'every day at 08:00', 'every weekday at 08:00', 'every monday at 09:00', 'on the 1st of every month at 06:00' or a cron expression such as '0 9 * * 1-5'"
    }

    func problem(_ what: String) -> ScheduleError {
        ScheduleError(.invalidPhrase, "the schedule '\(source)' \(what)")
    }

    /// One letter away, or two letters swapped (`dya`, `day`).
    static func isNear(_ word: String, _ known: String) -> Bool {
        let d = Suggestion.distance(word, known)
        return d <= 1 || d == 2 && word.count == known.count && word.sorted() == known.sorted() || d == 2 && known.count >= 6
    }

    /// An unknown word: the closest known word, and the whole phrase with it when that reads.
    func unknown(_ word: String) -> ScheduleError {
        let french = Self.looksFrench(source)
        var suggestion = ""
        if let close = Suggestion.closest(to: word, among: ScheduleWord.vocabulary.sorted()), Self.isNear(word, close) {
            let fixed = source.split(separator: " ").map { ScheduleWord.fold($0) == word ? close : String($0) }.joined(separator: " ")
            if (try? SchedulePhrase(fixed)) != nil {
                suggestion = "; did you mean '\(fixed)'?"
            } else {
                suggestion = "; did you mean '\(close)'?"
            }
            if ScheduleWord.weekdayNames[close] != nil, Suggestion.distance(word, close) <= 1 || ["day", "days", "di", "dis"].contains(where: word.hasSuffix) {
                return ScheduleError(.invalidPhrase, "the schedule '\(source)': '\(word)' is not a weekday; write monday … sunday or lundi … dimanche\(suggestion)")
            }
        } else if word.hasSuffix("day") || word.hasSuffix("di") {
            return ScheduleError(.invalidPhrase, "the schedule '\(source)': '\(word)' is not a weekday; write monday … sunday or lundi … dimanche")
        }
        return ScheduleError(.invalidPhrase, "cannot read the schedule '\(source)': '\(word)' is not a word of a schedule\(suggestion.isEmpty ? "." : suggestion) Schedules read e.g. \(Self.examples(french: french))")
    }
}
