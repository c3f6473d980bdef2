/// The names an expression may use at check time: the columns of the dataset it runs over
/// and the variables of the run (`run.date`, `totaux.rows`, `totaux.Montant.sum`).
///
/// Resolution: a single identifier is a column when the schema has that column (or the
/// schema is open and no variable has that name), otherwise a variable; a dotted path is
/// always a variable, looked up by its whole dotted key.
public struct ExpressionScope: Sendable {
    public var columns: Schema
    /// Variable types keyed by dotted path, e.g. `"totaux.rows": .integer`.
    public var variables: [String: ColumnType]

    public init(columns: Schema, variables: [String: ColumnType] = [:]) {
        self.columns = columns
        self.variables = variables
    }

    /// What a name in an expression refers to.
    enum Reference: Sendable, Hashable {
        case column(String)
        case variable(String)
    }

    func resolve(_ path: [String], range: Range<Int>) throws(ExpressionError) -> (Reference, ColumnType) {
        if path.count == 1 {
            let name = path[0]
            switch columns {
            case let .known(cols):
                if let column = cols.first(where: { $0.isNamed(name) }) { return (.column(name), column.type) }
                if let type = variables[name] { return (.variable(name), type) }
            case let .partial(cols):
                if let column = cols.first(where: { $0.isNamed(name) }) { return (.column(name), column.type) }
                if let type = variables[name] { return (.variable(name), type) }
                return (.column(name), .any)
            case .open:
                if let type = variables[name] { return (.variable(name), type) }
                return (.column(name), .any)
            }
            let candidates = columns.columnNames + variables.keys.sorted()
            throw ExpressionError(
                message: "unknown column '\(name)'" + Suggestion.didYouMean(name, among: candidates), range: range)
        }
        let key = path.joined(separator: ".")
        if let type = variables[key] { return (.variable(key), type) }
        let known = variables.keys.sorted()
        var hint = Suggestion.didYouMean(key, among: known)
        if hint.isEmpty, known.isEmpty {
            hint = " (no variables are available here)"
        }
        throw ExpressionError(message: "unknown variable '\(key)'" + hint, range: range)
    }
}
