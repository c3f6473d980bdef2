import ArgumentParser
import Foundation
import SluiceCore

/// The value of `--since`: where a list of runs starts.
///
/// `today` and `yesterday` (from midnight), a span back from now (`30m`, `12h`, `7d`, `2w`),
/// a date (`2026-11-21`, from midnight), a local date-time (`2026-11-21T08:00`), all in the
/// machine's time zone, or an ISO 8601 instant with its offset (`2026-11-21T07:00:00Z`).
/// A value of none of these forms is a mistake on the command line (exit 64).
struct SinceOption: Equatable, ExpressibleByArgument, CustomStringConvertible {
    enum Form: Equatable {
        case today
        case yesterday
        case ago(seconds: Int)
        case day(LocalDate)
        case local(LocalDateTime)
        case instant(Date)
    }

    /// The value as written.
    let description: String
    let form: Form

    init?(argument text: String) {
        guard let form = Self.form(text) else { return nil }
        description = text
        self.form = form
    }

    static let forms = "today, yesterday, 30m, 12h, 7d, 2w, a date 2026-11-21, 2026-11-21T08:00 (local time) or an ISO 8601 instant"

    static func form(_ text: String) -> Form? {
        let t = text.trimmingCharacters(in: .whitespaces)
        switch t.lowercased() {
        case "today": return .today
        case "yesterday": return .yesterday
        default: break
        }
        if let unit = t.last, let seconds = ["m": 60, "h": 3600, "d": 86400, "w": 7 * 86400][unit.lowercased()],
           let n = Int(t.dropLast()), n >= 0, n <= 100 * 52 * 7 * 24 * 60 {
            return .ago(seconds: n * seconds)
        }
        if let d = LocalDate(iso: t) { return .day(d) }
        if let instant = ISO8601DateFormatter().date(from: t) { return .instant(instant) }
        return localDateTime(t).map(Form.local)
    }

    /// `2026-11-21T08:00` or `2026-11-21 08:00[:ss]`, without an offset.
    static func localDateTime(_ text: String) -> LocalDateTime? {
        let parts = text.split(whereSeparator: { $0 == "T" || $0 == " " })
        guard parts.count == 2, let day = LocalDate(iso: String(parts[0])) else { return nil }
        let clock = parts[1].split(separator: ":").map { Int($0) }
        guard clock.count == 2 || clock.count == 3, !clock.contains(nil) else { return nil }
        return LocalDateTime(date: day, hour: clock[0]!, minute: clock[1]!, second: clock.count == 3 ? clock[2]! : 0)
    }

    /// The instant the list starts at, with `now` and the time zone of local dates and times.
    func start(now: Date, timeZone: TimeZone = .current) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        func midnight(_ d: LocalDate) -> Date {
            var c = DateComponents()
            (c.year, c.month, c.day) = d.components
            return calendar.date(from: c) ?? now
        }
        switch form {
        case .today: return calendar.startOfDay(for: now)
        case .yesterday: return calendar.date(byAdding: .day, value: -1, to: calendar.startOfDay(for: now)) ?? now
        case let .ago(seconds): return now - TimeInterval(seconds)
        case let .day(d): return midnight(d)
        case let .local(t):
            var c = DateComponents()
            (c.year, c.month, c.day) = t.date.components
            (c.hour, c.minute, c.second) = (t.hour, t.minute, t.second)
            return calendar.date(from: c) ?? now
        case let .instant(date): return date
        }
    }
}
