/// An expression bound to a dataset's columns and the run's variables, ready to be
/// evaluated on many rows. Names were resolved once by `Expression.bind`; evaluating a row
/// does no lookups by name. Safe to share across tasks.
public struct BoundExpression: Sendable {
    let evaluator: ExpressionEvaluator
    /// The whole expression, for errors about its result.
    let site: ExpressionSite

    /// The expression's value for one row (values in the bound `columns` order).
    public func evaluate(_ row: [Value]) throws(ExpressionError) -> Value {
        try evaluator(row)
    }

    /// For `filter` and `when`: true only when the expression gives `.bool(true)`; null and
    /// false are not true. A non-boolean result is an error.
    public func isTrue(_ row: [Value]) throws(ExpressionError) -> Bool {
        switch try evaluator(row) {
        case let .bool(b): return b
        case .null: return false
        case let other:
            throw site.error("a condition must give true or false, got \(ExpressionSite.describe(other))")
        }
    }
}
