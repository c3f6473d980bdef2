/// The parse tree of an expression. Every node keeps the character range it was parsed
/// from, for error carets and for naming the failing part at run time.
struct ExpressionNode: Sendable, Hashable {
    enum ArithmeticOperator: String, Sendable, Hashable {
        case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%"
    }

    enum ComparisonOperator: String, Sendable, Hashable {
        case equal = "=", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    }

    indirect enum Kind: Sendable, Hashable {
        case literal(Value)
        /// A column or variable: one segment, or a dotted path.
        case name([String])
        case negate(ExpressionNode)
        case not(ExpressionNode)
        case and(ExpressionNode, ExpressionNode)
        case or(ExpressionNode, ExpressionNode)
        case arithmetic(ArithmeticOperator, ExpressionNode, ExpressionNode)
        case comparison(ComparisonOperator, ExpressionNode, ExpressionNode)
        case isNull(ExpressionNode, negated: Bool)
        case inList(ExpressionNode, [ExpressionNode], negated: Bool)
        case between(ExpressionNode, ExpressionNode, ExpressionNode, negated: Bool)
        /// A function call; `name` is lowercased, `nameRange` points at the name as written.
        case call(name: String, nameRange: Range<Int>, arguments: [ExpressionNode])
    }

    var kind: Kind
    var range: Range<Int>

    init(_ kind: Kind, _ range: Range<Int>) {
        self.kind = kind
        self.range = range
    }

    /// Columns and dotted variables in source order, each once.
    func collectNames(into names: inout [String], seen: inout Set<String>) {
        switch kind {
        case .literal:
            break
        case let .name(path):
            let key = path.joined(separator: ".")
            if seen.insert(key).inserted { names.append(key) }
        case let .negate(a), let .not(a), let .isNull(a, _):
            a.collectNames(into: &names, seen: &seen)
        case let .and(a, b), let .or(a, b), let .arithmetic(_, a, b), let .comparison(_, a, b):
            a.collectNames(into: &names, seen: &seen)
            b.collectNames(into: &names, seen: &seen)
        case let .inList(a, list, _):
            a.collectNames(into: &names, seen: &seen)
            for item in list { item.collectNames(into: &names, seen: &seen) }
        case let .between(a, low, high, _):
            a.collectNames(into: &names, seen: &seen)
            low.collectNames(into: &names, seen: &seen)
            high.collectNames(into: &names, seen: &seen)
        case let .call(_, _, arguments):
            for argument in arguments { argument.collectNames(into: &names, seen: &seen) }
        }
    }
}
