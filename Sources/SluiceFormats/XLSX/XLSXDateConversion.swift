/// Conversions between spreadsheet serial numbers and calendar dates.
///
/// 1900 system: serial 1 is 1900-01-01 and Excel counts a 29 February 1900 that never existed
/// (serial 60), so serials 1–59 are one day off from the 1899-12-30 epoch used from serial 61 on;
/// serial 60 reads as 1900-02-28. 1904 system: serial 0 is 1904-01-01.
enum XLSXDateConversion {
    static let millisecondsPerDay: Int64 = 86_400_000
    /// 9999-12-31 in the 1900 system, the last date Excel shows.
    static let maxSerial = 2_958_465.0

    /// Days since 1970-01-01 for a proleptic Gregorian date.
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let monthIndex = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * monthIndex + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date `days` after 1970-01-01.
    static func date(daysSinceEpoch days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static let epoch1900 = daysSinceEpoch(year: 1899, month: 12, day: 30)
    private static let epoch1904 = daysSinceEpoch(year: 1904, month: 1, day: 1)

    /// The cell a number with a date-like format stands for, or nil when the serial is no valid date.
    static func cell(serial: Double, kind: XLSXNumberFormat.Kind, date1904: Bool) -> XLSXCell? {
        guard serial.isFinite else { return nil }
        if kind == .duration {
            let ms = (serial * Double(millisecondsPerDay)).rounded()
            guard abs(ms) < 9.2e18 else { return nil }
            return .duration(milliseconds: Int64(ms))
        }
        guard serial >= 0, serial <= maxSerial + 1 else { return nil }
        var days = Int(serial.rounded(.down))
        var ms = Int(((serial - Double(days)) * Double(millisecondsPerDay)).rounded())
        if ms >= Int(millisecondsPerDay) { days += 1; ms -= Int(millisecondsPerDay) }
        if kind == .time && days == 0 { return .time(millisecondOfDay: ms) }
        let epochDays: Int
        if date1904 {
            epochDays = epoch1904 + days
        } else {
            epochDays = epoch1900 + days + (days >= 1 && days < 60 ? 1 : 0)
        }
        let d = date(daysSinceEpoch: epochDays)
        if kind == .date && ms == 0 { return .date(year: d.year, month: d.month, day: d.day) }
        return .dateTime(year: d.year, month: d.month, day: d.day,
                         hour: ms / 3_600_000, minute: ms / 60_000 % 60, second: ms / 1000 % 60, millisecond: ms % 1000)
    }

    /// The 1900-system serial day number of a date, or nil before 1900-01-01 (not representable).
    static func serialDay(year: Int, month: Int, day: Int) -> Int? {
        let days = daysSinceEpoch(year: year, month: month, day: day) - epoch1900
        if days < 2 { return nil }
        return days < 61 ? days - 1 : days
    }

    /// Parses an ISO 8601 `t="d"` value: `2021-01-01`, `2021-01-01T10:10:10(.123)(Z|±hh:mm)`, `10:10:10`.
    static func parseISO(_ text: String) -> XLSXCell? {
        let bytes = Array(text.utf8)
        var i = 0
        func number(_ digits: Int) -> Int? {
            guard i + digits <= bytes.count else { return nil }
            var value = 0
            for k in i..<(i + digits) {
                let c = bytes[k]
                guard c >= 48 && c <= 57 else { return nil }
                value = value * 10 + Int(c - 48)
            }
            i += digits
            return value
        }
        func expect(_ c: Character) -> Bool {
            guard i < bytes.count, bytes[i] == c.asciiValue! else { return false }
            i += 1
            return true
        }
        func parseTime() -> Int? {
            guard let h = number(2), expect(":"), let m = number(2) else { return nil }
            var s = 0, ms = 0
            if expect(":") {
                guard let sec = number(2) else { return nil }
                s = sec
                if expect(".") {
                    var scale = 100
                    while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 {
                        ms += Int(bytes[i] - 48) * scale
                        scale /= 10
                        i += 1
                    }
                }
            }
            guard h < 24, m < 60, s < 61 else { return nil }
            return ((h * 60 + m) * 60 + s) * 1000 + ms
        }
        if bytes.count >= 5, bytes[2] == UInt8(ascii: ":") {
            guard let t = parseTime(), i == bytes.count else { return nil }
            return .time(millisecondOfDay: t)
        }
        guard let y = number(4), expect("-"), let mo = number(2), expect("-"), let d = number(2),
              (1...12).contains(mo), (1...31).contains(d) else { return nil }
        if i == bytes.count { return .date(year: y, month: mo, day: d) }
        guard expect("T") || expect(" "), let t = parseTime() else { return nil }
        // A trailing Z or offset is accepted and ignored: cells hold wall-clock times.
        return .dateTime(year: y, month: mo, day: d, hour: t / 3_600_000, minute: t / 60_000 % 60,
                         second: t / 1000 % 60, millisecond: t % 1000)
    }
}
