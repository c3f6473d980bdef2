/// What a number format makes of a number: whether it shows a date, a time, a date and time,
/// an elapsed duration, or just a number.
public enum XLSXNumberFormat {
    /// The classification of a number format.
    public enum Kind: UInt8, Sendable, Hashable {
        case number, date, time, dateTime, duration
    }

    /// The kind of a built-in format id (those without a `<numFmt>` in styles.xml).
    ///
    /// 14–17 dates, 18–21 times, 22 date and time, 45 and 47 minutes:seconds, 46 `[h]:mm:ss`;
    /// 27–36 and 50–58 are the East Asian locales' date formats.
    public static func builtInKind(id: Int) -> Kind {
        switch id {
        case 14...17, 27...36, 50...58: .date
        case 18...21, 45, 47: .time
        case 22: .dateTime
        case 46: .duration
        default: .number
        }
    }

    /// The kind of a format code such as `yyyy-mm-dd`, `[h]:mm:ss`, `#,##0.00 [$€-407]`.
    ///
    /// Only the first section (before `;`) counts. Quoted text, `\`-escaped characters, the
    /// character after `_` or `*`, and bracketed parts (colours, locales, conditions) are ignored,
    /// except `[h]`, `[m]`, `[s]` (elapsed time, so a duration). `y` or `d` make a date, `h`, `s`
    /// or `AM/PM` a time; `m` is minutes next to a time part and months otherwise.
    public static func kind(formatCode: String) -> Kind {
        let code = Array(formatCode.utf8)
        var hasDate = false, hasTime = false, hasMonthOrMinute = false, hasElapsed = false
        var i = 0
        scan: while i < code.count {
            let c = code[i]
            switch c {
            case UInt8(ascii: "\""):
                i += 1
                while i < code.count, code[i] != UInt8(ascii: "\"") { i += 1 }
            case UInt8(ascii: "\\"), UInt8(ascii: "_"), UInt8(ascii: "*"):
                i += 1
            case UInt8(ascii: "["):
                var j = i + 1
                while j < code.count, code[j] != UInt8(ascii: "]") { j += 1 }
                let inside = code[(i + 1)..<min(j, code.count)].map { $0 | 0x20 }
                if let first = inside.first, [UInt8(ascii: "h"), UInt8(ascii: "m"), UInt8(ascii: "s")].contains(first),
                   inside.allSatisfy({ $0 == first }) {
                    hasElapsed = true
                }
                i = j
            case UInt8(ascii: ";"):
                break scan
            case UInt8(ascii: "y"), UInt8(ascii: "Y"), UInt8(ascii: "d"), UInt8(ascii: "D"):
                hasDate = true
            case UInt8(ascii: "h"), UInt8(ascii: "H"), UInt8(ascii: "s"), UInt8(ascii: "S"):
                hasTime = true
            case UInt8(ascii: "m"), UInt8(ascii: "M"):
                hasMonthOrMinute = true
            case UInt8(ascii: "a"), UInt8(ascii: "A"):
                let rest = code[i...].prefix(5).map { $0 | 0x20 }
                if rest.starts(with: Array("am/pm".utf8)) { hasTime = true; i += 4 }
                else if rest.starts(with: Array("a/p".utf8)) { hasTime = true; i += 2 }
            case UInt8(ascii: "g"), UInt8(ascii: "G"):
                let rest = code[i...].prefix(7).map { $0 | 0x20 }
                if rest.starts(with: Array("general".utf8)) { i += 6 }
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                // Scientific notation (0.00E+00): skip the sign that follows.
                if i + 1 < code.count, code[i + 1] == UInt8(ascii: "+") || code[i + 1] == UInt8(ascii: "-") { i += 1 }
            default:
                break
            }
            i += 1
        }
        if hasElapsed { return .duration }
        if hasDate { return hasTime ? .dateTime : .date }
        if hasTime { return .time }
        if hasMonthOrMinute { return .date }
        return .number
    }
}
