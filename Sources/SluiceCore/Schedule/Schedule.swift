import Foundation

/// A pipeline's `schedule`: a cron expression, or a schedule said in words in English or
/// French (see `SchedulePhrase`), which is a cron expression underneath.
///
/// ```
/// every 5 minutes · toutes les 5 minutes        */5 * * * *   (1–60; cron's steps restart each hour)
/// every 2 hours · toutes les 2 heures           0 */2 * * *   (1–24)
/// daily at 08:00 · tous les jours à 8h          0 8 * * *
/// every weekday at 08:00 · en semaine à 08:00   0 8 * * 1-5
/// every monday at 09:30 · tous les lundis à 9h30  30 9 * * 1
/// on the 1st of every month at 06:00 · le 1er du mois à 06:00  0 6 1 * *
/// on the last day of the month at 18:00         0 18 L * *
/// cron "0 9 * * 1-5"                            (or the five fields alone)
/// ```
///
/// Only text that looks like cron (fields of digits, `*`, `,`, `-`, `/` and cron's month and
/// weekday names) is read as cron; anything else is read as words.
public struct Schedule: Sendable, Hashable {
    public let text: String
    /// The text was a cron expression, not words.
    public let isCron: Bool
    public let cron: CronExpression

    public init(_ source: String) throws(ScheduleError) {
        text = source
        let trimmed = source.trimmingCharacters(in: .whitespaces)
        let cronText: String
        if trimmed.lowercased().hasPrefix("cron"), trimmed.dropFirst(4).first.map({ $0 == " " || $0 == "\"" || $0 == "'" }) ?? true {
            var rest = trimmed.dropFirst(4).trimmingCharacters(in: .whitespaces)
            if rest.count >= 2, let q = rest.first, q == "\"" || q == "'", rest.last == q { rest = String(rest.dropFirst().dropLast()) }
            cronText = rest
            isCron = true
        } else if Self.looksLikeCron(trimmed) {
            cronText = trimmed
            isCron = true
        } else if trimmed.isEmpty {
            throw ScheduleError(.emptySchedule, "the schedule is empty; write e.g. \(SchedulePhrase.examples(french: false))")
        } else {
            cronText = try SchedulePhrase(trimmed).cron
            isCron = false
        }
        cron = try CronExpression(cronText)
    }

    static let cronNames: Set<Substring> = Set((CronExpression.monthNames + CronExpression.dayNames + ["l"]).map { Substring($0) })

    /// Whether every field is made of cron's characters and names and one has a digit or `*`;
    /// or there are five fields and the minute and hour fields are cron's (`0 0 * foo *`, for
    /// the cron reader to say what is wrong).
    static func looksLikeCron(_ text: String) -> Bool {
        let fields = text.lowercased().split(whereSeparator: \.isWhitespace)
        func cronLike(_ field: Substring, names: Bool) -> Bool {
            field.split(whereSeparator: { ",-/".contains($0) }).allSatisfy { $0 == "*" || $0.allSatisfy(\.isNumber) || names && cronNames.contains($0) }
        }
        if fields.count == 5 && cronLike(fields[0], names: false) && cronLike(fields[1], names: false) { return true }
        return fields.allSatisfy { cronLike($0, names: true) } && fields.contains { $0.contains { $0.isNumber || $0 == "*" } }
    }

    /// The schedule in plain words, in English or French: the summary of its cron expression.
    public func summary(french: Bool = false) -> String { cron.summary(french: french) }
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
