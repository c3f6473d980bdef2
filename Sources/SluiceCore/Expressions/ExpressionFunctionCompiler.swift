/// Reads a function's arguments at run time, with messages naming the function.
struct FunctionArguments: Sendable {
    let signature: String
    let site: ExpressionSite

    func mismatch(_ value: Value, _ index: Int, _ what: String) -> ExpressionError {
        site.error("argument \(index + 1) of \(signature) must be \(what), got \(ExpressionSite.describe(value))")
    }

    func text(_ value: Value, _ index: Int) throws(ExpressionError) -> String {
        if case let .string(s) = value { return s }
        throw mismatch(value, index, "text")
    }

    func integer(_ value: Value, _ index: Int) throws(ExpressionError) -> Int64 {
        if case let .integer(i) = value { return i }
        throw mismatch(value, index, "an integer")
    }

    func date(_ value: Value, _ index: Int) throws(ExpressionError) -> LocalDate {
        switch value {
        case let .date(d): return d
        case let .datetime(t): return t.date
        default: throw mismatch(value, index, "a date")
        }
    }
}

/// Compiles calls to the built-in functions. Unless a function says otherwise, a null
/// argument makes the result null; `coalesce` and `if` are the exceptions.
struct ExpressionFunctionCompiler {
    let compiler: ExpressionCompiler
    let call: ExpressionNode
    let site: ExpressionSite

    typealias Function1 = @Sendable (Value) throws(ExpressionError) -> Value
    typealias Function2 = @Sendable (Value, Value) throws(ExpressionError) -> Value
    typealias Function3 = @Sendable (Value, Value, Value) throws(ExpressionError) -> Value

    func compile(_ name: String, _ nodes: [ExpressionNode]) throws(ExpressionError) -> CompiledNode {
        let arguments = try nodes.map { (node) throws(ExpressionError) -> CompiledNode in try compiler.compile(node) }
        let e = arguments.map(\.evaluator)
        let reader = FunctionArguments(signature: ExpressionFunctionTyping.signatures[name] ?? name, site: site)
        switch name {
        case "lower": return strict(e) { (v) throws(ExpressionError) in .string(try reader.text(v, 0).lowercased()) }
        case "upper": return strict(e) { (v) throws(ExpressionError) in .string(try reader.text(v, 0).uppercased()) }
        case "trim":
            return strict(e) { (v) throws(ExpressionError) in
                .string(String(try reader.text(v, 0).trimmingWhitespace))
            }
        case "length": return strict(e) { (v) throws(ExpressionError) in .integer(Int64(try reader.text(v, 0).count)) }
        case "substr":
            if e.count == 2 {
                return strict(e) { (s, start) throws(ExpressionError) in
                    .string(Self.substring(try reader.text(s, 0), try reader.integer(start, 1), nil))
                }
            }
            return strict(e) { (s, start, length) throws(ExpressionError) in
                let count = try reader.integer(length, 2)
                guard count >= 0 else { throw reader.site.error("substr() length cannot be negative (\(count))") }
                return .string(Self.substring(try reader.text(s, 0), try reader.integer(start, 1), count))
            }
        case "contains":
            return strict(e) { (s, part) throws(ExpressionError) in .bool(try reader.text(s, 0).contains(try reader.text(part, 1))) }
        case "starts_with":
            return strict(e) { (s, part) throws(ExpressionError) in .bool(try reader.text(s, 0).hasPrefix(try reader.text(part, 1))) }
        case "ends_with":
            return strict(e) { (s, part) throws(ExpressionError) in .bool(try reader.text(s, 0).hasSuffix(try reader.text(part, 1))) }
        case "replace":
            return strict(e) { (s, from, to) throws(ExpressionError) in
                let text = try reader.text(s, 0), target = try reader.text(from, 1), replacement = try reader.text(to, 2)
                return .string(target.isEmpty ? text : text.replacing(target, with: replacement))
            }
        case "concat":
            return .row { row throws(ExpressionError) in
                var out = ""
                for evaluate in e {
                    let v = try evaluate(row)
                    if v.isNull { return .null }
                    out += v.description
                }
                return .string(out)
            }
        case "matches":
            let regex = try ExpressionPattern.regex(from: nodes[1])
            return strict(Array(e.prefix(1))) { (v) throws(ExpressionError) in .bool(regex.matches(try reader.text(v, 0))) }
        case "string":
            return strict(e) { (v) throws(ExpressionError) in .string(v.description) }
        case "decimal":
            return strict(e) { (v) throws(ExpressionError) in
                switch v {
                case let .integer(i): return .decimal(DecimalNumber(i))
                case .decimal: return v
                case let .string(s):
                    guard let d = DecimalNumber(parsing: s.trimmingWhitespace) else {
                        throw reader.site.error("cannot convert \(ExpressionSite.describe(v)) to decimal")
                    }
                    return .decimal(d)
                default: throw reader.mismatch(v, 0, "a number or text")
                }
            }
        case "integer":
            return strict(e) { (v) throws(ExpressionError) in
                switch v {
                case .integer: return v
                case let .decimal(d): return .integer(Self.truncated(d))
                case let .string(s):
                    let trimmed = s.trimmingWhitespace
                    if let i = Int64(trimmed) { return .integer(i) }
                    guard let d = DecimalNumber(parsing: trimmed) else {
                        throw reader.site.error("cannot convert \(ExpressionSite.describe(v)) to integer")
                    }
                    return .integer(Self.truncated(d))
                default: throw reader.mismatch(v, 0, "a number or text")
                }
            }
        case "coalesce":
            let type = try compiler.checker.type(of: call)
            return .row { row throws(ExpressionError) in
                for evaluate in e {
                    let v = try evaluate(row)
                    if !v.isNull { return ExpressionRuntime.coerce(v, to: type) }
                }
                return .null
            }
        case "if":
            let type = try compiler.checker.type(of: call)
            let condition = e[0], then = e[1], otherwise = e[2]
            return .row { row throws(ExpressionError) in
                let chosen = try ExpressionRuntime.truth(try condition(row), reader.site, "the condition of if()") == true ? then : otherwise
                return ExpressionRuntime.coerce(try chosen(row), to: type)
            }
        default:
            return try compileNumberOrDate(name, nodes, arguments, reader)
        }
    }

    // MARK: Null-propagating wrappers: a null argument gives null without calling `f`.

    func strict(_ e: [ExpressionEvaluator], _ f: @escaping Function1) -> CompiledNode {
        let a = e[0]
        return .row { row throws(ExpressionError) in
            let x = try a(row)
            return x.isNull ? .null : try f(x)
        }
    }

    func strict(_ e: [ExpressionEvaluator], _ f: @escaping Function2) -> CompiledNode {
        let a = e[0], b = e[1]
        return .row { row throws(ExpressionError) in
            let x = try a(row), y = try b(row)
            return x.isNull || y.isNull ? .null : try f(x, y)
        }
    }

    func strict(_ e: [ExpressionEvaluator], _ f: @escaping Function3) -> CompiledNode {
        let a = e[0], b = e[1], c = e[2]
        return .row { row throws(ExpressionError) in
            let x = try a(row), y = try b(row), z = try c(row)
            return x.isNull || y.isNull || z.isNull ? .null : try f(x, y, z)
        }
    }

    /// Characters from 1-based `start` (values below 1 count as 1), `count` of them or to the end.
    static func substring(_ s: String, _ start: Int64, _ count: Int64?) -> String {
        let skip = start > 1 ? Int(clamping: start - 1) : 0
        let tail = s.dropFirst(skip)
        guard let count else { return String(tail) }
        return String(tail.prefix(Int(clamping: count)))
    }

    /// Toward zero: `integer(-2.7)` is -2.
    static func truncated(_ d: DecimalNumber) -> Int64 {
        if d.scale <= 0 { return Int64(clamping: Int128(d.significand) * pow10(Int(-d.scale))) }
        return Int64(Int128(d.significand) / pow10(Int(d.scale)))
    }
}

extension StringProtocol {
    /// Without leading and trailing whitespace (Unicode), as a slice.
    var trimmingWhitespace: SubSequence {
        let start = firstIndex { !$0.isWhitespace } ?? endIndex
        let end = lastIndex { !$0.isWhitespace }.map(index(after:)) ?? start
        return self[start ..< Swift.max(start, end)]
    }
}
