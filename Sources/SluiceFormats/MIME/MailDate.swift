import Foundation

/// RFC 5322 §3.3 dates (`Mon, 01 Jan 2024 09:30:00 +0100`), with the obsolete forms real
/// mail still carries: two-digit years, zone names (`GMT`, `EST`...), no seconds, a trailing
/// `(comment)`, no day of the week.
public enum MailDate {
    /// The moment `text` names, or nil when it is not a date.
    public static func parse(_ text: String) -> Date? {
        let (visible, _) = MailAddress.stripComments(Substring(text))
        let tokens = visible.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," || $0 == "\r" || $0 == "\n" }).map(String.init)
        var k = 0
        if k < tokens.count, tokens[k].first?.isLetter == true { k += 1 }  // day of week
        guard tokens.count - k >= 4 else { return nil }
        var dayText = tokens[k], monthText = tokens[k + 1]
        if Int(dayText) == nil, Int(monthText) != nil { swap(&dayText, &monthText) }  // "Jan 01"
        guard let day = Int(dayText), let month = months[String(monthText.prefix(3)).lowercased()],
              var year = Int(tokens[k + 2]) else { return nil }
        switch year {
        case 0..<50: year += 2000
        case 50..<1000: year += 1900
        default: break
        }
        guard (1...9999).contains(year) else { return nil }
        let clock = tokens[k + 3].split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
        guard clock.count == 2 || clock.count == 3, let hour = clock[0], let minute = clock[1] else { return nil }
        let second = clock.count == 3 ? clock[2] : 0
        guard let second, (1...31).contains(day), (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second) else { return nil }
        let offset = k + 4 < tokens.count ? zoneOffset(tokens[k + 4]) : 0
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    /// Seconds east of UTC; unknown names (and military letters) count as UTC.
    private static func zoneOffset(_ zone: String) -> Int {
        if let sign = zone.first, sign == "+" || sign == "-" {
            let digits = zone.dropFirst()
            guard digits.count == 4, let v = Int(digits) else { return 0 }
            let minutes = (v / 100) * 60 + v % 100
            return (sign == "-" ? -minutes : minutes) * 60
        }
        return (zones[zone.uppercased()] ?? 0) * 3_600
    }

    private static let months = ["jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
                                 "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12]
    private static let zones = ["UT": 0, "UTC": 0, "GMT": 0, "Z": 0, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5,
                                "MST": -7, "MDT": -6, "PST": -8, "PDT": -7]

    /// Days since 1970-01-01 in the proleptic Gregorian calendar.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
