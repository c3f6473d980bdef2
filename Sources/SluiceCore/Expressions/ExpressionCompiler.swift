/// A compiled expression: a closure from a row to a value.
typealias ExpressionEvaluator = @Sendable ([Value]) throws(ExpressionError) -> Value

/// A compiled node: either a value known at bind time (literals, variables and everything
/// computed only from them) or a closure over the row.
enum CompiledNode: Sendable {
    case constant(Value)
    /// A column read, kept apart so operators can read the cell without a closure call.
    case column(Int)
    case row(ExpressionEvaluator)

    var evaluator: ExpressionEvaluator {
        switch self {
        case let .constant(value): { _ throws(ExpressionError) in value }
        case let .column(index): { row throws(ExpressionError) in index < row.count ? row[index] : .null }
        case let .row(evaluate): evaluate
        }
    }

    var columnIndex: Int? {
        if case let .column(index) = self { index } else { nil }
    }

    var constant: Value? {
        if case let .constant(value) = self { value } else { nil }
    }
}

/// Turns a checked `ExpressionNode` tree into closures. Names are resolved here, once:
/// columns become indices into the row, variables become constants, so evaluating a row
/// does no lookups by name.
struct ExpressionCompiler {
    let source: [Character]
    let checker: ExpressionChecker
    let columnIndices: [String: Int]
    let variables: [String: Value]

    func site(_ node: ExpressionNode) -> ExpressionSite {
        let lower = min(node.range.lowerBound, source.count), upper = min(node.range.upperBound, source.count)
        return ExpressionSite(text: String(source[lower ..< upper]), range: node.range)
    }

    func compile(_ node: ExpressionNode) throws(ExpressionError) -> CompiledNode {
        let compiled = try compileNode(node)
        // Fold anything whose inputs are all known at bind time. A failure (say `1 / 0` in
        // a branch that is never taken) is left to happen, or not, at run time.
        if case let .row(evaluate) = compiled, isBindTimeConstant(node), let value = try? evaluate([]) {
            return .constant(value)
        }
        return compiled
    }

    private func isBindTimeConstant(_ node: ExpressionNode) -> Bool {
        switch node.kind {
        case .literal: return true
        case let .name(path):
            guard let (reference, _) = try? checker.scope.resolve(path, range: node.range) else { return false }
            if case .variable = reference { return true }
            return false
        case let .negate(a), let .not(a), let .isNull(a, _): return isBindTimeConstant(a)
        case let .and(a, b), let .or(a, b), let .arithmetic(_, a, b), let .comparison(_, a, b):
            return isBindTimeConstant(a) && isBindTimeConstant(b)
        case let .inList(a, items, _): return isBindTimeConstant(a) && items.allSatisfy(isBindTimeConstant)
        case let .between(a, b, c, _): return isBindTimeConstant(a) && isBindTimeConstant(b) && isBindTimeConstant(c)
        case let .call(_, _, arguments): return arguments.allSatisfy(isBindTimeConstant)
        }
    }

    private func compileNode(_ node: ExpressionNode) throws(ExpressionError) -> CompiledNode {
        let site = site(node)
        switch node.kind {
        case let .literal(value):
            return .constant(value)
        case let .name(path):
            switch try checker.scope.resolve(path, range: node.range).0 {
            case let .variable(key):
                return .constant(variables[key] ?? .null)
            case let .column(name):
                guard let index = columnIndices[name] else {
                    throw ExpressionError(message: "unknown column '\(name)'", range: node.range)
                }
                return .column(index)
            }
        case let .negate(a):
            let x = try compile(a).evaluator
            return .row { row throws(ExpressionError) in try ExpressionRuntime.negate(try x(row), site) }
        case let .not(a):
            let x = try compile(a).evaluator
            return .row { row throws(ExpressionError) in
                guard let t = try ExpressionRuntime.truth(try x(row), site, "'not'") else { return .null }
                return .bool(!t)
            }
        case let .and(a, b):
            let x = try compile(a).evaluator, y = try compile(b).evaluator
            return .row { row throws(ExpressionError) in
                let l = try ExpressionRuntime.truth(try x(row), site, "'and'")
                if l == false { return .bool(false) }
                let r = try ExpressionRuntime.truth(try y(row), site, "'and'")
                if r == false { return .bool(false) }
                return l == nil || r == nil ? .null : .bool(true)
            }
        case let .or(a, b):
            let x = try compile(a).evaluator, y = try compile(b).evaluator
            return .row { row throws(ExpressionError) in
                let l = try ExpressionRuntime.truth(try x(row), site, "'or'")
                if l == true { return .bool(true) }
                let r = try ExpressionRuntime.truth(try y(row), site, "'or'")
                if r == true { return .bool(true) }
                return l == nil || r == nil ? .null : .bool(false)
            }
        case let .arithmetic(op, a, b):
            return try arithmetic(op, try compile(a), try compile(b), site)
        case let .comparison(op, a, b):
            return try ExpressionComparisonCompiler.comparison(op, try compile(a), try compile(b), site)
        case let .isNull(a, negated):
            let x = try compile(a).evaluator
            return .row { row throws(ExpressionError) in .bool(try x(row).isNull != negated) }
        case let .inList(a, items, negated):
            let compiledItems = try items.map { (item) throws(ExpressionError) -> CompiledNode in try compile(item) }
            return ExpressionComparisonCompiler.inList(try compile(a), compiledItems, negated: negated, site)
        case let .between(a, low, high, negated):
            return ExpressionComparisonCompiler.between(try compile(a), try compile(low), try compile(high), negated: negated, site)
        case let .call(name, _, arguments):
            return try ExpressionFunctionCompiler(compiler: self, call: node, site: site)
                .compile(name, arguments)
        }
    }

    private func arithmetic(_ op: ExpressionNode.ArithmeticOperator, _ a: CompiledNode, _ b: CompiledNode,
                            _ site: ExpressionSite) throws(ExpressionError) -> CompiledNode {
        let operation: @Sendable (Value, Value, ExpressionSite) throws(ExpressionError) -> Value = switch op {
        case .add: ExpressionRuntime.add
        case .subtract: ExpressionRuntime.subtract
        case .multiply: ExpressionRuntime.multiply
        case .divide: ExpressionRuntime.divide
        case .remainder: ExpressionRuntime.remainder
        }
        if let i = a.columnIndex, let c = b.constant {
            return .row { row throws(ExpressionError) in try operation(i < row.count ? row[i] : .null, c, site) }
        }
        let x = a.evaluator
        if let c = b.constant {
            return .row { row throws(ExpressionError) in try operation(try x(row), c, site) }
        }
        let y = b.evaluator
        return .row { row throws(ExpressionError) in try operation(try x(row), try y(row), site) }
    }
}
