import Foundation

/// A calendar date without a time zone, stored as days since 1970-01-01
/// (proleptic Gregorian calendar).
public struct LocalDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var daysSinceEpoch: Int32

    public init(daysSinceEpoch: Int32) { self.daysSinceEpoch = daysSinceEpoch }

    /// Returns nil when the date does not exist (`2026-02-30`).
    public init?(year: Int, month: Int, day: Int) {
        guard (1 ... 12).contains(month), day >= 1, day <= LocalDate.daysIn(month: month, year: year),
              (1 ... 9999).contains(year) else { return nil }
        self.daysSinceEpoch = Int32(LocalDate.days(year: year, month: month, day: day))
    }

    /// Parses `YYYY-MM-DD`.
    public init?(iso text: some StringProtocol) {
        let u = Array(text.utf8)
        guard u.count == 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-"),
              let y = digits(u, 0, 4), let m = digits(u, 5, 2), let d = digits(u, 8, 2) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public var components: (year: Int, month: Int, day: Int) {
        // Civil-from-days, after Howard Hinnant's public-domain algorithm description.
        let z = Int(daysSinceEpoch) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    /// ISO weekday: 1 = Monday ... 7 = Sunday.
    public var weekday: Int {
        let w = (Int(daysSinceEpoch) % 7 + 7 + 3) % 7 // 1970-01-01 was a Thursday
        return w + 1
    }

    public func adding(days: Int) -> LocalDate { LocalDate(daysSinceEpoch: daysSinceEpoch + Int32(days)) }

    public var description: String {
        let c = components
        guard (0 ... 9999).contains(c.year) else { return pad(c.year, 4) + "-" + pad(c.month, 2) + "-" + pad(c.day, 2) }
        return String(unsafeUninitializedCapacity: 10) { b in
            var y = c.year
            for i in (0 ..< 4).reversed() { b[i] = UInt8(48 + y % 10); y /= 10 }
            b[4] = UInt8(ascii: "-")
            b[5] = UInt8(48 + c.month / 10); b[6] = UInt8(48 + c.month % 10)
            b[7] = UInt8(ascii: "-")
            b[8] = UInt8(48 + c.day / 10); b[9] = UInt8(48 + c.day % 10)
            return 10
        }
    }

    public static func < (a: LocalDate, b: LocalDate) -> Bool { a.daysSinceEpoch < b.daysSinceEpoch }

    public static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}

/// A date and a wall-clock time without a time zone, to the millisecond.
public struct LocalDateTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var date: LocalDate
    /// Milliseconds since midnight, 0 ..< 86_400_000.
    public var millisecondOfDay: Int32

    public init(date: LocalDate, millisecondOfDay: Int32 = 0) {
        self.date = date
        self.millisecondOfDay = millisecondOfDay
    }

    public init?(date: LocalDate, hour: Int, minute: Int, second: Int, millisecond: Int = 0) {
        guard (0 ..< 24).contains(hour), (0 ..< 60).contains(minute), (0 ..< 61).contains(second),
              (0 ..< 1000).contains(millisecond) else { return nil }
        self.init(date: date, millisecondOfDay: Int32(((hour * 60 + minute) * 60 + min(second, 59)) * 1000 + millisecond))
    }

    /// Parses `YYYY-MM-DDTHH:MM[:SS[.fff]]` (a space may stand for `T`; a trailing `Z` is accepted).
    public init?(iso text: some StringProtocol) {
        var s = Substring(text)
        if s.hasSuffix("Z") { s = s.dropLast() }
        guard s.count >= 16, let date = LocalDate(iso: s.prefix(10)) else { return nil }
        let u = Array(s.utf8)
        guard u[10] == UInt8(ascii: "T") || u[10] == UInt8(ascii: " "), u[13] == UInt8(ascii: ":"),
              let h = digits(u, 11, 2), let m = digits(u, 14, 2) else { return nil }
        var sec = 0
        var ms = 0
        if u.count > 16 {
            guard u.count >= 19, u[16] == UInt8(ascii: ":"), let s2 = digits(u, 17, 2) else { return nil }
            sec = s2
            if u.count > 19 {
                guard u[19] == UInt8(ascii: "."), u.count > 20 else { return nil }
                let frac = u[20...].prefix(3)
                guard let f = digits(Array(frac), 0, frac.count), u[20...].allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
                ms = f * (frac.count == 1 ? 100 : frac.count == 2 ? 10 : 1)
            }
        }
        self.init(date: date, hour: h, minute: m, second: sec, millisecond: ms)
    }

    public var hour: Int { Int(millisecondOfDay) / 3_600_000 }
    public var minute: Int { Int(millisecondOfDay) / 60000 % 60 }
    public var second: Int { Int(millisecondOfDay) / 1000 % 60 }
    public var millisecond: Int { Int(millisecondOfDay) % 1000 }

    /// Milliseconds since 1970-01-01T00:00 on the same wall clock.
    public var epochMilliseconds: Int64 { Int64(date.daysSinceEpoch) * 86_400_000 + Int64(millisecondOfDay) }

    public init(epochMilliseconds ms: Int64) {
        let days = ms >= 0 ? ms / 86_400_000 : (ms - 86_399_999) / 86_400_000
        self.init(date: LocalDate(daysSinceEpoch: Int32(days)), millisecondOfDay: Int32(ms - days * 86_400_000))
    }

    public var description: String {
        var s = date.description + "T" + pad(hour, 2) + ":" + pad(minute, 2) + ":" + pad(second, 2)
        if millisecond != 0 { s += "." + pad(millisecond, 3) }
        return s
    }

    public static func < (a: LocalDateTime, b: LocalDateTime) -> Bool { a.epochMilliseconds < b.epochMilliseconds }
}

func digits(_ u: [UInt8], _ start: Int, _ count: Int) -> Int? {
    guard start + count <= u.count, count > 0 else { return nil }
    var v = 0
    for i in start ..< start + count {
        let c = u[i]
        guard c >= 48 && c <= 57 else { return nil }
        v = v * 10 + Int(c - 48)
    }
    return v
}

func pad(_ n: Int, _ width: Int) -> String {
    let s = String(abs(n))
    return (n < 0 ? "-" : "") + (s.count < width ? String(repeating: "0", count: width - s.count) + s : s)
}

extension Date {
    /// `2026-11-21T08:30:15Z` (UTC, to the second), without a formatter object.
    public var iso8601: String {
        let t = LocalDateTime(epochMilliseconds: Int64((timeIntervalSince1970 * 1000).rounded(.down)))
        return t.date.description + "T" + pad(t.hour, 2) + ":" + pad(t.minute, 2) + ":" + pad(t.second, 2) + "Z"
    }
}
