/// Static typing of an expression tree against a scope.
///
/// Types are `ColumnType?`: `nil` is the type of the `null` literal (it fits anywhere),
/// `.any` means "only known when a row is evaluated" (open schemas, untyped columns and
/// variables), and is checked again at run time.
struct ExpressionChecker {
    let scope: ExpressionScope

    func type(of node: ExpressionNode) throws(ExpressionError) -> ColumnType? {
        switch node.kind {
        case let .literal(value):
            return value.type
        case let .name(path):
            return try scope.resolve(path, range: node.range).1
        case let .negate(operand):
            let t = try type(of: operand)
            guard t == nil || t == .any || t!.isNumeric else {
                throw ExpressionError(message: "cannot negate a \(t!) value", range: node.range)
            }
            return t
        case let .not(operand):
            try requireBool(operand, "'not'")
            return .bool
        case let .and(a, b), let .or(a, b):
            let word = if case .and = node.kind { "'and'" } else { "'or'" }
            try requireBool(a, word)
            try requireBool(b, word)
            return .bool
        case let .arithmetic(op, a, b):
            return try arithmeticType(op, try type(of: a), try type(of: b), node)
        case let .comparison(op, a, b):
            for side in [a, b] where side.kind == .literal(.null) {
                let hint = op == .equal || op == .notEqual ? "; use 'is null' or 'is not null'" : ""
                throw ExpressionError(message: "a comparison with null is never true\(hint)", range: node.range)
            }
            try requireComparable(a, b, in: node)
            if op != .equal, op != .notEqual, try type(of: a) == .bool {
                throw ExpressionError(message: "'\(op.rawValue)' cannot order booleans; use '=' or '!='", range: node.range)
            }
            return .bool
        case let .isNull(operand, _):
            _ = try type(of: operand)
            return .bool
        case let .inList(operand, items, _):
            for item in items { try requireComparable(operand, item, in: item) }
            return .bool
        case let .between(operand, low, high, _):
            try requireComparable(operand, low, in: node)
            try requireComparable(operand, high, in: node)
            return .bool
        case let .call(name, nameRange, arguments):
            return try ExpressionFunctionTyping(checker: self)
                .type(of: name, nameRange: nameRange, arguments: arguments, call: node)
        }
    }

    func requireBool(_ node: ExpressionNode, _ context: String) throws(ExpressionError) {
        let t = try type(of: node)
        guard t == nil || t == .bool || t == .any else {
            throw ExpressionError(message: "\(context) needs a true/false condition, got \(t!)", range: node.range)
        }
    }

    func requireComparable(_ a: ExpressionNode, _ b: ExpressionNode, in node: ExpressionNode) throws(ExpressionError) {
        let x = try type(of: a), y = try type(of: b)
        guard let x, let y, !ExpressionChecker.comparable(x, y) else { return }
        throw ExpressionError(message: "cannot compare \(x) with \(y)" + conversionHint(x, y), range: node.range)
    }

    static func comparable(_ x: ColumnType, _ y: ColumnType) -> Bool {
        x == .any || y == .any || x == y || (x.isNumeric && y.isNumeric) || (x.isTemporal && y.isTemporal)
    }

    private func conversionHint(_ x: ColumnType, _ y: ColumnType) -> String {
        if (x == .string && y.isNumeric) || (y == .string && x.isNumeric) { return " (convert with decimal() or string())" }
        if (x == .string && y.isTemporal) || (y == .string && x.isTemporal) { return " (convert with date('2026-11-01'))" }
        return ""
    }

    private func arithmeticType(_ op: ExpressionNode.ArithmeticOperator, _ x: ColumnType?, _ y: ColumnType?,
                                _ node: ExpressionNode) throws(ExpressionError) -> ColumnType? {
        if let result = ExpressionChecker.arithmeticResult(op, x, y) { return result }
        var message = "operator '\(op.rawValue)' cannot combine \(x.map(\.rawValue) ?? "null") and \(y.map(\.rawValue) ?? "null")"
        if op == .add, x == .string || y == .string { message += "; use concat() to join text with other values" }
        throw ExpressionError(message: message, range: node.range)
    }

    /// The result type of an arithmetic operator, nil when the operands do not combine.
    /// A `nil` operand type (the null literal) yields the other side's type.
    static func arithmeticResult(_ op: ExpressionNode.ArithmeticOperator, _ x: ColumnType?, _ y: ColumnType?) -> ColumnType?? {
        guard let x, let y else {
            let other = x ?? y
            if other == .bool { return nil }
            return .some(other)
        }
        if x == .bool || y == .bool { return nil }
        if x == .any || y == .any { return .some(.any) }
        if x.isNumeric && y.isNumeric {
            if op == .divide { return .some(.decimal) }
            return .some(x == .integer && y == .integer ? .integer : .decimal)
        }
        switch op {
        case .add:
            if x == .string && y == .string { return .some(.string) }
            if x.isTemporal && y == .integer { return .some(x) }
            if x == .integer && y.isTemporal { return .some(y) }
        case .subtract:
            if x.isTemporal && y == .integer { return .some(x) }
            if x == .date && y == .date { return .some(.integer) }
        default:
            break
        }
        return nil
    }
}

extension ColumnType {
    var isTemporal: Bool { self == .date || self == .datetime }
}
