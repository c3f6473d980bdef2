import Foundation

/// How long a `wait` step parks its run: a duration (`2d`, `90m`, `1h30m`), or a wall-clock
/// time in the pipeline's time zone: `until 09:00` (the next 09:00), `until 09:00 tomorrow`,
/// `until 09:00 next business day` (the next Monday to Friday after today; public holidays
/// are not known). A time skipped by a daylight-saving change wakes the run when the gap ends.
public struct WaitSpec: Sendable, Hashable, CustomStringConvertible {
    public enum Form: Sendable, Hashable {
        case duration(DurationValue)
        case nextTime(hour: Int, minute: Int)
        case tomorrow(hour: Int, minute: Int)
        case nextBusinessDay(hour: Int, minute: Int)
    }

    public let text: String
    public let form: Form

    public init(_ source: String) throws(ScheduleError) {
        text = source.trimmingCharacters(in: .whitespaces)
        let words = text.lowercased().split(separator: " ").map(String.init)
        guard words.first == "until" else {
            guard let d = DurationValue(parsing: text), d.milliseconds > 0 else {
                throw ScheduleError(.invalidWait, "'\(text)' is not a wait; write a duration (2d, 90m, 1h30m) or 'until 09:00', 'until 09:00 tomorrow', 'until 09:00 next business day'")
            }
            form = .duration(d)
            return
        }
        guard words.count >= 2, let (h, m) = Self.timeOfDay(words[1]) else {
            throw ScheduleError(.invalidWait, "'\(text)': 'until' is followed by a time of day such as 09:00")
        }
        switch words.dropFirst(2).joined(separator: " ") {
        case "": form = .nextTime(hour: h, minute: m)
        case "tomorrow": form = .tomorrow(hour: h, minute: m)
        case "next business day": form = .nextBusinessDay(hour: h, minute: m)
        case let rest:
            throw ScheduleError(.invalidWait, "'\(text)': after the time, write nothing, 'tomorrow' or 'next business day', not '\(rest)'")
        }
    }

    static func timeOfDay(_ word: String) -> (Int, Int)? {
        let parts = word.split(separator: ":")
        guard parts.count == 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]), (0 ..< 24).contains(h), (0 ..< 60).contains(m) else { return nil }
        return (h, m)
    }

    public var description: String { text }

    /// The instant a run that reaches the step at `now` wakes.
    public func wake(from now: Date, in timeZone: TimeZone) -> Date {
        let today = timeZone.wallTime(now).date
        func at(_ date: LocalDate, _ h: Int, _ m: Int) -> Date {
            let wall = WallTime(date: date, hour: h, minute: m)
            return timeZone.instants(showing: wall).first ?? timeZone.endOfGap(skipping: wall)
        }
        switch form {
        case let .duration(d):
            return now + d.seconds
        case let .nextTime(h, m):
            let t = at(today, h, m)
            return t > now ? t : at(today.adding(days: 1), h, m)
        case let .tomorrow(h, m):
            return at(today.adding(days: 1), h, m)
        case let .nextBusinessDay(h, m):
            var day = today.adding(days: 1)
            while day.weekday > 5 { day = day.adding(days: 1) }
            return at(day, h, m)
        }
    }
}
