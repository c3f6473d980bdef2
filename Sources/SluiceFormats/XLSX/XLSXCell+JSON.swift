/// Text renderings of a cell, as `sluice inspect` prints them.
///
/// JSON: text → string, number → number (as Excel shows it, see ``SpreadsheetNumber``), boolean →
/// `true`/`false`, empty → `null`, date → `"2024-02-29"`, date-time → `"2024-02-29T13:45:30"`
/// (`.250` added when there are milliseconds), time → `"13:45:30"`, duration → ISO 8601
/// `"PT36H0M0S"`, error → `{"error": "#DIV/0!"}`.
extension XLSXCell {
    /// The cell as a JSON value (see the type's documentation for the exact format).
    public var jsonFragment: String {
        switch self {
        case .empty: return "null"
        case .string(let text): return Self.jsonString(text)
        case .number(let text): return JSONValue.isValidNumberText(text) ? text : (Double(text).map { "\($0)" } ?? Self.jsonString(text))
        case .bool(let value): return value ? "true" : "false"
        case .error(let text): return "{\"error\": \(Self.jsonString(text))}"
        default: return Self.jsonString(isoText ?? "")
        }
    }

    /// ISO 8601 text for dates, date-times, times and durations; nil for other cells.
    public var isoText: String? {
        func pad(_ n: Int, _ width: Int = 2) -> String {
            let s = String(n)
            return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        }
        func clock(_ h: Int, _ m: Int, _ s: Int, _ ms: Int) -> String {
            "\(pad(h)):\(pad(m)):\(pad(s))" + (ms == 0 ? "" : ".\(pad(ms, 3))")
        }
        switch self {
        case let .date(y, m, d):
            return "\(pad(y, 4))-\(pad(m))-\(pad(d))"
        case let .dateTime(y, mo, d, h, mi, s, ms):
            return "\(pad(y, 4))-\(pad(mo))-\(pad(d))T" + clock(h, mi, s, ms)
        case .time(let ms):
            return clock(ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000)
        case .duration(let total):
            let ms = total.magnitude
            let seconds = ms / 1000 % 60, fraction = ms % 1000
            return (total < 0 ? "-" : "") + "PT\(ms / 3_600_000)H\(ms / 60_000 % 60)M\(seconds)"
                + (fraction == 0 ? "" : ".\(pad(Int(fraction), 3))") + "S"
        default:
            return nil
        }
    }

    /// A JSON string literal, escaped by the JSON writer.
    static func jsonString(_ text: String) -> String {
        var out: [UInt8] = []
        JSONWriter.appendString(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
