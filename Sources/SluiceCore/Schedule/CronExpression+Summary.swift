/// Cron expressions said in words, in English or French.
///
/// The common shapes read as people say them (`0 8 * * 1-5` is "Monday to Friday at 08:00" /
/// "du lundi au vendredi à 08:00", `*/15 * * * *` "every 15 minutes"); any other shape is
/// said field by field, completely ("at minutes 5 and 35 past hours 8 to 18").
extension CronExpression {
    /// The expression in plain words; French when `french`.
    public func summary(french: Bool = false) -> String {
        let w = SummaryWords(french: french)
        let days = dayPhrase(w)
        var text: String
        switch timePhrase(w) {
        case let .fixed(times):
            // After a condition (`…, if it is a Tuesday`), a comma keeps the time apart.
            let separator = days?.contains(",") == true ? "," : ""
            text = (days ?? w.pick("every day", "tous les jours")) + separator + w.pick(" at ", " à ") + w.and(times)
        case let .repeating(phrase):
            text = phrase + (days.map { ", " + $0 } ?? "")
        }
        let monthList = values(months, 1 ... 12)
        if monthList.count < 12 {
            let segments = SummaryWords.segments(monthList, steps: false)
            let singles = segments.allSatisfy { if case .single = $0 { true } else { false } }
            let items = singles ? [w.pick("in ", "en ") + w.and(monthList.map(w.month))] : segments.map { s -> String in
                switch s {
                case let .single(m): return w.pick("in ", "en ") + w.month(m)
                case let .range(a, b), let .stepped(a, b, _): return w.pick("from \(w.month(a)) to \(w.month(b))", "de \(w.month(a)) à \(w.month(b))")
                }
            }
            text += w.pick(", only ", ", seulement ") + w.and(items)
        }
        let dayList = values(daysOfMonth, 1 ... 31)
        if dayList.count < 31, let latest = dayList.last, latest > 28, days != nil {
            text += dayList.count == 1 && !lastDayOfMonth ? w.pick(" (months without that day are skipped)", " (les mois sans ce jour sont sautés)")
                : w.pick(" (days a month does not have are skipped)", " (les jours qu'un mois n'a pas sont sautés)")
        }
        return text
    }

    enum TimePhrase { case fixed([String]), repeating(String) }

    func values(_ set: UInt64, _ range: ClosedRange<Int>) -> [Int] { range.filter { has(set, $0) } }

    /// The times of day: a short list of fixed times, or a phrase for a repeating shape.
    func timePhrase(_ w: SummaryWords) -> TimePhrase {
        let m = values(minutes, 0 ... 59), h = values(hours, 0 ... 23)
        let minuteStep = SummaryWords.fullStep(m, size: 60), hourStep = SummaryWords.fullStep(h, size: 24)
        func hm(_ h: Int, _ m: Int) -> String { SchedulePhrase.hm((h, m)) }
        func mm(_ m: Int) -> String { ":" + (m < 10 ? "0" : "") + String(m) }
        func restart(_ s: Int) -> String { 60 % s == 0 ? "" : w.pick(" (restarting at :00 each hour)", " (en repartant de :00 à chaque heure)") }
        let everyMinutes = m.count == 60 ? w.pick("every minute", "toutes les minutes")
            : minuteStep.map { w.pick("every \($0) minutes", "toutes les \($0) minutes") + restart($0) }
        if h.count == 24 {
            if let everyMinutes { return .repeating(everyMinutes) }
            if m == [0] { return .repeating(w.pick("every hour", "toutes les heures")) }
            if m.count <= 6 { return .repeating(w.pick("every hour at ", "toutes les heures à ") + w.and(m.map(mm))) }
        }
        if let s = hourStep, 24 % s == 0, m.count == 1 {
            return .repeating(w.pick("every \(s) hours", "toutes les \(s) heures") + (m[0] == 0 ? "" : w.pick(" at ", " à ") + mm(m[0])))
        }
        if h.count * m.count <= 8 { return .fixed(h.flatMap { hour in m.map { hm(hour, $0) } }) }
        if let first = h.first, let last = h.last, last - first + 1 == h.count {
            if let everyMinutes { return .repeating(everyMinutes + w.pick(" from ", " de ") + hm(first, m[0]) + w.pick(" to ", " à ") + hm(last, m[m.count - 1])) }
            if m.count == 1 { return .repeating(w.pick("every hour from ", "toutes les heures de ") + hm(first, m[0]) + w.pick(" to ", " à ") + hm(last, m[0])) }
        }
        let minutePart = m.count == 60 ? w.pick("every minute", "toutes les minutes")
            : m.count == 1 ? w.pick("at minute ", "à la minute ") + String(m[0]) : w.pick("at minutes ", "aux minutes ") + w.numbers(m)
        let hourPart = h.count == 24 ? w.pick(" of every hour", " de chaque heure")
            : h.count == 1 ? w.pick(" past hour ", " de l'heure ") + String(h[0]) : w.pick(" past hours ", " des heures ") + w.numbers(h)
        return .repeating(minutePart + hourPart)
    }

    /// The days, or nil for every day.
    func dayPhrase(_ w: SummaryWords) -> String? {
        let dom = values(daysOfMonth, 1 ... 31), dow = values(daysOfWeek, 0 ... 6)
        let restrictsMonthDays = dom.count < 31, restrictsWeekdays = dow.count < 7
        let monthDays = restrictsMonthDays ? monthDayPhrase(dom, w) : ""
        if dayOfMonthIsStar || dayOfWeekIsStar {
            switch (restrictsMonthDays, restrictsWeekdays) {
            case (false, false): return nil
            case (true, false): return monthDays
            case (false, true): return weekdayPhrase(dow, w)
            case (true, true):
                let items = weekdayItems(dow, w).map { w.pick(($0.isRange ? "a day from " : "a ") + $0.text, "un " + ($0.isRange ? "jour " : "") + $0.text) }
                return monthDays + w.pick(", if it is ", ", si c'est ") + w.or(items)
            }
        }
        guard restrictsMonthDays && restrictsWeekdays else { return nil }
        return monthDays + w.pick(" and ", " et ") + weekdayPhrase(dow, w)
    }

    func monthDayPhrase(_ dom: [Int], _ w: SummaryWords) -> String {
        let suffix = w.pick(" of every month", " de chaque mois")
        let segments = SummaryWords.segments(dom, steps: dom.count > 8)
        if case let .stepped(a, b, s) = segments.first, segments.count == 1 {
            return w.pick("every \(s) days from the \(w.ordinal(a)) to the \(w.ordinal(b))", "tous les \(s) jours du \(w.ordinal(a)) au \(w.ordinal(b))") + suffix
        }
        var items = segments.map { s -> String in
            switch s {
            case let .single(d): return w.pick("the ", "le ") + w.ordinal(d)
            case let .range(a, b), let .stepped(a, b, _): return w.pick("the \(w.ordinal(a)) to the \(w.ordinal(b))", "du \(w.ordinal(a)) au \(w.ordinal(b))")
            }
        }
        if lastDayOfMonth { items.append(w.pick("the last day", "le dernier jour")) }
        return w.pick("on ", "") + w.and(items) + suffix
    }

    /// Weekdays Monday first, runs of three or more as ranges; a run over the weekend is one
    /// range (`Friday to Monday`).
    func weekdayItems(_ dow: [Int], _ w: SummaryWords) -> [(text: String, isRange: Bool)] {
        let days = Set(dow.map { ($0 + 6) % 7 }) // Monday 0 … Sunday 6
        let start = (0 ..< 7).first { days.contains($0) && !days.contains(($0 + 6) % 7) } ?? 0
        let order = days.map { ($0 - start + 7) % 7 + start }.sorted()
        func name(_ d: Int) -> String { w.weekday((d + 1) % 7) }
        return SummaryWords.segments(order, steps: false).map { s in
            switch s {
            case let .single(d): return (name(d), false)
            case let .range(a, b), let .stepped(a, b, _): return (w.pick("\(name(a)) to \(name(b))", "du \(name(a)) au \(name(b))"), true)
            }
        }
    }

    func weekdayPhrase(_ dow: [Int], _ w: SummaryWords) -> String {
        let items = weekdayItems(dow, w)
        if items.allSatisfy({ !$0.isRange }) {
            return w.pick("every ", "tous les ") + w.and(items.map { w.french ? $0.text + "s" : $0.text })
        }
        return w.and(items.map { $0.isRange || !w.french ? $0.text : "le " + $0.text })
    }
}

/// The words of summaries in one language.
struct SummaryWords {
    let french: Bool

    func pick(_ english: String, _ french: String) -> String { self.french ? french : english }

    func and(_ items: [String]) -> String { join(items, pick(" and ", " et ")) }
    func or(_ items: [String]) -> String { join(items, pick(" or ", " ou ")) }

    func join(_ items: [String], _ last: String) -> String {
        items.count <= 1 ? items.joined() : items.dropLast().joined(separator: ", ") + last + items[items.count - 1]
    }

    func weekday(_ d: Int) -> String {
        pick(["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"][d],
             ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"][d])
    }

    func month(_ m: Int) -> String {
        pick(["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"][m - 1],
             ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"][m - 1])
    }

    func ordinal(_ d: Int) -> String {
        if french { return d == 1 ? "1er" : String(d) }
        let suffix = (11 ... 13).contains(d % 100) ? "th" : ["th", "st", "nd", "rd", "th", "th", "th", "th", "th", "th"][d % 10]
        return String(d) + suffix
    }

    /// Numbers as `5 and 35`, `8 to 18`, `0 to 58 in steps of 2`.
    func numbers(_ v: [Int]) -> String {
        and(Self.segments(v, steps: true).map { s in
            switch s {
            case let .single(a): return String(a)
            case let .range(a, b): return pick("\(a) to \(b)", "\(a) à \(b)")
            case let .stepped(a, b, n): return pick("\(a) to \(b) in steps of \(n)", "\(a) à \(b) par pas de \(n)")
            }
        })
    }

    enum Segment: Equatable { case single(Int), range(Int, Int), stepped(Int, Int, Int) }

    /// Sorted values as one stepped run (four or more, when `steps`), or as runs of three or
    /// more consecutive values and single values.
    static func segments(_ v: [Int], steps: Bool) -> [Segment] {
        if steps, v.count >= 4, v[1] - v[0] > 1, zip(v, v.dropFirst()).allSatisfy({ $1 - $0 == v[1] - v[0] }) {
            return [.stepped(v[0], v[v.count - 1], v[1] - v[0])]
        }
        var out: [Segment] = []
        var start = 0
        while start < v.count {
            var end = start
            while end + 1 < v.count && v[end + 1] == v[end] + 1 { end += 1 }
            if end - start >= 2 { out.append(.range(v[start], v[end])) } else { out += v[start ... end].map { .single($0) } }
            start = end + 1
        }
        return out
    }

    /// The step of values `0, s, 2s, …` that run to the end of a field of `size` values.
    static func fullStep(_ v: [Int], size: Int) -> Int? {
        guard v.count >= 2, v[0] == 0 else { return nil }
        let s = v[1]
        guard s > 1, zip(v, v.dropFirst()).allSatisfy({ $1 - $0 == s }), v[v.count - 1] + s >= size else { return nil }
        return s
    }
}
