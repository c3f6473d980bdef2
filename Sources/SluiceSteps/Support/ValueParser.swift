import SluiceCore

/// Turns text from files into typed values, the way people write them in spreadsheets
/// and CSV exports: `12.50`, `12,50` (with a decimal comma), `1'234.50`, `2026-11-21`,
/// `21.11.2026`, `true`/`false`.
public struct ValueParser: Sendable {
    public enum DecimalSeparator: String, Sendable, Decodable { case dot = ".", comma = "," }

    public var decimalSeparator: DecimalSeparator
    /// A date format such as `dd.MM.yyyy`, `dd/MM/yyyy`, `MM/dd/yyyy`, `yyyy-MM-dd` (the default
    /// accepts `yyyy-MM-dd` and `dd.MM.yyyy`).
    public var dateFormat: String?

    public init(decimalSeparator: DecimalSeparator = .dot, dateFormat: String? = nil) {
        self.decimalSeparator = decimalSeparator
        self.dateFormat = dateFormat
    }

    /// The text without grouping characters (`'`, spaces, no-break spaces), with a `.` decimal point.
    func normalizedNumber(_ text: String) -> String? {
        var out = ""
        var sawSeparator = false
        for c in text {
            switch c {
            case "'", " ", "\u{00A0}", "\u{202F}", "’": continue
            case ",":
                if decimalSeparator == .comma { if sawSeparator { return nil }; sawSeparator = true; out.append(".") } else { return nil }
            case ".":
                if decimalSeparator == .dot { if sawSeparator { return nil }; sawSeparator = true; out.append(".") } else { return nil }
            default: out.append(c)
            }
        }
        return out
    }

    public func integer(_ text: String) -> Int64? {
        if let v = Int64(text) { return v }
        guard let n = normalizedNumber(text.trimmedSpaces), !n.contains(".") else { return nil }
        return Int64(n)
    }

    public func decimal(_ text: String) -> DecimalNumber? {
        let t = text.trimmedSpaces
        if let d = DecimalNumber(parsing: t), decimalSeparator == .dot || !t.contains(".") { return d }
        guard let n = normalizedNumber(t) else { return nil }
        return DecimalNumber(parsing: n)
    }

    public func bool(_ text: String) -> Bool? {
        switch text.trimmedSpaces.lowercased() {
        case "true", "yes", "oui", "ja", "1", "vrai", "x": return true
        case "false", "no", "non", "nein", "0", "faux": return false
        default: return nil
        }
    }

    public func date(_ text: String) -> LocalDate? {
        let t = text.trimmedSpaces
        if let f = dateFormat { return Self.date(t, format: f) }
        return LocalDate(iso: t) ?? Self.date(t, format: "dd.MM.yyyy")
    }

    public func datetime(_ text: String) -> LocalDateTime? {
        let t = text.trimmedSpaces
        if let d = LocalDateTime(iso: t) { return d }
        if let d = date(t) { return LocalDateTime(date: d) }
        // `21.11.2026 08:30[:15]`
        let parts = t.split(separator: " ", maxSplits: 1)
        if parts.count == 2, let d = date(String(parts[0])) {
            let hms = parts[1].split(separator: ":").compactMap { Int($0) }
            if hms.count >= 2 { return LocalDateTime(date: d, hour: hms[0], minute: hms[1], second: hms.count > 2 ? hms[2] : 0) }
        }
        return nil
    }

    /// Parses `text` against a date format made of `dd`, `MM`, `yyyy` (or `yy`) and separators.
    public static func date(_ text: String, format: String) -> LocalDate? {
        let t = Array(text.utf8)
        let f = Array(format.utf8)
        var y: Int?, m: Int?, d: Int?
        var i = 0, j = 0
        while j < f.count {
            let c = f[j]
            var run = 0
            while j + run < f.count && f[j + run] == c { run += 1 }
            if c == UInt8(ascii: "d") || c == UInt8(ascii: "M") || c == UInt8(ascii: "y") {
                // Accept one or two digits for d and M (`1.2.2026`), exactly `run` for years.
                var digits = 0
                var v = 0
                let maxDigits = c == UInt8(ascii: "y") ? run : 2
                while i < t.count, digits < maxDigits, t[i] >= 48, t[i] <= 57 { v = v * 10 + Int(t[i] - 48); i += 1; digits += 1 }
                if digits == 0 || (c == UInt8(ascii: "y") && digits != run) { return nil }
                if c == UInt8(ascii: "d") { d = v } else if c == UInt8(ascii: "M") { m = v } else { y = run == 2 ? 2000 + v : v }
                j += run
            } else {
                guard i < t.count, t[i] == c else { return nil }
                i += 1
                j += 1
            }
        }
        guard i == t.count, let y, let m, let d else { return nil }
        return LocalDate(year: y, month: m, day: d)
    }

    /// Converts a value to `type`, or nil when it cannot be (text that is not a number...).
    public func convert(_ value: Value, to type: ColumnType) -> Value? {
        if value.isNull { return .null }
        switch (type, value) {
        case (.any, _): return value
        case (.string, .string): return value
        case (.string, _): return .string(value.description)
        case (.integer, .integer): return value
        case let (.integer, .decimal(d)): return d.isInteger ? .integer(d.normalized.significand) : nil
        case let (.integer, .string(s)): return s.trimmedSpaces.isEmpty ? .null : integer(s).map(Value.integer)
        case let (.decimal, .integer(i)): return .decimal(DecimalNumber(i))
        case (.decimal, .decimal): return value
        case let (.decimal, .string(s)): return s.trimmedSpaces.isEmpty ? .null : decimal(s).map(Value.decimal)
        case (.date, .date): return value
        case let (.date, .datetime(t)): return t.millisecondOfDay == 0 ? .date(t.date) : nil
        case let (.date, .string(s)): return s.trimmedSpaces.isEmpty ? .null : date(s).map(Value.date)
        case (.datetime, .datetime): return value
        case let (.datetime, .date(d)): return .datetime(LocalDateTime(date: d))
        case let (.datetime, .string(s)): return s.trimmedSpaces.isEmpty ? .null : datetime(s).map(Value.datetime)
        case (.bool, .bool): return value
        case let (.bool, .string(s)): return s.trimmedSpaces.isEmpty ? .null : bool(s).map(Value.bool)
        case let (.bool, .integer(i)): return i == 0 ? .bool(false) : (i == 1 ? .bool(true) : nil)
        default: return nil
        }
    }

    /// The narrowest type every non-empty text fits: integer, decimal, date, datetime, bool, else string.
    /// Used when reading untyped files with `types: infer`.
    public static func inferType(_ column: some Sequence<String>) -> ColumnType {
        var candidates: [ColumnType] = [.integer, .decimal, .date, .datetime, .bool]
        var sawValue = false
        for text in column where !text.isEmpty {
            sawValue = true
            candidates.removeAll { type in
                switch type {
                case .integer: return Int64(text) == nil || (text.count > 1 && text.hasPrefix("0")) // keep 007, zip codes
                case .decimal: return DecimalNumber(parsing: text) == nil || text.hasPrefix("+") || text.contains("e") || text.contains("E")
                case .date: return LocalDate(iso: text) == nil
                case .datetime: return LocalDateTime(iso: text) == nil
                case .bool: return !["true", "false", "TRUE", "FALSE", "True", "False"].contains(text)
                default: return true
                }
            }
            if candidates.isEmpty { return .string }
        }
        return sawValue ? candidates[0] : .string
    }

    /// Typed value of a text in an inferred column.
    public static func typed(_ text: String, as type: ColumnType) -> Value {
        if text.isEmpty { return .null }
        switch type {
        case .integer: return Int64(text).map(Value.integer) ?? .string(text)
        case .decimal: return DecimalNumber(parsing: text).map(Value.decimal) ?? .string(text)
        case .date: return LocalDate(iso: text).map(Value.date) ?? .string(text)
        case .datetime: return LocalDateTime(iso: text).map(Value.datetime) ?? .string(text)
        case .bool: return .bool(text.lowercased() == "true")
        default: return .string(text)
        }
    }
}

extension String {
    var trimmedSpaces: String {
        // Most cells need no trimming: answer without building a new string.
        guard let f = first, let l = last, f.isWhitespace || l.isWhitespace else { return self }
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
