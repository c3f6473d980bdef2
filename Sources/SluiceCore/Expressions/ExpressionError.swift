/// A problem in an expression: a syntax error, an unknown name, a type error found by
/// `Expression.check`, or a failure while evaluating a row (division by zero, overflow,
/// a value of the wrong type in an untyped column).
///
/// `range` counts characters (grapheme clusters) from the start of the expression's
/// source, so a caller can print the expression with carets under the offending part.
public struct ExpressionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, e.g. `unknown column 'Montnt'; did you mean 'Montant'?`.
    public var message: String
    /// Character offsets into the expression source.
    public var range: Range<Int>

    public init(message: String, range: Range<Int>) {
        self.message = message
        self.range = range
    }

    public var description: String { message }

    /// The expression on one line and carets under `range` on the next.
    public func caretLine(for source: String) -> String {
        let count = source.count
        let start = min(range.lowerBound, count)
        let width = max(1, min(range.upperBound, count) - start)
        return source + "\n" + String(repeating: " ", count: start) + String(repeating: "^", count: width)
    }
}
