/// A named, typed column.
public struct Column: Sendable, Hashable, Codable {
    public var name: String
    public var type: ColumnType

    public init(_ name: String, _ type: ColumnType) {
        self.name = name
        self.type = type
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

    public init(columns: [Column] = [], rows: [[Value]] = [], files: [AttachedFile] = []) {
        self.columns = columns
        self.rows = rows
        self.files = files
    }

    public var columnNames: [String] { columns.map(\.name) }

    public func columnIndex(_ name: String) -> Int? { columns.firstIndex { $0.name == name } }

    public subscript(row: Int, column: String) -> Value? {
        guard let c = columnIndex(column) else { return nil }
        return rows[row][c]
    }

    public var schema: Schema { .known(columns) }
}

/// What is known about a dataset's columns before a run: used by `validate` to check
/// column references and expressions.
public enum Schema: Sendable, Hashable {
    /// The columns are known exactly.
    case known([Column])
    /// Columns are only known when the input is read (raw CSV, JSON): references cannot be checked.
    case open

    public func column(_ name: String) -> Column? {
        if case let .known(cols) = self { return cols.first { $0.name == name } }
        return nil
    }

    /// The type of a column, `.any` for an open schema, nil when a known schema lacks it.
    public func type(of name: String) -> ColumnType? {
        switch self {
        case .open: .any
        case let .known(cols): cols.first { $0.name == name }?.type
        }
    }

    public var columnNames: [String] {
        if case let .known(cols) = self { return cols.map(\.name) }
        return []
    }
}
