/// An expression from a manifest: `filter: Montant > 0 and Pays = 'CH'`,
/// `compute: { TTC: "Montant * 1.081" }`, `when: totaux.rows > 0`.
///
/// An expression is parsed once (`init(parsing:)`), checked against what a pipeline knows
/// before it runs (`check(in:)`, used by `sluice validate`), then bound to a dataset's
/// columns (`bind(columns:variables:)`) and evaluated on every row.
///
/// ## Grammar
///
/// Lowest precedence first; keywords are case-insensitive.
///
/// ```
/// expression     = or
/// or             = and { "or" and }
/// and            = not { "and" not }
/// not            = "not" not | comparison
/// comparison     = additive [ ( "=" | "==" | "!=" | "<>" | "<" | "<=" | ">" | ">=" ) additive
///                           | [ "not" ] "in" "(" expression { "," expression } ")"
///                           | "is" [ "not" ] "null"
///                           | [ "not" ] "between" additive "and" additive ]
/// additive       = multiplicative { ( "+" | "-" ) multiplicative }
/// multiplicative = unary { ( "*" | "/" | "%" ) unary }
/// unary          = "-" unary | primary
/// primary        = integer | decimal | string | "true" | "false" | "null"
///                | function "(" [ expression { "," expression } ] ")"
///                | name { "." name } | "(" expression ")"
/// name           = identifier | "`" any text, "``" for a backtick "`"
/// identifier     = ( letter | "_" ) { letter | digit | "_" }      (Unicode letters: Quantité)
/// integer        = digit { digit }                                  (42)
/// decimal        = digit { digit } "." digit { digit }              (3.50, exact, keeps its scale)
/// string         = "'" text, "''" for a quote "'" | '"' text, '""' for '"' '"'
/// ```
/// Comparisons do not chain (`a < b < c` is an error).
///
/// ## Names
///
/// A single name is a column when the dataset has it, otherwise a variable; a dotted path
/// (`run.date`, `totaux.rows`, `totaux.Montant.sum`) is always a variable. Backticks quote
/// names with spaces or punctuation: `` `Prix unitaire` ``.
///
/// ## Types
///
/// - `+ - * %` on integers give an integer (overflow is an error); `/` always gives a
///   decimal (rounded half-even to 12 fractional digits); any decimal operand gives a
///   decimal. Decimal arithmetic is exact: `0.1 + 0.2 = 0.3` is true.
/// - `+` joins two texts; `date + n`, `date - n` move by n days; `date - date` is a
///   number of days. Text and numbers do not mix: use `concat()` or `string()`.
/// - Comparisons need compatible types: numbers with numbers, date with datetime, text
///   with text, booleans with booleans (`=` and `!=` only). Text is compared by Unicode
///   code points, case-sensitively.
/// - `and`, `or`, `not`, `if()` conditions need booleans.
/// - Columns and variables of type `.any` are checked when a row is evaluated, with an
///   error naming the value and the sub-expression.
///
/// ## Null
///
/// Three-valued logic, as in SQL. Arithmetic, comparisons and functions with a null
/// operand give null, except `coalesce`, `if`, `is null` / `is not null`. `null and
/// false` is false, `null or true` is true, otherwise `and`, `or` and `not` with null
/// give null. `x in (…)` is null when x is null, or when x is not found and the list holds
/// a null. A filter or `when` keeps a row only when the result is `true`; null counts as
/// not true. `if(null, a, b)` gives b. Comparing with a literal `null` (`x = null`) is a
/// check-time error: write `x is null`.
///
/// ## Functions
///
/// Text: `lower upper trim length(s) substr(s, start, length?)` (1-based, in characters),
/// `contains starts_with ends_with replace(s, from, to) concat(…)` (non-text arguments are
/// written as text), `matches(s, 'regex')` (search anywhere; anchor with `^…$`; the
/// pattern must be a literal, compiled once).
/// Numbers: `round(x, digits?)` (half away from zero, the result has exactly `digits`
/// decimals), `abs floor ceil` (floor and ceil give integers), `min(…) max(…)`.
/// Dates: `year month day weekday` (1 = Monday), `date('2026-11-01')`, `date(y, m, d)`,
/// `add_days(d, n)`, `days_between(from, to)` (to − from, in days), `format_date(d,
/// 'dd.MM.yyyy')` (fields yyyy yy MM M dd d HH H mm ss).
/// Conversion: `decimal(x) integer(x)` (text is parsed; integer() truncates toward zero),
/// `string(x)`. Other: `coalesce(a, b, …)` (first non-null), `if(condition, then, else)`.
///
/// Run-time errors (division by zero, overflow, an unreadable date) are thrown and name
/// the failing sub-expression.
public struct Expression: Sendable, Hashable, CustomStringConvertible {
    /// The text the expression was parsed from.
    public let source: String
    let root: ExpressionNode

    /// Parses `source`; syntax errors carry the character range of the offending token.
    public init(parsing source: String) throws(ExpressionError) {
        self.source = source
        self.root = try ExpressionParser.parse(source)
    }

    public var description: String { source }

    public static func == (a: Expression, b: Expression) -> Bool { a.source == b.source }
    public func hash(into hasher: inout Hasher) { hasher.combine(source) }

    /// The columns and dotted variables the expression mentions, in order of appearance,
    /// each once: `["Montant", "totaux.rows"]`.
    public var referencedNames: [String] {
        var names: [String] = []
        var seen: Set<String> = []
        root.collectNames(into: &names, seen: &seen)
        return names
    }

    /// Checks names, function calls and types; returns the result type, `.any` when it is
    /// only known at run time (untyped columns, or the expression is just `null`).
    public func check(in scope: ExpressionScope) throws(ExpressionError) -> ColumnType {
        try ExpressionChecker(scope: scope).type(of: root) ?? .any
    }

    /// Checks the expression against these columns and variable values and compiles it.
    /// Rows given to `evaluate` hold their values in `columns` order.
    public func bind(columns: [Column], variables: [String: Value] = [:]) throws(ExpressionError) -> BoundExpression {
        let scope = ExpressionScope(columns: .known(columns), variables: variables.mapValues { $0.type ?? .any })
        let checker = ExpressionChecker(scope: scope)
        _ = try checker.type(of: root)
        var indices: [String: Int] = [:]
        for (i, column) in columns.enumerated() where indices[column.name] == nil { indices[column.name] = i }
        let compiler = ExpressionCompiler(source: Array(source), checker: checker, columnIndices: indices, variables: variables)
        return BoundExpression(evaluator: try compiler.compile(root).evaluator, site: compiler.site(root))
    }
}
