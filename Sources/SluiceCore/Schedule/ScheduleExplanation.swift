import Foundation

/// The next fire times of a schedule, with daylight-saving changes marked.
public struct ScheduleExplanation: Sendable {
    public var schedule: Schedule
    public var zone: TimeZone
    public var from: Date
    public var count: Int
    public var french: Bool

    /// The next `count` fire times of `schedule` in `zone` after `from`, said in French when `french`.
    public init(schedule: Schedule, zone: TimeZone, from: Date, count: Int, french: Bool) {
        (self.schedule, self.zone, self.from, self.count, self.french) = (schedule, zone, from, count, french)
    }

    /// One fire time (ISO 8601 with the zone's offset), with a daylight-saving note when it has one.
    public struct Fire: Encodable, Sendable, Equatable { public var at: String; public var note: String? }

    /// What `sluice schedule --explain/--expr/--batch` prints (as JSON, or as lines).
    public struct Document: Encodable, Sendable {
        public var expression: String
        public var cron: String?
        public var summary: String?
        public var timezone: String?
        public var from: String?
        public var fires: [Fire] = []
        public var error: String?

        /// A line of `--batch` that could not be explained.
        public init(expression: String, error: String) {
            self.expression = expression
            self.error = error
        }

        public init(expression: String, cron: String, summary: String, timezone: String, from: String, fires: [Fire]) {
            (self.expression, self.cron, self.summary, self.timezone, self.from, self.fires) = (expression, cron, summary, timezone, from, fires)
        }
    }

    /// The fire times, a change of offset since the previous one marked, and a time that does
    /// not exist that day (clocks went forward) said so.
    public var document: Document {
        let clock = ScheduleClock(cron: schedule.cron, timeZone: zone)
        var previous = zone.secondsFromGMT(for: from)
        var fires: [Fire] = []
        for at in clock.next(count, after: from) {
            var notes: [String] = []
            let offset = zone.secondsFromGMT(for: at)
            if offset != previous {
                notes.append("daylight-saving change: \(Self.offset(previous)) → \(Self.offset(offset))")
            }
            if !schedule.cron.matches(clock.wallTime(at)) { notes.append("the scheduled time does not exist this day (clocks went forward)") }
            previous = offset
            fires.append(Fire(at: Self.iso(at, zone), note: notes.isEmpty ? nil : notes.joined(separator: "; ")))
        }
        return Document(expression: schedule.text, cron: schedule.cron.description, summary: schedule.summary(french: french),
                        timezone: zone.identifier, from: Self.iso(from, zone), fires: fires)
    }

    /// `+01:00`, `-05:00`.
    public static func offset(_ seconds: Int) -> String {
        let a = abs(seconds) / 60
        return (seconds < 0 ? "-" : "+") + String(format: "%02d:%02d", a / 60, a % 60)
    }

    /// `2026-03-29T03:00:00+02:00`.
    public static func iso(_ date: Date, _ zone: TimeZone) -> String {
        let offset = zone.secondsFromGMT(for: date)
        let local = LocalDateTime(epochMilliseconds: Int64((date.timeIntervalSince1970 + Double(offset)).rounded(.down)) * 1000)
        return local.date.description + "T" + String(format: "%02d:%02d:%02d", local.hour, local.minute, local.second) + Self.offset(offset)
    }

    /// An ISO 8601 instant with an offset, or a wall-clock time (`2026-03-28T00:00`, a day
    /// alone is its midnight) in `zone`: its first instant, or the end of the gap when clocks
    /// skip it. Nil when `text` is neither.
    public static func instant(_ text: String, in zone: TimeZone) -> Date? {
        let f = ISO8601DateFormatter()
        if let d = f.date(from: text) { return d }
        let padded = text.count == 16 ? text + ":00" : text
        if let wall = LocalDateTime(iso: padded) ?? LocalDate(iso: text).map({ LocalDateTime(date: $0) }) {
            // The first instant showing this wall-clock time, or the end of a gap that skips it.
            let minute = WallTime(minutesSinceEpoch: wall.epochMilliseconds / 60000)
            let instant = zone.instants(showing: minute).first ?? zone.endOfGap(skipping: minute)
            return instant.addingTimeInterval(Double(wall.epochMilliseconds % 60000) / 1000)
        }
        return nil
    }
}
