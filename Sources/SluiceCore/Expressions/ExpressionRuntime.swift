/// Where a run-time failure happened: the failing sub-expression's text and range.
struct ExpressionSite: Sendable {
    let text: String
    let range: Range<Int>

    func error(_ message: String) -> ExpressionError {
        ExpressionError(message: "\(message) in '\(text)'", range: range)
    }

    /// "integer 5", "string 'abc'": how a value is named in run-time type errors.
    static func describe(_ value: Value) -> String {
        switch value {
        case .null: "null"
        case let .string(s): "text '\(s.count > 40 ? String(s.prefix(40)) + "…" : s)'"
        default: "\(value.type!) \(value)"
        }
    }
}

/// The operators on `Value`s used by compiled expressions. Every operator re-checks types,
/// so untyped (`.any`) columns fail with a clear message instead of a wrong answer.
/// Null operands give null.
enum ExpressionRuntime {
    static func add(_ a: Value, _ b: Value, _ site: ExpressionSite) throws(ExpressionError) -> Value {
        switch (a, b) {
        case let (.integer(x), .integer(y)):
            let (r, overflow) = x.addingReportingOverflow(y)
            if overflow { throw site.error("integer overflow") }
            return .integer(r)
        case (.null, _), (_, .null): return .null
        case let (.decimal(x), .decimal(y)) where x.scale == y.scale:
            let (r, overflow) = x.significand.addingReportingOverflow(y.significand)
            if !overflow { return .decimal(DecimalNumber(significand: r, scale: x.scale)) }
            return try decimal(a, b, "+", site, DecimalNumber.add)
        case let (.string(x), .string(y)): return .string(x + y)
        case let (.date(d), .integer(n)), let (.integer(n), .date(d)): return .date(try shift(d, n, site))
        case let (.datetime(t), .integer(n)), let (.integer(n), .datetime(t)):
            return .datetime(LocalDateTime(date: try shift(t.date, n, site), millisecondOfDay: t.millisecondOfDay))
        default: return try decimal(a, b, "+", site, DecimalNumber.add)
        }
    }

    static func subtract(_ a: Value, _ b: Value, _ site: ExpressionSite) throws(ExpressionError) -> Value {
        switch (a, b) {
        case let (.integer(x), .integer(y)):
            let (r, overflow) = x.subtractingReportingOverflow(y)
            if overflow { throw site.error("integer overflow") }
            return .integer(r)
        case (.null, _), (_, .null): return .null
        case let (.date(d), .integer(n)):
            guard n != .min else { throw site.error("date out of range") }
            return .date(try shift(d, -n, site))
        case let (.datetime(t), .integer(n)):
            guard n != .min else { throw site.error("date out of range") }
            return .datetime(LocalDateTime(date: try shift(t.date, -n, site), millisecondOfDay: t.millisecondOfDay))
        case let (.date(x), .date(y)): return .integer(Int64(x.daysSinceEpoch) - Int64(y.daysSinceEpoch))
        default: return try decimal(a, b, "-", site, DecimalNumber.subtract)
        }
    }

    static func multiply(_ a: Value, _ b: Value, _ site: ExpressionSite) throws(ExpressionError) -> Value {
        if case let (.integer(x), .integer(y)) = (a, b) {
            let (r, overflow) = x.multipliedReportingOverflow(by: y)
            if overflow { throw site.error("integer overflow") }
            return .integer(r)
        }
        if a.isNull || b.isNull { return .null }
        if let x = a.decimalValue, let y = b.decimalValue {
            // Fast path: the product fits an Int64 significand as is.
            let (p, overflow) = x.significand.multipliedReportingOverflow(by: y.significand)
            let scale = Int(x.scale) + Int(y.scale)
            if !overflow, scale >= 0, scale <= 36 { return .decimal(DecimalNumber(significand: p, scale: Int16(scale))) }
        }
        return try decimal(a, b, "*", site, DecimalNumber.multiply)
    }

    static func divide(_ a: Value, _ b: Value, _ site: ExpressionSite) throws(ExpressionError) -> Value {
        if a.isNull || b.isNull { return .null }
        if let y = b.decimalValue, y.isZero, a.decimalValue != nil { throw site.error("division by zero") }
        return try decimal(a, b, "/", site, DecimalNumber.divide)
    }

    static func remainder(_ a: Value, _ b: Value, _ site: ExpressionSite) throws(ExpressionError) -> Value {
        if case let (.integer(x), .integer(y)) = (a, b) {
            if y == 0 { throw site.error("division by zero") }
            return .integer(x.remainderReportingOverflow(dividingBy: y).partialValue)
        }
        if a.isNull || b.isNull { return .null }
        if let y = b.decimalValue, y.isZero, a.decimalValue != nil { throw site.error("division by zero") }
        return try decimal(a, b, "%", site) { x, y in
            let s = max(x.scale, y.scale)
            let p = Int128(x.significand) * pow10(Int(s - x.scale))
            let q = Int128(y.significand) * pow10(Int(s - y.scale))
            return try DecimalNumber.fit(p % q, scale: s)
        }
    }

    static func negate(_ a: Value, _ site: ExpressionSite) throws(ExpressionError) -> Value {
        switch a {
        case .null: return .null
        case let .integer(x):
            guard x != .min else { throw site.error("integer overflow") }
            return .integer(-x)
        case let .decimal(d):
            guard d.significand != .min else { throw site.error("decimal overflow") }
            return .decimal(DecimalNumber(significand: -d.significand, scale: d.scale))
        default: throw site.error("cannot negate \(ExpressionSite.describe(a))")
        }
    }

    private static func decimal(_ a: Value, _ b: Value, _ op: String, _ site: ExpressionSite,
                                _ operation: (DecimalNumber, DecimalNumber) throws -> DecimalNumber) throws(ExpressionError) -> Value {
        guard let x = a.decimalValue, let y = b.decimalValue else {
            throw site.error("operator '\(op)' cannot combine \(ExpressionSite.describe(a)) and \(ExpressionSite.describe(b))")
        }
        do {
            return .decimal(try operation(x, y))
        } catch {
            throw site.error("decimal overflow")
        }
    }

    static func shift(_ date: LocalDate, _ days: Int64, _ site: ExpressionSite) throws(ExpressionError) -> LocalDate {
        let result = Int64(date.daysSinceEpoch) + days
        // Keep within years 1 ... 9999.
        guard result >= -719_162, result <= 2_932_896 else { throw site.error("date out of range") }
        return LocalDate(daysSinceEpoch: Int32(result))
    }

    // MARK: Comparison

    /// The order of two values (-1, 0, 1), nil when either is null; a type error when they
    /// cannot be compared.
    static func compare(_ a: Value, _ b: Value, _ site: ExpressionSite) throws(ExpressionError) -> Int? {
        switch (a, b) {
        case let (.integer(x), .integer(y)): return x < y ? -1 : (x == y ? 0 : 1)
        case let (.decimal(x), .decimal(y)):
            if x.scale == y.scale { return x.significand < y.significand ? -1 : (x.significand == y.significand ? 0 : 1) }
            return DecimalNumber.compare(x, y)
        case let (.string(x), .string(y)): return x == y ? 0 : (x < y ? -1 : 1)
        case (.null, _), (_, .null): return nil
        case let (.integer(x), .decimal(y)): return -compareMixed(y, x)
        case let (.decimal(x), .integer(y)): return compareMixed(x, y)
        case let (.date(x), .date(y)): return x < y ? -1 : (x == y ? 0 : 1)
        case let (.datetime(x), .datetime(y)): return x < y ? -1 : (x == y ? 0 : 1)
        case let (.date(x), .datetime(y)): return order(LocalDateTime(date: x), y)
        case let (.datetime(x), .date(y)): return order(x, LocalDateTime(date: y))
        case let (.bool(x), .bool(y)): return x == y ? 0 : (x ? 1 : -1)
        default:
            throw site.error("cannot compare \(ExpressionSite.describe(a)) with \(ExpressionSite.describe(b))")
        }
    }

    /// A decimal against an integer without going through Int128 when the integer scales
    /// into an Int64 (the usual `Montant > 0`).
    @inline(__always)
    private static func compareMixed(_ x: DecimalNumber, _ y: Int64) -> Int {
        if x.scale >= 0, x.scale < 19 {
            let (scaled, overflow) = y.multipliedReportingOverflow(by: powersOfTen[Int(x.scale)])
            if !overflow { return x.significand < scaled ? -1 : (x.significand == scaled ? 0 : 1) }
        }
        return DecimalNumber.compare(x, DecimalNumber(y))
    }

    private static let powersOfTen: [Int64] = (0 ..< 19).map { n in (0 ..< n).reduce(Int64(1)) { r, _ in r * 10 } }

    private static func order<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x == y ? 0 : 1) }

    /// Equality with the same typing as `compare`, faster for text; nil when either is null.
    @inline(__always)
    static func equals(_ a: Value, _ b: Value, _ site: ExpressionSite) throws(ExpressionError) -> Bool? {
        switch (a, b) {
        case let (.integer(x), .integer(y)): return x == y
        case let (.string(x), .string(y)): return x == y
        case let (.bool(x), .bool(y)): return x == y
        default: return try compare(a, b, site).map { $0 == 0 }
        }
    }

    /// The truth of a condition: nil for null, a type error for anything but a boolean.
    @inline(__always)
    static func truth(_ value: Value, _ site: ExpressionSite, _ context: String) throws(ExpressionError) -> Bool? {
        switch value {
        case let .bool(b): return b
        case .null: return nil
        default: throw site.error("\(context) needs true or false, got \(ExpressionSite.describe(value))")
        }
    }

    /// Brings a value to a unified static type: integers become decimals, dates datetimes.
    @inline(__always)
    static func coerce(_ value: Value, to type: ColumnType?) -> Value {
        switch (value, type) {
        case let (.integer(i), .decimal?): .decimal(DecimalNumber(i))
        case let (.date(d), .datetime?): .datetime(LocalDateTime(date: d))
        default: value
        }
    }
}
