import Foundation

/// A pipeline's `schedule`: a cron expression or one of the friendly forms, each of which is
/// a cron expression underneath.
///
/// ```
/// every 5 minutes            */5 * * * *     (1–60; cron's steps restart each hour)
/// every 2 hours              0 */2 * * *     (1–24)
/// daily at 08:00             0 8 * * *
/// weekly on monday at 09:30  30 9 * * 1
/// monthly on day 1 at 06:00  0 6 1 * *       (1–31; months without that day are skipped)
/// cron "0 9 * * 1-5"         (or the five fields alone)
/// ```
public struct Schedule: Sendable, Hashable {
    public enum Form: Sendable, Hashable {
        case everyMinutes(Int)
        case everyHours(Int)
        case daily(hour: Int, minute: Int)
        case weekly(weekday: Int, hour: Int, minute: Int)
        case monthly(day: Int, hour: Int, minute: Int)
        case cron
    }

    public let text: String
    public let form: Form
    public let cron: CronExpression

    public struct ParseError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    static let examples = "e.g. 'every 15 minutes', 'every 2 hours', 'daily at 08:00', 'weekly on monday at 09:00', 'monthly on day 1 at 06:00' or 'cron \"0 9 * * 1-5\"'"
    static let weekdays = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]

    public init(_ source: String) throws(ParseError) {
        text = source
        let words = source.lowercased().split(whereSeparator: \.isWhitespace).map(String.init)
        let form: Form
        let cronText: String
        func time(_ s: String) throws(ParseError) -> (Int, Int) {
            let parts = s.split(separator: ":")
            guard parts.count == 2, parts[0].count <= 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
                  (0 ... 23).contains(h), (0 ... 59).contains(m) else {
                throw ParseError(description: "'\(s)' is not a time of day; write HH:mm, from 00:00 to 23:59")
            }
            return (h, m)
        }
        func count(_ s: String, unit: String, max: Int) throws(ParseError) -> Int {
            guard let n = Int(s), (1 ... max).contains(n) else {
                throw ParseError(description: "every N \(unit): N must be a whole number from 1 to \(max), not '\(s)'")
            }
            return n
        }
        switch words.first {
        case "every" where words.count == 2 && ["minute", "hour"].contains(words[1]):
            form = words[1] == "minute" ? .everyMinutes(1) : .everyHours(1)
            cronText = words[1] == "minute" ? "* * * * *" : "0 * * * *"
        case "every" where words.count == 3 && ["minutes", "minute"].contains(words[2]):
            let n = try count(words[1], unit: "minutes", max: 60)
            form = .everyMinutes(n)
            cronText = n == 60 ? "0 * * * *" : n == 1 ? "* * * * *" : "*/\(n) * * * *"
        case "every" where words.count == 3 && ["hours", "hour"].contains(words[2]):
            let n = try count(words[1], unit: "hours", max: 24)
            form = .everyHours(n)
            cronText = n == 24 ? "0 0 * * *" : n == 1 ? "0 * * * *" : "0 */\(n) * * *"
        case "daily" where words.count == 3 && words[1] == "at":
            let (h, m) = try time(words[2])
            form = .daily(hour: h, minute: m)
            cronText = "\(m) \(h) * * *"
        case "weekly" where words.count == 5 && words[1] == "on" && words[3] == "at":
            guard let d = Self.weekdays.firstIndex(of: words[2]) ?? Self.weekdays.firstIndex(where: { $0.hasPrefix(words[2]) && words[2].count >= 3 }) else {
                throw ParseError(description: "'\(words[2])' is not a weekday; write monday … sunday")
            }
            let (h, m) = try time(words[4])
            form = .weekly(weekday: d, hour: h, minute: m)
            cronText = "\(m) \(h) * * \(d)"
        case "monthly" where words.count == 6 && words[1] == "on" && words[2] == "day" && words[4] == "at":
            guard let day = Int(words[3]), (1 ... 31).contains(day) else {
                throw ParseError(description: "monthly on day D: D must be a day of the month from 1 to 31, not '\(words[3])'")
            }
            let (h, m) = try time(words[5])
            form = .monthly(day: day, hour: h, minute: m)
            cronText = "\(m) \(h) \(day) * *"
        case "cron":
            var rest = source.trimmingCharacters(in: .whitespaces).dropFirst(4).trimmingCharacters(in: .whitespaces)
            if rest.count >= 2, let q = rest.first, q == "\"" || q == "'", rest.last == q { rest = String(rest.dropFirst().dropLast()) }
            form = .cron
            cronText = rest
        default:
            // Five fields, or something starting like cron: let the cron reader say what is wrong.
            let looksLikeCron = words.first?.first.map { "0123456789*".contains($0) } ?? false
            guard looksLikeCron || (words.count == 5 && !["every", "daily", "weekly", "monthly"].contains(words[0])) else {
                throw ParseError(description: "cannot read the schedule '\(source)'; \(Self.examples)")
            }
            form = .cron
            cronText = source
        }
        do { cron = try CronExpression(cronText) } catch { throw ParseError(description: error.description) }
        self.form = form
    }

    /// The schedule in plain words, in English or French.
    public func summary(french: Bool = false) -> String {
        func hm(_ h: Int, _ m: Int) -> String { (h < 10 ? "0" : "") + "\(h):" + (m < 10 ? "0" : "") + "\(m)" }
        let enDays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
        let frDays = ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"]
        switch form {
        case let .everyMinutes(n):
            if n == 1 { return french ? "Toutes les minutes" : "every minute" }
            return french ? "Toutes les \(n) minutes" : "every \(n) minutes"
        case let .everyHours(n):
            if n == 1 { return french ? "Toutes les heures" : "every hour" }
            return french ? "Toutes les \(n) heures" : "every \(n) hours"
        case let .daily(h, m):
            return french ? "Tous les jours à \(hm(h, m))" : "every day at \(hm(h, m))"
        case let .weekly(d, h, m):
            return french ? "Tous les \(frDays[d])s à \(hm(h, m))" : "every \(enDays[d]) at \(hm(h, m))"
        case let .monthly(day, h, m):
            let skipped = day > 28 ? (french ? " (les mois sans ce jour sont sautés)" : " (months without that day are skipped)") : ""
            return french ? "Le \(day == 1 ? "1er" : String(day)) de chaque mois à \(hm(h, m))\(skipped)"
                : "on day \(day) of every month at \(hm(h, m))\(skipped)"
        case .cron:
            return french ? "selon l'expression cron \(cron)" : "on the cron expression \(cron)"
        }
    }
}

/// Fire times of a schedule in a time zone, with daylight-saving changes handled as Vixie
/// cron does:
/// - a wall-clock time skipped by a spring-forward change fires once, at the first instant
///   after the gap, for a fixed-time schedule; an interval schedule (minute or hour field
///   starting with `*`) just has no fire times inside the gap;
/// - a wall-clock time that happens twice in a fall-back change fires once, in the first
///   pass, for a fixed-time schedule; an interval schedule fires in both passes.
public struct ScheduleClock: Sendable {
    public let cron: CronExpression
    public let timeZone: TimeZone

    public init(cron: CronExpression, timeZone: TimeZone) {
        self.cron = cron
        self.timeZone = timeZone
    }

    /// The wall-clock minute of an instant in the time zone.
    public func wallTime(_ instant: Date) -> WallTime { timeZone.wallTime(instant) }

    /// The instants at which the schedule fires for a wall-clock minute: none, one, or (an
    /// interval schedule in a repeated hour) two.
    func instants(_ wall: WallTime) -> [Date] {
        let valid = timeZone.instants(showing: wall)
        if valid.isEmpty {
            // In a spring-forward gap: a fixed time fires when the gap ends.
            return cron.isInterval ? [] : [timeZone.endOfGap(skipping: wall)]
        }
        if valid.count > 1 && !cron.isInterval { return [valid[0]] }
        return valid
    }

    /// The first fire time strictly after `after`; nil when the expression never fires.
    public func next(after: Date) -> Date? {
        // Wall-clock order and instant order differ only around a change: then start a few
        // hours back on the wall clock (a second pass may still be ahead) and keep the earliest.
        let window: Int64 = 3 * 60
        let nearChange = timeZone.secondsFromGMT(for: after.addingTimeInterval(-Double(window * 60)))
            != timeZone.secondsFromGMT(for: after.addingTimeInterval(Double(window * 60)))
        var wall = WallTime(minutesSinceEpoch: wallTime(after).minutesSinceEpoch - (nearChange ? window : 0))
        var best: Date?
        var bestWall: Int64 = .max
        while let candidate = cron.nextWallTime(after: wall) {
            if best != nil && candidate.minutesSinceEpoch > bestWall + window { break }
            let instants = instants(candidate)
            if let first = instants.first(where: { $0 > after }), best.map({ first < $0 }) ?? true {
                best = first
                bestWall = candidate.minutesSinceEpoch
                // Later wall-clock minutes have later first instants: only a second pass can
                // be beaten by them.
                if first == instants[0] { break }
            }
            wall = candidate
        }
        return best
    }

    /// The next `count` fire times after `after`.
    public func next(_ count: Int, after: Date) -> [Date] {
        var result: [Date] = []
        var t = after
        while result.count < count, let n = next(after: t) {
            result.append(n)
            t = n
        }
        return result
    }
}

extension TimeZone {
    /// The wall-clock minute an instant shows in this time zone.
    public func wallTime(_ instant: Date) -> WallTime {
        let seconds = Int64(instant.timeIntervalSince1970.rounded(.down)) + Int64(secondsFromGMT(for: instant))
        return WallTime(minutesSinceEpoch: seconds >= 0 ? seconds / 60 : -((-seconds + 59) / 60))
    }

    /// The date and time, to the millisecond, an instant shows in this time zone.
    public func localDateTime(_ instant: Date) -> LocalDateTime {
        let seconds = instant.timeIntervalSince1970 + Double(secondsFromGMT(for: instant))
        return LocalDateTime(epochMilliseconds: Int64((seconds * 1000).rounded(.down)))
    }

    /// The instants whose wall clock here shows `wall`, earliest first: none in a
    /// spring-forward gap, two in a repeated hour.
    public func instants(showing wall: WallTime) -> [Date] {
        let naive = Double(wall.minutesSinceEpoch * 60)
        let offsets = Set([secondsFromGMT(for: Date(timeIntervalSince1970: naive - 86400)),
                           secondsFromGMT(for: Date(timeIntervalSince1970: naive + 86400))])
        return offsets.map { Date(timeIntervalSince1970: naive - Double($0)) }
            .filter { secondsFromGMT(for: $0) == Int(naive - $0.timeIntervalSince1970) }
            .sorted()
    }

    /// The first instant after the spring-forward gap that skips `wall` (to the second).
    public func endOfGap(skipping wall: WallTime) -> Date {
        let naive = Double(wall.minutesSinceEpoch * 60)
        let larger = max(secondsFromGMT(for: Date(timeIntervalSince1970: naive - 86400)),
                         secondsFromGMT(for: Date(timeIntervalSince1970: naive + 86400)))
        // Read with the larger offset (the one after the change), the wall time is an instant
        // before the change: search the day after it for the instant the offset changes.
        var low = naive - Double(larger)
        var high = low + 86400
        let offset = secondsFromGMT(for: Date(timeIntervalSince1970: low))
        while high - low > 1 {
            let mid = ((low + high) / 2).rounded(.down)
            if secondsFromGMT(for: Date(timeIntervalSince1970: mid)) == offset { low = mid } else { high = mid }
        }
        return Date(timeIntervalSince1970: high)
    }
}
