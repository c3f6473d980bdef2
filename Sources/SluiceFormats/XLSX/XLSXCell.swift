/// One cell's value as read from a worksheet.
///
/// Numbers are what a person sees in Excel: the double rounded to 15 significant digits, in its
/// shortest form (see ``SpreadsheetNumber``), so integers stay integers and `2153.9299999999998`
/// reads `2153.93`; dates come from `t="d"` cells or from date/time number formats.
public enum XLSXCell: Sendable, Hashable {
    /// No value (also a cell that only carries a style).
    case empty
    /// Text: shared, inline or rich-text (phonetic runs excluded), `_xHHHH_` escapes decoded, whitespace kept.
    case string(String)
    /// A number as ``SpreadsheetNumber`` writes it ("0.1", "42", "0.0015", "2153.93").
    case number(String)
    case bool(Bool)
    /// An error value, with its text ("#DIV/0!", "#N/A").
    case error(String)
    case date(year: Int, month: Int, day: Int)
    case dateTime(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, millisecond: Int)
    /// A time of day (a time-only number format on a value below 1, or an ISO time).
    case time(millisecondOfDay: Int)
    /// An elapsed time (`[h]:mm:ss`-style formats).
    case duration(milliseconds: Int64)

    /// Whether this is ``empty``.
    public var isEmpty: Bool { if case .empty = self { true } else { false } }

    /// The value as an integer, when it is a number written without a fraction or exponent.
    public var integerValue: Int64? {
        guard case .number(let text) = self else { return nil }
        return Int64(text)
    }

    /// The value as a Double, when it is a number.
    public var doubleValue: Double? {
        guard case .number(let text) = self else { return nil }
        return Double(text)
    }
}
