/// One token of an expression, with its character range.
struct ExpressionToken: Sendable, Hashable {
    enum Keyword: String, Sendable, Hashable, CaseIterable {
        case and, or, not, `in`, `is`, null, `true`, `false`, between
    }

    enum Kind: Sendable, Hashable {
        case integer(Int64)
        case decimal(DecimalNumber)
        case string(String)
        /// A bare identifier (letters, digits, `_`), as written.
        case identifier(String)
        /// A backticked name: never a keyword, never a function.
        case quotedIdentifier(String)
        /// A keyword, matched case-insensitively.
        case keyword(Keyword)
        /// Punctuation and operators: `( ) , . + - * / % = != < <= > >=` (`==` and `<>` are
        /// normalised to `=` and `!=`).
        case symbol(String)
        case end
    }

    var kind: Kind
    var range: Range<Int>
}

/// Splits an expression into tokens. Works on characters so ranges are character offsets;
/// this runs once per expression, never per row.
struct ExpressionLexer {
    private let characters: [Character]
    private var index = 0

    init(_ source: String) { characters = Array(source) }

    static func tokenize(_ source: String) throws(ExpressionError) -> [ExpressionToken] {
        var lexer = ExpressionLexer(source)
        var tokens: [ExpressionToken] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    private mutating func next() throws(ExpressionError) -> ExpressionToken {
        while index < characters.count, characters[index].isWhitespace { index += 1 }
        let start = index
        guard index < characters.count else { return ExpressionToken(kind: .end, range: start ..< start) }
        let c = characters[index]
        if c.isASCII, c.isNumber { return try number(start) }
        if c == "_" || c.isLetter {
            while index < characters.count, characters[index] == "_" || characters[index].isLetter || characters[index].isNumber {
                index += 1
            }
            let word = String(characters[start ..< index])
            if let keyword = ExpressionToken.Keyword(rawValue: word.lowercased()) {
                return ExpressionToken(kind: .keyword(keyword), range: start ..< index)
            }
            return ExpressionToken(kind: .identifier(word), range: start ..< index)
        }
        if c == "'" || c == "\"" || c == "`" {
            let text = try quoted(c, start)
            let kind: ExpressionToken.Kind = c == "`" ? .quotedIdentifier(text) : .string(text)
            if c == "`", text.isEmpty {
                throw ExpressionError(message: "empty name between backticks", range: start ..< index)
            }
            return ExpressionToken(kind: kind, range: start ..< index)
        }
        index += 1
        let following: Character? = index < characters.count ? characters[index] : nil
        func symbol(_ s: String, length: Int = 1) -> ExpressionToken {
            index = start + length
            return ExpressionToken(kind: .symbol(s), range: start ..< index)
        }
        switch c {
        case "(", ")", ",", ".", "+", "-", "*", "/", "%": return symbol(String(c))
        case "=": return following == "=" ? symbol("=", length: 2) : symbol("=")
        case "<":
            if following == "=" { return symbol("<=", length: 2) }
            if following == ">" { return symbol("!=", length: 2) }
            return symbol("<")
        case ">": return following == "=" ? symbol(">=", length: 2) : symbol(">")
        case "!":
            if following == "=" { return symbol("!=", length: 2) }
            throw ExpressionError(message: "unexpected '!'; write 'not' to negate", range: start ..< start + 1)
        case "&" where following == "&":
            throw ExpressionError(message: "unexpected '&&'; write 'and'", range: start ..< start + 2)
        case "|" where following == "|":
            throw ExpressionError(message: "unexpected '||'; write 'or', or concat() to join text", range: start ..< start + 2)
        default:
            throw ExpressionError(message: "unexpected character '\(c)'", range: start ..< start + 1)
        }
    }

    private mutating func number(_ start: Int) throws(ExpressionError) -> ExpressionToken {
        while index < characters.count, characters[index].isASCII, characters[index].isNumber { index += 1 }
        var isDecimal = false
        if index + 1 < characters.count, characters[index] == ".", characters[index + 1].isASCII, characters[index + 1].isNumber {
            isDecimal = true
            index += 1
            while index < characters.count, characters[index].isASCII, characters[index].isNumber { index += 1 }
        }
        if index < characters.count, characters[index] == "_" || characters[index].isLetter {
            throw ExpressionError(message: "a name cannot start with a digit; quote it with backticks", range: start ..< index + 1)
        }
        let text = String(characters[start ..< index])
        let range = start ..< index
        if !isDecimal, let value = Int64(text) { return ExpressionToken(kind: .integer(value), range: range) }
        if isDecimal, let value = DecimalNumber(parsing: text) { return ExpressionToken(kind: .decimal(value), range: range) }
        throw ExpressionError(message: "number '\(text)' is too large", range: range)
    }

    /// A quoted string or name; the quote character is escaped by doubling it (`'it''s'`).
    private mutating func quoted(_ quote: Character, _ start: Int) throws(ExpressionError) -> String {
        index += 1
        var text = ""
        while index < characters.count {
            let c = characters[index]
            index += 1
            if c == quote {
                if index < characters.count, characters[index] == quote {
                    text.append(quote)
                    index += 1
                } else {
                    return text
                }
            } else {
                text.append(c)
            }
        }
        let what = quote == "`" ? "name" : "string"
        throw ExpressionError(message: "unterminated \(what): missing closing \(quote)", range: start ..< characters.count)
    }
}
