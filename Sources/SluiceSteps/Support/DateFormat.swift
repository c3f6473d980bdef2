import SluiceCore

/// A date (or date-time) format written the way people write it, read once and then
/// used for every cell.
///
/// Accepted spellings: `dd`/`DD`/`d` (day, also the French `jj`), `MM`/`M` and, outside a
/// time, `mm` (month), `yyyy`/`YYYY`/`yy` (year, also the French `aaaa`/`aa`), `HH`/`hh`
/// (hour), `mm` or `MM` right after the hour (minutes), `ss` (seconds); and the strftime
/// forms `%d %e %m %Y %y %H %M %S`. Letters meant as themselves are quoted (`'T'`, `'h'`);
/// any other letter is refused with the right spelling. Days, months, hours, minutes and seconds are read with one or two digits
/// (`1.2.2026`), years with exactly as many as the format has.
public struct DateFormat: Sendable, Hashable, CustomStringConvertible {
    enum Field: Hashable, Sendable { case day, month, year(digits: Int), hour, minute, second }
    enum Part: Hashable, Sendable { case field(Field), literal(Character) }

    /// What a manifest's `format:` says is wrong with it, and how to write it.
    public struct Problem: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    let parts: [Part]
    /// The format as the manifest wrote it.
    public let source: String

    /// `dd.MM.yyyy`, the format tried when a column has none and the text is not ISO.
    public static let dottedDayMonthYear = try! DateFormat("dd.MM.yyyy")

    public init(_ text: String) throws(Problem) {
        source = text
        var parts: [Part] = []
        let chars = Array(text)
        var i = 0
        func refuse(_ why: String) -> Problem {
            Problem(description: "date format '\(text)': \(why); write it with dd (day), MM (month), yyyy or yy (year), HH:mm:ss (time), e.g. dd.MM.yyyy")
        }
        while i < chars.count {
            let c = chars[i]
            if c == "%" {
                guard i + 1 < chars.count else { throw refuse("a '%' ends the format") }
                let f: Part
                switch chars[i + 1] {
                case "d", "e": f = .field(.day)
                case "m": f = .field(.month)
                case "Y": f = .field(.year(digits: 4))
                case "y": f = .field(.year(digits: 2))
                case "H": f = .field(.hour)
                case "M": f = .field(.minute)
                case "S": f = .field(.second)
                case "%": f = .literal("%")
                default: throw refuse("'%\(chars[i + 1])' is not read (day and month names are not)")
                }
                parts.append(f)
                i += 2
                continue
            }
            if c == "'" {
                // A quoted literal, as in Unicode patterns: `yyyy-MM-dd'T'HH:mm`, `HH'h'mm`; `''` is a quote.
                guard let close = chars[(i + 1)...].firstIndex(of: "'") else { throw refuse("a quote (') is never closed") }
                if close == i + 1 { parts.append(.literal("'")) } else { parts.append(contentsOf: chars[(i + 1) ..< close].map(Part.literal)) }
                i = close + 1
                continue
            }
            guard c.isLetter else { parts.append(.literal(c)); i += 1; continue }
            var run = 1
            while i + run < chars.count, chars[i + run] == c { run += 1 }
            let afterHour: Bool = {
                for p in parts.reversed() { if case let .field(f) = p { return f == .hour } }
                return false
            }()
            switch c {
            case "d", "D", "j", "J":
                guard run <= 2 else { throw refuse("'\(String(repeating: c, count: run))' would be a day name, which is not read") }
                parts.append(.field(.day))
            case "M", "m":
                if afterHour, run <= 2 { parts.append(.field(.minute)); break }
                guard run <= 2 else { throw refuse("'\(String(repeating: c, count: run))' would be a month name, which is not read") }
                parts.append(.field(.month))
            case "y", "Y", "a", "A":
                guard run == 2 || run == 4 else { throw refuse("'\(String(repeating: c, count: run))' is not a year: use yyyy (2026) or yy (26)") }
                parts.append(.field(.year(digits: run)))
            case "H", "h":
                guard run <= 2 else { throw refuse("'\(String(repeating: c, count: run))' is not an hour: use HH") }
                parts.append(.field(.hour))
            case "s", "S":
                guard run <= 2 else { throw refuse("'\(String(repeating: c, count: run))' is not seconds: use ss") }
                parts.append(.field(.second))
            default:
                throw refuse("'\(c)' is not a date field")
            }
            i += run
        }
        let fields = parts.compactMap { p -> Field? in if case let .field(f) = p { return f } else { return nil } }
        func count(_ match: (Field) -> Bool) -> Int { fields.filter(match).count }
        let years = count { if case .year = $0 { true } else { false } }
        for (name, n) in [("day", count { $0 == .day }), ("month", count { $0 == .month }), ("year", years)] where n != 1 {
            throw refuse(n == 0 ? "it has no \(name)" : "it has the \(name) twice")
        }
        for (name, n) in [("hour", count { $0 == .hour }), ("minutes", count { $0 == .minute }), ("seconds", count { $0 == .second })] where n > 1 {
            throw refuse("it has the \(name) twice")
        }
        if count({ $0 == .second }) > 0 && count({ $0 == .minute }) == 0 { throw refuse("it has seconds but no minutes") }
        if count({ $0 == .minute }) > 0 && count({ $0 == .hour }) == 0 { throw refuse("it has minutes but no hour") }
        self.parts = parts
    }

    /// Whether the format has a time of day (an hour).
    public var hasTime: Bool { parts.contains(.field(.hour)) }

    /// The format in Sluice's own spelling: `dd.MM.yyyy`, `dd/MM/yy HH:mm`.
    public var description: String {
        parts.map { p in
            switch p {
            case let .literal(c): c.isLetter ? "'\(c)'" : c == "'" ? "''" : String(c)
            case .field(.day): "dd"
            case .field(.month): "MM"
            case let .field(.year(digits)): String(repeating: "y", count: digits)
            case .field(.hour): "HH"
            case .field(.minute): "mm"
            case .field(.second): "ss"
            }
        }.joined()
    }

    /// The date `text` names in this format (a format with a time needs the time too).
    public func date(_ text: String) -> LocalDate? {
        guard let f = fields(text) else { return nil }
        return LocalDate(year: f.year, month: f.month, day: f.day)
    }

    /// The date and time `text` names; without a time in the format, midnight.
    public func datetime(_ text: String) -> LocalDateTime? {
        guard let f = fields(text), let d = LocalDate(year: f.year, month: f.month, day: f.day) else { return nil }
        return LocalDateTime(date: d, hour: f.hour, minute: f.minute, second: f.second)
    }

    func fields(_ text: String) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int)? {
        let t = Array(text)
        var i = 0
        var values: [Field: Int] = [:]
        var yearValue = 0
        for p in parts {
            switch p {
            case let .literal(c):
                guard i < t.count, t[i] == c else { return nil }
                i += 1
            case let .field(f):
                let maxDigits: Int
                if case let .year(n) = f { maxDigits = n } else { maxDigits = 2 }
                var digits = 0
                var v = 0
                while i < t.count, digits < maxDigits, let d = t[i].wholeNumberValue, t[i].isASCII {
                    v = v * 10 + d
                    i += 1
                    digits += 1
                }
                if case let .year(n) = f {
                    guard digits == n else { return nil }
                    // Two digits as Excel reads them when typed: 00–29 are 2000–2029, 30–99 are 1930–1999.
                    yearValue = n == 2 ? (v < 30 ? 2000 + v : 1900 + v) : v
                } else {
                    guard digits > 0 else { return nil }
                    values[f] = v
                }
            }
        }
        guard i == t.count, let month = values[.month], let day = values[.day] else { return nil }
        return (yearValue, month, day, values[.hour] ?? 0, values[.minute] ?? 0, values[.second] ?? 0)
    }
}
