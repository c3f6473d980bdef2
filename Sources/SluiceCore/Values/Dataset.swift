/// A named, typed column.
public struct Column: Sendable, Hashable, Codable {
    /// The name, always in Unicode NFC (see `ColumnName`), however it was written.
    public var name: String { didSet { name = ColumnName.normalized(name) } }
    public var type: ColumnType

    public init(_ name: String, _ type: ColumnType) {
        self.name = ColumnName.normalized(name)
        self.type = type
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(try c.decode(String.self, forKey: .name), try c.decode(ColumnType.self, forKey: .type))
    }
}

/// A file that travels with a dataset: an input file, or an output a step produced.
public struct AttachedFile: Sendable, Hashable, Codable {
    /// The name a person sees (the original input name, or the published output name).
    public var name: String
    /// Where the bytes are now.
    public var path: String

    public init(name: String, path: String) {
        self.name = name
        self.path = path
    }
}

/// What flows between steps: rows with named, typed columns, plus attached files.
///
/// Rows are stored row-major; every row has exactly `columns.count` values.
public struct Dataset: Sendable, Hashable {
    public var columns: [Column]
    public var rows: [[Value]]
    public var files: [AttachedFile]
    /// Facts about where the rows came from, for steps that mirror the input
    /// (`source`: the file name, `format`: csv/xlsx/json, `delimiter`, `encoding`, `sheet`).
    public var properties: [String: String]
    /// Where each row is in the file it was read from, as a spreadsheet numbers it (the header
    /// is row 1, blank rows count); kept by the steps that keep, drop or reorder rows, so a
    /// message names the row the person sees. Nil: row `i` is row `i + 1`. See ``rowNumber(_:)``.
    public var rowNumbers: [Int]?

    public init(columns: [Column] = [], rows: [[Value]] = [], files: [AttachedFile] = [], properties: [String: String] = [:],
                rowNumbers: [Int]? = nil) {
        self.columns = columns
        self.rows = rows
        self.files = files
        self.properties = properties
        self.rowNumbers = rowNumbers
    }

    public var columnNames: [String] { columns.map(\.name) }

    public func columnIndex(_ name: String) -> Int? { columns.firstIndex { $0.isNamed(name) } }

    public subscript(row: Int, column: String) -> Value? {
        guard let c = columnIndex(column) else { return nil }
        return rows[row][c]
    }
}

/// What is known about a dataset's columns before a run: used by `validate` to check
/// column references and expressions.
public enum Schema: Sendable, Hashable {
    /// The columns are known exactly.
    case known([Column])
    /// These columns are known; others may exist (a `validate` that keeps undeclared columns
    /// of an input read without a declared header).
    case partial([Column])
    /// Columns are only known when the input is read: references cannot be checked.
    case open

    public func column(_ name: String) -> Column? {
        switch self {
        case let .known(cols), let .partial(cols): cols.first { $0.isNamed(name) }
        case .open: nil
        }
    }

    /// The type of a column, `.any` when it may exist unseen, nil when a known schema lacks it.
    public func type(of name: String) -> ColumnType? {
        switch self {
        case .open: .any
        case let .known(cols): cols.first { $0.isNamed(name) }?.type
        case let .partial(cols): cols.first { $0.isNamed(name) }?.type ?? .any
        }
    }

    public var columnNames: [String] {
        switch self {
        case let .known(cols), let .partial(cols): cols.map(\.name)
        case .open: []
        }
    }

    public var isKnown: Bool { if case .known = self { true } else { false } }

    /// The known columns (all of them for `.known`, some for `.partial`).
    public var columns: [Column] {
        switch self {
        case let .known(cols), let .partial(cols): cols
        case .open: []
        }
    }

    /// The same schema with `columns` replaced (for steps that change known columns).
    public func with(_ newColumns: [Column]) -> Schema {
        switch self {
        case .known: .known(newColumns)
        case .partial, .open: .partial(newColumns)
        }
    }
}
