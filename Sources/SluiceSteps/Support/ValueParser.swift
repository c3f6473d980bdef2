import SluiceCore

/// Turns text from files into typed values, the way people write them in spreadsheets
/// and CSV exports: `12.50`, `12,50` (with a decimal comma), `1'234.50`, `8,1%`, `2026-11-21`,
/// `21.11.2026`, `true`/`false`.
public struct ValueParser: Sendable {
    public enum DecimalSeparator: String, Sendable, Decodable { case dot = ".", comma = "," }

    public var decimalSeparator: DecimalSeparator
    /// The date format of the column (the default accepts `yyyy-MM-dd` and `dd.MM.yyyy`).
    public var dateFormat: DateFormat?

    public init(decimalSeparator: DecimalSeparator = .dot, dateFormat: DateFormat? = nil) {
        self.decimalSeparator = decimalSeparator
        self.dateFormat = dateFormat
    }

    var separator: Unicode.Scalar { decimalSeparator == .comma ? "," : "." }

    /// A whole number, with grouping characters by three (`1 234`, `1'234`), never a fraction.
    public func integer(_ text: String) -> Int64? {
        if let v = Int64(text) { return v }
        guard let d = WrittenNumber.parse(text, decimalSeparator: separator, fraction: false), d.scale == 0 else { return nil }
        return d.significand
    }

    /// An exact decimal written as `WrittenNumber` reads it: grouped by three, with the
    /// column's decimal separator, a percent sign dividing by 100; never an exponent.
    public func decimal(_ text: String) -> DecimalNumber? {
        WrittenNumber.parse(text, decimalSeparator: separator)
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
        if let f = dateFormat { return f.date(t) }
        return LocalDate(iso: t) ?? DateFormat.dottedDayMonthYear.date(t)
    }

    public func datetime(_ text: String) -> LocalDateTime? {
        let t = text.trimmedSpaces
        if let f = dateFormat, f.hasTime { return f.datetime(t) }
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
    /// Used when reading untyped files with `types: infer`. A number is one only as Sluice
    /// writes it (`-12`, `3.50`): a leading zero, a `+`, an exponent or a grouping character
    /// keeps the whole column text, so no value changes by being read.
    public static func inferType(_ column: some Sequence<String>) -> ColumnType {
        var candidates: [ColumnType] = [.integer, .decimal, .date, .datetime, .bool]
        var sawValue = false
        for text in column where !text.isEmpty {
            sawValue = true
            candidates.removeAll { type in
                switch type {
                // Numbers only when they print back as written: 007 and 08123 (zip codes) stay text.
                case .integer: return !WrittenNumber.isAsWritten(text, integer: true) || Int64(text) == nil
                case .decimal: return !WrittenNumber.isAsWritten(text, integer: false) || DecimalNumber(parsing: text) == nil
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
