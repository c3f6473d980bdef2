extension ExpressionFunctionCompiler {
    /// Numeric and date functions: round, abs, floor, ceil, min, max, year, month, day,
    /// weekday, date, add_days, days_between, format_date.
    func compileNumberOrDate(_ name: String, _ nodes: [ExpressionNode], _ arguments: [CompiledNode],
                             _ reader: FunctionArguments) throws(ExpressionError) -> CompiledNode {
        let e = arguments.map(\.evaluator)
        switch name {
        case "round":
            if e.count == 1 {
                return strict(e) { (x) throws(ExpressionError) in try Self.round(x, 0, reader) }
            }
            return strict(e) { (x, digits) throws(ExpressionError) in try Self.round(x, try reader.integer(digits, 1), reader) }
        case "abs":
            return strict(e) { (x) throws(ExpressionError) in
                switch x {
                case let .integer(i): return i < 0 ? try ExpressionRuntime.negate(x, reader.site) : x
                case let .decimal(d): return d.significand < 0 ? try ExpressionRuntime.negate(x, reader.site) : x
                default: throw reader.mismatch(x, 0, "a number")
                }
            }
        case "floor", "ceil":
            let up = name == "ceil"
            return strict(e) { (x) throws(ExpressionError) in
                switch x {
                case .integer: return x
                case let .decimal(d):
                    guard d.scale > 0 else { return .integer(Self.truncated(d)) }
                    let unit = pow10(Int(d.scale))
                    var q = Int128(d.significand) / unit
                    let r = Int128(d.significand) % unit
                    if up && r > 0 { q += 1 }
                    if !up && r < 0 { q -= 1 }
                    return .integer(Int64(q))
                default: throw reader.mismatch(x, 0, "a number")
                }
            }
        case "min", "max":
            let type = try compiler.checker.type(of: call)
            let wantLarger = name == "max"
            return .row { row throws(ExpressionError) in
                var best = Value.null
                for (i, evaluate) in e.enumerated() {
                    let v = try evaluate(row)
                    if v.isNull { return .null }
                    if i == 0 { best = v; continue }
                    let order = try ExpressionRuntime.compare(v, best, reader.site)!
                    if wantLarger ? order > 0 : order < 0 { best = v }
                }
                return ExpressionRuntime.coerce(best, to: type)
            }
        case "year", "month", "day", "weekday":
            let field: @Sendable (LocalDate) -> Int = switch name {
            case "year": { $0.components.year }
            case "month": { $0.components.month }
            case "day": { $0.components.day }
            default: { $0.weekday }
            }
            return strict(e) { (d) throws(ExpressionError) in .integer(Int64(field(try reader.date(d, 0)))) }
        case "date":
            if e.count == 3 {
                return strict(e) { (y, m, d) throws(ExpressionError) in
                    let year = try reader.integer(y, 0), month = try reader.integer(m, 1), day = try reader.integer(d, 2)
                    guard let date = LocalDate(year: Int(clamping: year), month: Int(clamping: month), day: Int(clamping: day)) else {
                        throw reader.site.error("\(year)-\(month)-\(day) is not a valid date")
                    }
                    return .date(date)
                }
            }
            return strict(e) { (v) throws(ExpressionError) in
                switch v {
                case .date: return v
                case let .datetime(t): return .date(t.date)
                case let .string(s):
                    let text = s.trimmingWhitespace
                    if let d = LocalDate(iso: text) { return .date(d) }
                    if let t = LocalDateTime(iso: text) { return .date(t.date) }
                    throw reader.site.error("cannot read \(ExpressionSite.describe(v)) as a date (yyyy-mm-dd)")
                default: throw reader.mismatch(v, 0, "text or a date")
                }
            }
        case "add_days":
            return strict(e) { (d, n) throws(ExpressionError) in
                try ExpressionRuntime.add(d, .integer(try reader.integer(n, 1)), reader.site)
            }
        case "days_between":
            return strict(e) { (a, b) throws(ExpressionError) in
                let from = try reader.date(a, 0), to = try reader.date(b, 1)
                return .integer(Int64(to.daysSinceEpoch) - Int64(from.daysSinceEpoch))
            }
        case "format_date":
            let pattern = try ExpressionPattern.datePattern(from: nodes[1])
            return strict(Array(e.prefix(1))) { (v) throws(ExpressionError) in
                switch v {
                case let .date(d): return .string(pattern.format(d))
                case let .datetime(t): return .string(pattern.format(t.date, millisecondOfDay: t.millisecondOfDay))
                default: throw reader.mismatch(v, 0, "a date")
                }
            }
        default:
            throw ExpressionError(message: "unknown function '\(name)'", range: call.range)
        }
    }

    /// Rounds half away from zero (as a spreadsheet does) to `digits` fractional digits;
    /// a decimal result has exactly that scale (`round(2.5, 2)` is `2.50`). Negative
    /// digits round to tens, hundreds...
    static func round(_ x: Value, _ digits: Int64, _ reader: FunctionArguments) throws(ExpressionError) -> Value {
        let n = Int(max(-18, min(18, digits)))
        switch x {
        case let .integer(i):
            guard n < 0 else { return x }
            let unit = Int128(pow10(-n))
            return .integer(Int64(clamping: halfAwayFromZero(Int128(i), unit) * unit))
        case let .decimal(d):
            let scale = Int(d.scale)
            if n >= scale {
                let (m, overflow) = d.significand.multipliedReportingOverflow(by: Int64(pow10(n - scale)))
                return .decimal(overflow ? d : DecimalNumber(significand: m, scale: Int16(n)))
            }
            let q = halfAwayFromZero(Int128(d.significand), pow10(scale - n))
            if n >= 0 { return .decimal(DecimalNumber(significand: Int64(q), scale: Int16(n))) }
            do {
                return .decimal(try DecimalNumber.fit(q * pow10(-n), scale: 0))
            } catch {
                throw reader.site.error("decimal overflow")
            }
        default:
            throw reader.mismatch(x, 0, "a number")
        }
    }

    private static func halfAwayFromZero(_ value: Int128, _ unit: Int128) -> Int128 {
        var q = value / unit
        let r = value % unit
        if r.magnitude * 2 >= unit.magnitude { q += value < 0 ? -1 : 1 }
        return q
    }
}
