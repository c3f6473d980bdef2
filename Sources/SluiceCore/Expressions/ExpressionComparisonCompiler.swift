/// Compiles comparisons, `in` lists and `between`, with three-valued logic: a comparison
/// with null is null (neither true nor false).
enum ExpressionComparisonCompiler {
    static func comparison(_ op: ExpressionNode.ComparisonOperator, _ a: CompiledNode, _ b: CompiledNode,
                           _ site: ExpressionSite) throws(ExpressionError) -> CompiledNode {
        let x = a.evaluator
        if op == .equal || op == .notEqual {
            let wanted = op == .equal
            if let i = a.columnIndex, let c = b.constant {
                return .row { row throws(ExpressionError) in
                    guard let e = try ExpressionRuntime.equals(i < row.count ? row[i] : .null, c, site) else { return .null }
                    return .bool(e == wanted)
                }
            }
            if let c = b.constant {
                return .row { row throws(ExpressionError) in
                    guard let e = try ExpressionRuntime.equals(try x(row), c, site) else { return .null }
                    return .bool(e == wanted)
                }
            }
            let y = b.evaluator
            return .row { row throws(ExpressionError) in
                guard let e = try ExpressionRuntime.equals(try x(row), try y(row), site) else { return .null }
                return .bool(e == wanted)
            }
        }
        // Ordering: encode the accepted outcomes of compare() (-1, 0, 1) as bits.
        let accepted: Int = switch op {
        case .less: 0b001
        case .lessOrEqual: 0b011
        case .greater: 0b100
        case .greaterOrEqual: 0b110
        case .equal, .notEqual: 0
        }
        if let i = a.columnIndex, let c = b.constant {
            return .row { row throws(ExpressionError) in
                guard let order = try ExpressionRuntime.compare(i < row.count ? row[i] : .null, c, site) else { return .null }
                return .bool(accepted & (1 << (order + 1)) != 0)
            }
        }
        if let c = b.constant {
            return .row { row throws(ExpressionError) in
                guard let order = try ExpressionRuntime.compare(try x(row), c, site) else { return .null }
                return .bool(accepted & (1 << (order + 1)) != 0)
            }
        }
        let y = b.evaluator
        return .row { row throws(ExpressionError) in
            guard let order = try ExpressionRuntime.compare(try x(row), try y(row), site) else { return .null }
            return .bool(accepted & (1 << (order + 1)) != 0)
        }
    }

    /// `x in (a, b)`: true when x equals an item; otherwise null when x or an item is null
    /// (the answer is unknown), else false. `not in` negates that (null stays null).
    static func inList(_ a: CompiledNode, _ items: [CompiledNode], negated: Bool, _ site: ExpressionSite) -> CompiledNode {
        let x = a.evaluator
        let constants = items.compactMap(\.constant)
        if constants.count == items.count {
            let containsNull = constants.contains(where: \.isNull)
            let values = constants.filter { !$0.isNull }
            return .row { row throws(ExpressionError) in
                let v = try x(row)
                if v.isNull { return .null }
                for item in values {
                    if try ExpressionRuntime.equals(v, item, site) == true { return .bool(!negated) }
                }
                return containsNull ? .null : .bool(negated)
            }
        }
        let evaluators = items.map(\.evaluator)
        return .row { row throws(ExpressionError) in
            let v = try x(row)
            if v.isNull { return .null }
            var sawNull = false
            for item in evaluators {
                let w = try item(row)
                guard let same = try ExpressionRuntime.equals(v, w, site) else { sawNull = true; continue }
                if same { return .bool(!negated) }
            }
            return sawNull ? .null : .bool(negated)
        }
    }

    /// `x between low and high` is `x >= low and x <= high`, bounds included.
    static func between(_ a: CompiledNode, _ low: CompiledNode, _ high: CompiledNode, negated: Bool,
                        _ site: ExpressionSite) -> CompiledNode {
        let x = a.evaluator, l = low.evaluator, h = high.evaluator
        return .row { row throws(ExpressionError) in
            let v = try x(row)
            let aboveLow = try ExpressionRuntime.compare(v, try l(row), site).map { $0 >= 0 }
            if aboveLow == false { return .bool(negated) }
            let belowHigh = try ExpressionRuntime.compare(v, try h(row), site).map { $0 <= 0 }
            if belowHigh == false { return .bool(negated) }
            if aboveLow == nil || belowHigh == nil { return .null }
            return .bool(!negated)
        }
    }
}
