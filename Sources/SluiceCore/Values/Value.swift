/// The type of a dataset column.
public enum ColumnType: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    case string, integer, decimal, date, datetime, bool
    /// A column whose values may be of any type (untyped input such as raw CSV is `string`).
    case any

    public var description: String { rawValue }

    /// Whether a value of this type can be used where `other` is expected without conversion.
    public func widens(to other: ColumnType) -> Bool {
        self == other || other == .any || self == .any || (self == .integer && other == .decimal)
    }

    public var isNumeric: Bool { self == .integer || self == .decimal }
}

/// One cell of a dataset.
public enum Value: Sendable, Hashable, CustomStringConvertible {
    case null
    case string(String)
    case integer(Int64)
    case decimal(DecimalNumber)
    case bool(Bool)
    case date(LocalDate)
    case datetime(LocalDateTime)

    public var type: ColumnType? {
        switch self {
        case .null: nil
        case .string: .string
        case .integer: .integer
        case .decimal: .decimal
        case .bool: .bool
        case .date: .date
        case .datetime: .datetime
        }
    }

    public var isNull: Bool { if case .null = self { true } else { false } }

    /// The value as exact decimal when it is a number.
    public var decimalValue: DecimalNumber? {
        switch self {
        case let .integer(i): DecimalNumber(i)
        case let .decimal(d): d
        default: nil
        }
    }

    /// Text as a person would write it: decimals keep their scale, dates are ISO 8601,
    /// null is empty.
    public var description: String {
        switch self {
        case .null: ""
        case let .string(s): s
        case let .integer(i): String(i)
        case let .decimal(d): d.description
        case let .bool(b): b ? "true" : "false"
        case let .date(d): d.description
        case let .datetime(t): t.description
        }
    }

    /// A total order used by sorting, min and max: nulls first, then by type, then by value;
    /// integers and decimals compare numerically.
    public static func order(_ a: Value, _ b: Value) -> Int {
        switch (a, b) {
        case (.null, .null): return 0
        case (.null, _): return -1
        case (_, .null): return 1
        case let (.string(x), .string(y)): return x < y ? -1 : (x == y ? 0 : 1)
        case let (.bool(x), .bool(y)): return x == y ? 0 : (!x ? -1 : 1)
        case let (.date(x), .date(y)): return x < y ? -1 : (x == y ? 0 : 1)
        case let (.datetime(x), .datetime(y)): return x < y ? -1 : (x == y ? 0 : 1)
        case let (.date(x), .datetime(y)): return order(.datetime(LocalDateTime(date: x)), .datetime(y))
        case let (.datetime(x), .date(y)): return order(.datetime(x), .datetime(LocalDateTime(date: y)))
        default:
            if let x = a.decimalValue, let y = b.decimalValue { return DecimalNumber.compare(x, y) }
            return rank(a) - rank(b)
        }
    }

    private static func rank(_ v: Value) -> Int {
        switch v {
        case .null: 0
        case .bool: 1
        case .integer, .decimal: 2
        case .date, .datetime: 3
        case .string: 4
        }
    }

    /// Equality across numeric types (`1 == 1.0`), used by comparisons and keys.
    public static func same(_ a: Value, _ b: Value) -> Bool { order(a, b) == 0 && (a.isNull == b.isNull) }
}
