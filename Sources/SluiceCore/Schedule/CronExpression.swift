/// A five-field cron expression (minute, hour, day of month, month, day of week), as
/// Vixie cron reads it: `*`, numbers, ranges `a-b`, steps `*/n`, `a-b/n` and `a/n`, lists
/// with commas, month names `jan`–`dec` and weekday names `sun`–`sat` (also in ranges), and
/// 0 or 7 for Sunday. The day-of-month field also takes `L`, the last day of the month, as an
/// item of its own (`L`, `1,L`), as croniter and Quartz read it. When both day fields are restricted a day matching either one fires;
/// when one of them starts with `*`, only the other one restricts.
public struct CronExpression: Sendable, Hashable, CustomStringConvertible {
    public let minutes: UInt64
    public let hours: UInt64
    public let daysOfMonth: UInt64
    /// The day-of-month field names `L`: the last day of each month.
    public let lastDayOfMonth: Bool
    public let months: UInt64
    /// Bit 0 is Sunday.
    public let daysOfWeek: UInt64
    let dayOfMonthIsStar: Bool
    let dayOfWeekIsStar: Bool
    /// The minute or hour field starts with `*`: an interval schedule, which fires in both
    /// passes of a repeated hour (a fixed time fires once).
    public let isInterval: Bool
    /// The expression as written, fields separated by one space.
    public let description: String

    static let fieldNames = ["minute", "hour", "day of month", "month", "day of week"]
    static let ranges: [ClosedRange<Int>] = [0 ... 59, 0 ... 23, 1 ... 31, 1 ... 12, 0 ... 7]
    static let monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    static let dayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]

    public init(_ text: String) throws(ScheduleError) {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard fields.count == 5 else {
            throw ScheduleError(.invalidCron, "a cron expression has 5 fields (minute hour day-of-month month day-of-week), '\(text)' has \(fields.count)")
        }
        var sets: [UInt64] = []
        var last = false
        for (i, field) in fields.enumerated() {
            var field = field.lowercased()
            if i == 2 {
                // `L` is an item of its own; the other items are read as usual.
                let items = field.split(separator: ",", omittingEmptySubsequences: false)
                last = items.contains("l")
                if let odd = items.first(where: { $0 != "l" && $0.contains("l") }) {
                    throw ScheduleError(.invalidCron, "cannot read '\(odd)' in the day of month field; L (the last day of the month) stands alone, as in 'L' or '1,L'")
                }
                field = items.filter { $0 != "l" }.joined(separator: ",")
                if field.isEmpty {
                    sets.append(0)
                    continue
                }
            }
            sets.append(try Self.parseField(field, index: i))
        }
        minutes = sets[0]
        hours = sets[1]
        daysOfMonth = sets[2]
        lastDayOfMonth = last
        months = sets[3]
        // 7 is Sunday too.
        daysOfWeek = (sets[4] & 0x7F) | (sets[4] >> 7 & 1)
        dayOfMonthIsStar = fields[2].hasPrefix("*")
        dayOfWeekIsStar = fields[4].hasPrefix("*")
        isInterval = fields[0].hasPrefix("*") || fields[1].hasPrefix("*")
        description = fields.joined(separator: " ")
    }

    static func parseField(_ field: String, index: Int) throws(ScheduleError) -> UInt64 {
        let range = ranges[index]
        let name = fieldNames[index]
        var bits: UInt64 = 0
        for part in field.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
            guard pieces.count <= 2, !pieces[0].isEmpty else {
                throw ScheduleError(.invalidCron, "cannot read '\(part)' in the \(name) field")
            }
            var step = 1
            if pieces.count == 2 {
                guard let s = Int(pieces[1]), s >= 1, s <= range.upperBound - range.lowerBound + 1 else {
                    throw ScheduleError(.invalidCron, "the step '\(pieces[1])' in the \(name) field must be a number from 1 to \(range.upperBound - range.lowerBound + 1)")
                }
                step = s
            }
            var low: Int
            var high: Int
            if pieces[0] == "*" {
                (low, high) = (range.lowerBound, index == 4 ? 6 : range.upperBound)
            } else {
                let bounds = pieces[0].split(separator: "-", omittingEmptySubsequences: false)
                guard bounds.count <= 2 else { throw ScheduleError(.invalidCron, "cannot read '\(part)' in the \(name) field") }
                low = try value(String(bounds[0]), index: index)
                high = bounds.count == 2 ? try value(String(bounds[1]), index: index) : (pieces.count == 2 ? (index == 4 ? 6 : range.upperBound) : low)
                guard low <= high else {
                    throw ScheduleError(.invalidCron, "the range '\(pieces[0])' in the \(name) field runs backwards; write it low-high")
                }
            }
            var v = low
            while v <= high {
                bits |= 1 << UInt64(v)
                v += step
            }
        }
        return bits
    }

    static func value(_ text: String, index: Int) throws(ScheduleError) -> Int {
        let range = ranges[index]
        if let n = Int(text) {
            guard range.contains(n) else {
                throw ScheduleError(.invalidCron, "\(n) is out of range for the \(fieldNames[index]) field (\(range.lowerBound)–\(range.upperBound))")
            }
            return n
        }
        if index == 3, let i = monthNames.firstIndex(of: text) { return i + 1 }
        if index == 4, let i = dayNames.firstIndex(of: text) { return i }
        let hint = index == 2 ? "; days are 1–31, or L for the last day of the month" : index == 3 ? "; months are 1–12 or jan–dec" : index == 4 ? "; weekdays are 0–7 (0 and 7 are Sunday) or sun–sat" : ""
        throw ScheduleError(.invalidCron, "cannot read '\(text)' in the \(fieldNames[index]) field\(hint)")
    }

    func has(_ set: UInt64, _ v: Int) -> Bool { set >> UInt64(v) & 1 == 1 }

    /// Whether the expression fires on this calendar day.
    func matchesDay(_ date: LocalDate) -> Bool {
        let c = date.components
        guard has(months, c.month) else { return false }
        let dom = has(daysOfMonth, c.day) || (lastDayOfMonth && c.day == LocalDate.daysIn(month: c.month, year: c.year))
        let dow = has(daysOfWeek, date.weekday % 7)
        if dayOfMonthIsStar || dayOfWeekIsStar { return dom && dow }
        return dom || dow
    }

    /// Whether the expression names this wall-clock minute.
    public func matches(_ wall: WallTime) -> Bool {
        has(minutes, wall.minute) && has(hours, wall.hour) && matchesDay(wall.date)
    }

    /// The first wall-clock minute strictly after `after` that the expression names, searching
    /// up to `limitDays` days ahead; nil when there is none (`0 0 30 2 *`).
    func nextWallTime(after: WallTime, limitDays: Int = 366 * 5) -> WallTime? {
        var date = after.date
        var fromMinute = after.hour * 60 + after.minute + 1
        for _ in 0 ... limitDays {
            if matchesDay(date) {
                var m = fromMinute
                while m < 24 * 60 {
                    let h = m / 60
                    if !has(hours, h) {
                        m = (h + 1) * 60
                        continue
                    }
                    if has(minutes, m % 60) { return WallTime(date: date, hour: h, minute: m % 60) }
                    m += 1
                }
            }
            date = date.adding(days: 1)
            fromMinute = 0
        }
        return nil
    }
}

/// A wall-clock minute: a date, an hour and a minute, in no particular time zone.
public struct WallTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var date: LocalDate
    public var hour: Int
    public var minute: Int

    public init(date: LocalDate, hour: Int, minute: Int) {
        self.date = date
        self.hour = hour
        self.minute = minute
    }

    /// Minutes since 1970-01-01 00:00 on the wall clock.
    public var minutesSinceEpoch: Int64 { Int64(date.daysSinceEpoch) * 1440 + Int64(hour * 60 + minute) }

    public init(minutesSinceEpoch m: Int64) {
        let days = m >= 0 ? m / 1440 : -((-m + 1439) / 1440)
        let rest = Int(m - days * 1440)
        self.init(date: LocalDate(daysSinceEpoch: Int32(days)), hour: rest / 60, minute: rest % 60)
    }

    public static func < (a: WallTime, b: WallTime) -> Bool { a.minutesSinceEpoch < b.minutesSinceEpoch }

    public var description: String {
        date.description + "T" + (hour < 10 ? "0" : "") + String(hour) + ":" + (minute < 10 ? "0" : "") + String(minute)
    }
}
