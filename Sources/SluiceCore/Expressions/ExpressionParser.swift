/// Recursive-descent parser from tokens to an `ExpressionNode` tree, one function per
/// precedence level (see the grammar on `Expression`).
struct ExpressionParser {
    private let tokens: [ExpressionToken]
    private var position = 0

    static func parse(_ source: String) throws(ExpressionError) -> ExpressionNode {
        var parser = ExpressionParser(tokens: try ExpressionLexer.tokenize(source))
        if parser.current.kind == .end {
            throw ExpressionError(message: "empty expression", range: 0 ..< 0)
        }
        let node = try parser.orExpression()
        if parser.current.kind != .end {
            throw ExpressionError(message: "unexpected \(parser.describe(parser.current)) after the end of the expression",
                                  range: parser.current.range)
        }
        return node
    }

    private init(tokens: [ExpressionToken]) { self.tokens = tokens }

    private var current: ExpressionToken { tokens[position] }

    private mutating func advance() -> ExpressionToken {
        let token = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    private func isKeyword(_ keyword: ExpressionToken.Keyword, at offset: Int = 0) -> Bool {
        let i = min(position + offset, tokens.count - 1)
        return tokens[i].kind == .keyword(keyword)
    }

    private func isSymbol(_ symbol: String) -> Bool { current.kind == .symbol(symbol) }

    private mutating func expectSymbol(_ symbol: String, _ context: String) throws(ExpressionError) -> ExpressionToken {
        guard isSymbol(symbol) else {
            throw ExpressionError(message: "expected '\(symbol)' \(context), found \(describe(current))", range: current.range)
        }
        return advance()
    }

    private func describe(_ token: ExpressionToken) -> String {
        switch token.kind {
        case .end: "the end of the expression"
        case let .integer(i): "number \(i)"
        case let .decimal(d): "number \(d)"
        case let .string(s): "string '\(s)'"
        case let .identifier(s): "'\(s)'"
        case let .quotedIdentifier(s): "`\(s)`"
        case let .keyword(k): "'\(k.rawValue)'"
        case let .symbol(s): "'\(s)'"
        }
    }

    // MARK: Precedence levels, lowest first

    private mutating func orExpression() throws(ExpressionError) -> ExpressionNode {
        var left = try andExpression()
        while isKeyword(.or) {
            _ = advance()
            let right = try andExpression()
            left = ExpressionNode(.or(left, right), left.range.lowerBound ..< right.range.upperBound)
        }
        return left
    }

    private mutating func andExpression() throws(ExpressionError) -> ExpressionNode {
        var left = try notExpression()
        while isKeyword(.and) {
            _ = advance()
            let right = try notExpression()
            left = ExpressionNode(.and(left, right), left.range.lowerBound ..< right.range.upperBound)
        }
        return left
    }

    private mutating func notExpression() throws(ExpressionError) -> ExpressionNode {
        if isKeyword(.not) {
            let start = advance().range.lowerBound
            let operand = try notExpression()
            return ExpressionNode(.not(operand), start ..< operand.range.upperBound)
        }
        return try comparison()
    }

    private mutating func comparison() throws(ExpressionError) -> ExpressionNode {
        let left = try additive()
        let start = left.range.lowerBound
        if case let .symbol(s) = current.kind, let op = ExpressionNode.ComparisonOperator(rawValue: s) {
            _ = advance()
            let right = try additive()
            let node = ExpressionNode(.comparison(op, left, right), start ..< right.range.upperBound)
            try rejectChainedComparison()
            return node
        }
        if isKeyword(.is) {
            _ = advance()
            let negated = isKeyword(.not)
            if negated { _ = advance() }
            guard isKeyword(.null) else {
                throw ExpressionError(message: "expected 'null' after 'is', found \(describe(current))", range: current.range)
            }
            let end = advance().range.upperBound
            return ExpressionNode(.isNull(left, negated: negated), start ..< end)
        }
        let negated = isKeyword(.not) && (isKeyword(.in, at: 1) || isKeyword(.between, at: 1))
        if negated { _ = advance() }
        if isKeyword(.in) {
            _ = advance()
            _ = try expectSymbol("(", "after 'in'")
            var items = [try orExpression()]
            while isSymbol(",") {
                _ = advance()
                items.append(try orExpression())
            }
            let end = try expectSymbol(")", "to close the 'in' list").range.upperBound
            return ExpressionNode(.inList(left, items, negated: negated), start ..< end)
        }
        if isKeyword(.between) {
            _ = advance()
            let low = try additive()
            guard isKeyword(.and) else {
                throw ExpressionError(message: "expected 'and' in 'between … and …', found \(describe(current))", range: current.range)
            }
            _ = advance()
            let high = try additive()
            return ExpressionNode(.between(left, low, high, negated: negated), start ..< high.range.upperBound)
        }
        return left
    }

    private func rejectChainedComparison() throws(ExpressionError) {
        if case let .symbol(s) = current.kind, ExpressionNode.ComparisonOperator(rawValue: s) != nil {
            throw ExpressionError(message: "comparisons cannot be chained; combine them with 'and'", range: current.range)
        }
    }

    private mutating func additive() throws(ExpressionError) -> ExpressionNode {
        var left = try multiplicative()
        while case let .symbol(s) = current.kind, s == "+" || s == "-" {
            _ = advance()
            let right = try multiplicative()
            let op: ExpressionNode.ArithmeticOperator = s == "+" ? .add : .subtract
            left = ExpressionNode(.arithmetic(op, left, right), left.range.lowerBound ..< right.range.upperBound)
        }
        return left
    }

    private mutating func multiplicative() throws(ExpressionError) -> ExpressionNode {
        var left = try unary()
        while case let .symbol(s) = current.kind, s == "*" || s == "/" || s == "%" {
            _ = advance()
            let right = try unary()
            let op = ExpressionNode.ArithmeticOperator(rawValue: s)!
            left = ExpressionNode(.arithmetic(op, left, right), left.range.lowerBound ..< right.range.upperBound)
        }
        return left
    }

    private mutating func unary() throws(ExpressionError) -> ExpressionNode {
        guard isSymbol("-") else { return try primary() }
        let start = advance().range.lowerBound
        let operand = try unary()
        let range = start ..< operand.range.upperBound
        // Fold negative literals so `-9223372036854775808` and `-3.50` stay literals.
        switch operand.kind {
        case let .literal(.integer(i)): return ExpressionNode(.literal(.integer(-i)), range)
        case let .literal(.decimal(d)):
            return ExpressionNode(.literal(.decimal(DecimalNumber(significand: -d.significand, scale: d.scale))), range)
        default: return ExpressionNode(.negate(operand), range)
        }
    }

    private mutating func primary() throws(ExpressionError) -> ExpressionNode {
        let token = advance()
        switch token.kind {
        case let .integer(i): return ExpressionNode(.literal(.integer(i)), token.range)
        case let .decimal(d): return ExpressionNode(.literal(.decimal(d)), token.range)
        case let .string(s): return ExpressionNode(.literal(.string(s)), token.range)
        case .keyword(.true): return ExpressionNode(.literal(.bool(true)), token.range)
        case .keyword(.false): return ExpressionNode(.literal(.bool(false)), token.range)
        case .keyword(.null): return ExpressionNode(.literal(.null), token.range)
        case .symbol("("):
            let inner = try orExpression()
            let end = try expectSymbol(")", "to close '('").range.upperBound
            return ExpressionNode(inner.kind, token.range.lowerBound ..< end)
        case let .identifier(name):
            if isSymbol("(") { return try call(name, token.range) }
            return try path(first: name, token.range)
        case let .quotedIdentifier(name):
            return try path(first: name, token.range)
        default:
            throw ExpressionError(message: "expected a value, a name or '(', found \(describe(token))", range: token.range)
        }
    }

    private mutating func call(_ name: String, _ nameRange: Range<Int>) throws(ExpressionError) -> ExpressionNode {
        _ = advance() // (
        var arguments: [ExpressionNode] = []
        if !isSymbol(")") {
            arguments.append(try orExpression())
            while isSymbol(",") {
                _ = advance()
                arguments.append(try orExpression())
            }
        }
        let end = try expectSymbol(")", "to close the arguments of \(name)()").range.upperBound
        return ExpressionNode(.call(name: name.lowercased(), nameRange: nameRange, arguments: arguments),
                              nameRange.lowerBound ..< end)
    }

    private mutating func path(first: String, _ range: Range<Int>) throws(ExpressionError) -> ExpressionNode {
        var segments = [first]
        var end = range.upperBound
        while isSymbol(".") {
            _ = advance()
            let segment = advance()
            switch segment.kind {
            case let .identifier(s), let .quotedIdentifier(s): segments.append(s)
            case let .keyword(k): segments.append(k.rawValue)
            default:
                throw ExpressionError(message: "expected a name after '.', found \(describe(segment))", range: segment.range)
            }
            end = segment.range.upperBound
        }
        return ExpressionNode(.name(segments), range.lowerBound ..< end)
    }
}
