/// The built-in functions' names, signatures and static typing rules.
struct ExpressionFunctionTyping {
    /// Every built-in function with the signature shown in error messages.
    static let signatures: [String: String] = [
        "lower": "lower(text)", "upper": "upper(text)", "trim": "trim(text)", "length": "length(text)",
        "substr": "substr(text, start, length?)", "contains": "contains(text, part)",
        "starts_with": "starts_with(text, prefix)", "ends_with": "ends_with(text, suffix)",
        "replace": "replace(text, from, to)", "concat": "concat(value, ...)", "matches": "matches(text, 'regex')",
        "round": "round(number, digits?)", "abs": "abs(number)", "floor": "floor(number)", "ceil": "ceil(number)",
        "min": "min(value, ...)", "max": "max(value, ...)",
        "year": "year(date)", "month": "month(date)", "day": "day(date)", "weekday": "weekday(date)",
        "date": "date('yyyy-mm-dd') or date(year, month, day)", "add_days": "add_days(date, days)",
        "days_between": "days_between(from, to)", "format_date": "format_date(date, 'dd.MM.yyyy')",
        "decimal": "decimal(value)", "integer": "integer(value)", "string": "string(value)",
        "coalesce": "coalesce(value, ...)", "if": "if(condition, then, else)",
    ]

    let checker: ExpressionChecker

    func type(of name: String, nameRange: Range<Int>, arguments: [ExpressionNode],
              call: ExpressionNode) throws(ExpressionError) -> ColumnType? {
        guard let signature = Self.signatures[name] else {
            throw ExpressionError(
                message: "unknown function '\(name)'" + Suggestion.didYouMean(name, among: Self.signatures.keys.sorted()),
                range: nameRange)
        }
        let types = try arguments.map { (node) throws(ExpressionError) -> ColumnType? in try checker.type(of: node) }

        func arity(_ counts: ClosedRange<Int>) throws(ExpressionError) {
            guard !counts.contains(arguments.count) else { return }
            let given = arguments.count == 1 ? "1 argument" : "\(arguments.count) arguments"
            throw ExpressionError(message: "wrong number of arguments: \(signature) was given \(given)", range: call.range)
        }
        func expect(_ i: Int, _ what: String, _ accepts: (ColumnType) -> Bool) throws(ExpressionError) {
            guard let t = types[i], t != .any, !accepts(t) else { return }
            throw ExpressionError(message: "argument \(i + 1) of \(signature) must be \(what), got \(t)",
                                  range: arguments[i].range)
        }
        func text(_ i: Int) throws(ExpressionError) { try expect(i, "text", { $0 == .string }) }
        func integer(_ i: Int) throws(ExpressionError) { try expect(i, "an integer", { $0 == .integer }) }
        func number(_ i: Int) throws(ExpressionError) { try expect(i, "a number", \.isNumeric) }
        func temporal(_ i: Int) throws(ExpressionError) { try expect(i, "a date", \.isTemporal) }

        switch name {
        case "lower", "upper", "trim", "length":
            try arity(1 ... 1)
            try text(0)
            return name == "length" ? .integer : .string
        case "substr":
            try arity(2 ... 3)
            try text(0)
            for i in 1 ..< arguments.count { try integer(i) }
            return .string
        case "contains", "starts_with", "ends_with":
            try arity(2 ... 2)
            try text(0)
            try text(1)
            return .bool
        case "replace":
            try arity(3 ... 3)
            for i in 0 ..< 3 { try text(i) }
            return .string
        case "concat":
            try arity(1 ... Int.max)
            return .string
        case "matches":
            try arity(2 ... 2)
            try text(0)
            _ = try ExpressionPattern.regex(from: arguments[1])
            return .bool
        case "round":
            try arity(1 ... 2)
            try number(0)
            if arguments.count == 2 { try integer(1) }
            return types[0]
        case "abs":
            try arity(1 ... 1)
            try number(0)
            return types[0]
        case "floor", "ceil":
            try arity(1 ... 1)
            try number(0)
            return .integer
        case "min", "max":
            try arity(1 ... Int.max)
            for i in arguments.indices {
                try expect(i, "a number, text or date", { $0 != .bool })
            }
            return try unify(types, arguments, signature)
        case "year", "month", "day", "weekday":
            try arity(1 ... 1)
            try temporal(0)
            return .integer
        case "date":
            try arity(1 ... 3)
            if arguments.count == 2 { try arity(3 ... 3) }
            if arguments.count == 1 {
                try expect(0, "text or a date", { $0 == .string || $0.isTemporal })
                if case let .literal(.string(s)) = arguments[0].kind, LocalDate(iso: s) == nil {
                    throw ExpressionError(message: "'\(s)' is not a date in the form yyyy-mm-dd", range: arguments[0].range)
                }
            } else {
                for i in 0 ..< 3 { try integer(i) }
            }
            return .date
        case "add_days":
            try arity(2 ... 2)
            try temporal(0)
            try integer(1)
            return types[0]
        case "days_between":
            try arity(2 ... 2)
            try temporal(0)
            try temporal(1)
            return .integer
        case "format_date":
            try arity(2 ... 2)
            try temporal(0)
            _ = try ExpressionPattern.datePattern(from: arguments[1])
            return .string
        case "decimal", "integer":
            try arity(1 ... 1)
            try expect(0, "a number or text", { $0.isNumeric || $0 == .string })
            return name == "decimal" ? .decimal : .integer
        case "string":
            try arity(1 ... 1)
            return .string
        case "coalesce":
            try arity(1 ... Int.max)
            return try unify(types, arguments, signature)
        default: // "if"
            try arity(3 ... 3)
            try checker.requireBool(arguments[0], "the condition of if()")
            return try unify(Array(types[1...]), Array(arguments[1...]), signature)
        }
    }

    /// The common type of several alternatives (integer and decimal give decimal, date and
    /// datetime give datetime), or an error naming the first argument that does not fit.
    private func unify(_ types: [ColumnType?], _ arguments: [ExpressionNode], _ signature: String) throws(ExpressionError) -> ColumnType? {
        var result: ColumnType?
        for (i, t) in types.enumerated() {
            guard let t else { continue }
            guard let current = result else { result = t; continue }
            if let merged = Self.merge(current, t) {
                result = merged
            } else {
                throw ExpressionError(message: "the arguments of \(signature) mix \(current) and \(t)", range: arguments[i].range)
            }
        }
        return result
    }

    static func merge(_ a: ColumnType, _ b: ColumnType) -> ColumnType? {
        if a == b { return a }
        if a == .any || b == .any { return .any }
        if a.isNumeric && b.isNumeric { return .decimal }
        if a.isTemporal && b.isTemporal { return .datetime }
        return nil
    }
}
