/// A strict RFC 8259 recursive-descent parser over UTF-8 bytes `[start, end)`.
///
/// No trailing commas, comments, single quotes, NaN or leading zeros. Strings must be valid
/// UTF-8 with control characters escaped; `\u` escapes must form Unicode scalars (surrogate
/// pairs combined, lone surrogates rejected). Numbers keep their text.
struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    let start: Int
    let end: Int
    /// Line number of `start`, so JSON Lines errors name the file's line.
    let firstLine: Int
    let maxDepth: Int
    let source: String?
    private var i: Int
    private var depth = 0

    private static let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")

    init(bytes: UnsafeBufferPointer<UInt8>, start: Int, end: Int, firstLine: Int, maxDepth: Int, source: String?) {
        self.bytes = bytes
        self.start = start
        self.end = end
        self.firstLine = firstLine
        self.maxDepth = maxDepth
        self.source = source
        self.i = start
    }

    /// One value, surrounded only by whitespace.
    mutating func parseDocument() throws(JSONError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        if i < end { throw failure(at: i, "expected the end of the document after a complete value, found \(found(at: i))") }
        return value
    }

    private mutating func skipWhitespace() {
        while i < end {
            let b = bytes[i]
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
            i += 1
        }
    }

    private mutating func parseValue() throws(JSONError) -> JSONValue {
        guard i < end else { throw failure(at: i, "expected a value, found the end of the input") }
        switch bytes[i] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case Self.quote: return .string(try parseString())
        case UInt8(ascii: "t"): return try parseLiteral("true", .bool(true))
        case UInt8(ascii: "f"): return try parseLiteral("false", .bool(false))
        case UInt8(ascii: "n"): return try parseLiteral("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        case UInt8(ascii: "/"): throw failure(at: i, "expected a value, found '/': comments are not allowed in JSON")
        default: throw failure(at: i, "expected a value, found \(found(at: i))")
        }
    }

    private mutating func enterContainer() throws(JSONError) {
        depth += 1
        if depth > maxDepth {
            throw JSONError(.tooDeep, "arrays and objects are nested more than \(maxDepth) deep", source: source,
                            line: position(of: i).line, column: position(of: i).column, byteOffset: i)
        }
    }

    private mutating func parseObject() throws(JSONError) -> JSONValue {
        try enterContainer()
        i += 1
        var members: [JSONObject.Member] = []
        skipWhitespace()
        if i < end && bytes[i] == UInt8(ascii: "}") {
            i += 1
            depth -= 1
            return .object(JSONObject())
        }
        while true {
            skipWhitespace()
            guard i < end, bytes[i] == Self.quote else {
                if i < end && bytes[i] == UInt8(ascii: "}") && !members.isEmpty {
                    throw failure(at: i, "expected a string key after ',', found '}': trailing commas are not allowed")
                }
                let hint = i < end && bytes[i] == UInt8(ascii: "/") ? ": comments are not allowed in JSON" : ""
                throw failure(at: i, "expected a string key in double quotes, found \(found(at: i))\(hint)")
            }
            let key = try parseString()
            skipWhitespace()
            guard i < end, bytes[i] == UInt8(ascii: ":") else {
                throw failure(at: i, "expected ':' after the key \"\(key)\", found \(found(at: i))")
            }
            i += 1
            skipWhitespace()
            let value = try parseValue()
            members.append(JSONObject.Member(key: key, value: value))
            skipWhitespace()
            if i < end && bytes[i] == UInt8(ascii: ",") {
                i += 1
                continue
            }
            if i < end && bytes[i] == UInt8(ascii: "}") {
                i += 1
                break
            }
            throw failure(at: i, "expected ',' or '}' after an object member, found \(found(at: i))")
        }
        depth -= 1
        return .object(JSONObject(members))
    }

    private mutating func parseArray() throws(JSONError) -> JSONValue {
        try enterContainer()
        i += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if i < end && bytes[i] == UInt8(ascii: "]") {
            i += 1
            depth -= 1
            return .array([])
        }
        while true {
            skipWhitespace()
            if i < end && bytes[i] == UInt8(ascii: "]") && !elements.isEmpty {
                throw failure(at: i, "expected a value after ',', found ']': trailing commas are not allowed")
            }
            elements.append(try parseValue())
            skipWhitespace()
            if i < end && bytes[i] == UInt8(ascii: ",") {
                i += 1
                continue
            }
            if i < end && bytes[i] == UInt8(ascii: "]") {
                i += 1
                break
            }
            throw failure(at: i, "expected ',' or ']' after an array element, found \(found(at: i))")
        }
        depth -= 1
        return .array(elements)
    }

    private mutating func parseLiteral(_ word: StaticString, _ value: JSONValue) throws(JSONError) -> JSONValue {
        let count = word.utf8CodeUnitCount
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: count)
        for k in 0..<count where i + k >= end || bytes[i + k] != expected[k] {
            throw failure(at: i + k, "expected '\(word)', found \(found(at: i + k))")
        }
        i += count
        return value
    }

    private mutating func parseNumber() throws(JSONError) -> JSONValue {
        switch JSONNumberScanner.scan(bytes, from: i, to: end) {
        case .success(let numberEnd):
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[i..<numberEnd]), as: UTF8.self)
            i = numberEnd
            return .number(text)
        case .failure(let problem):
            throw failure(at: problem.offset, "expected \(problem.expected) in a number, found \(found(at: problem.offset))")
        }
    }

    /// Parses a string starting at its opening quote.
    private mutating func parseString() throws(JSONError) -> String {
        let open = i
        i += 1
        let contentStart = i
        var hasEscape = false
        var hasNonASCII = false
        while i < end {
            let b = bytes[i]
            if b == Self.quote { break }
            if b == Self.backslash {
                hasEscape = true
                i += 2
                continue
            }
            if b < 0x20 {
                let hex = String(b, radix: 16, uppercase: true)
                throw failure(at: i, "expected '\"' or a character, found control character U+00\(b < 0x10 ? "0" : "")\(hex): escape it (e.g. \\n, \\t, \\u00\(b < 0x10 ? "0" : "")\(hex))")
            }
            if b >= 0x80 { hasNonASCII = true }
            i += 1
        }
        guard i < end else { throw failure(at: open, "unterminated string: expected a closing '\"' for the string that starts here") }
        let contentEnd = i
        i += 1
        if hasNonASCII, let bad = UTF8Validator.firstInvalidOffset(in: bytes, from: contentStart, to: contentEnd) {
            let hex = String(bytes[bad], radix: 16, uppercase: true)
            throw JSONError(.invalidEncoding, "byte 0x\(hex) is not valid UTF-8 (JSON text must be UTF-8)", source: source,
                            line: position(of: bad).line, column: position(of: bad).column, byteOffset: bad)
        }
        let raw = UnsafeBufferPointer(rebasing: bytes[contentStart..<contentEnd])
        if !hasEscape { return String(decoding: raw, as: UTF8.self) }
        var problem: (offset: Int, message: String, code: JSONError.Code)?
        let text = String(unsafeUninitializedCapacity: raw.count) { out in
            var o = 0
            var k = 0
            while k < raw.count {
                let b = raw[k]
                guard b == Self.backslash else {
                    out[o] = b
                    o += 1
                    k += 1
                    continue
                }
                let escape = raw[k + 1]
                switch escape {
                case Self.quote, Self.backslash, UInt8(ascii: "/"): out[o] = escape
                case UInt8(ascii: "b"): out[o] = 0x08
                case UInt8(ascii: "f"): out[o] = 0x0C
                case UInt8(ascii: "n"): out[o] = 0x0A
                case UInt8(ascii: "r"): out[o] = 0x0D
                case UInt8(ascii: "t"): out[o] = 0x09
                case UInt8(ascii: "u"):
                    switch decodeUnicodeEscape(raw, at: k) {
                    case .success(let (scalar, length)):
                        o = appendUTF8(scalar, to: out, at: o)
                        k += length
                        continue
                    case .failure(let failure):
                        problem = (contentStart + failure.offset, failure.message, failure.code)
                        return o
                    }
                default:
                    problem = (contentStart + k, "invalid escape: expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX after '\\', found \(found(at: contentStart + k + 1))", .syntax)
                    return o
                }
                o += 1
                k += 2
            }
            return o
        }
        if let problem { throw failure(at: problem.offset, problem.message, code: problem.code) }
        return text
    }

    private struct EscapeFailure: Error {
        var offset: Int
        var message: String
        var code: JSONError.Code
    }

    /// Decodes `\uXXXX` (or a surrogate pair `\uD83D\uDE00`) at `k`; returns the scalar and
    /// the number of bytes used.
    private func decodeUnicodeEscape(_ raw: UnsafeBufferPointer<UInt8>, at k: Int) -> Result<(UInt32, Int), EscapeFailure> {
        func hex4(_ at: Int) -> UInt32? {
            guard at + 4 <= raw.count else { return nil }
            var value: UInt32 = 0
            for n in at..<(at + 4) {
                let c = raw[n]
                let digit: UInt8
                switch c {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = c - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = c - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = c - UInt8(ascii: "A") + 10
                default: return nil
                }
                value = value << 4 | UInt32(digit)
            }
            return value
        }
        guard let unit = hex4(k + 2) else {
            return .failure(EscapeFailure(offset: k, message: "expected 4 hexadecimal digits after '\\u'", code: .syntax))
        }
        if unit >= 0xDC00 && unit <= 0xDFFF {
            return .failure(EscapeFailure(offset: k, message: "unpaired low surrogate \\u\(String(unit, radix: 16, uppercase: true)): it must follow a high surrogate \\uD800–\\uDBFF", code: .invalidEncoding))
        }
        guard unit >= 0xD800 && unit <= 0xDBFF else { return .success((unit, 6)) }
        guard k + 12 <= raw.count, raw[k + 6] == Self.backslash, raw[k + 7] == UInt8(ascii: "u"),
              let low = hex4(k + 8), low >= 0xDC00 && low <= 0xDFFF else {
            return .failure(EscapeFailure(offset: k, message: "unpaired high surrogate \\u\(String(unit, radix: 16, uppercase: true)): expected a low surrogate \\uDC00–\\uDFFF right after it", code: .invalidEncoding))
        }
        return .success((0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00), 12))
    }

    private func appendUTF8(_ scalar: UInt32, to out: UnsafeMutableBufferPointer<UInt8>, at o: Int) -> Int {
        if scalar < 0x10000 { return SingleByteDecoder.appendUTF8(of: scalar, to: out, at: o) }
        out[o] = UInt8(0xF0 | (scalar >> 18))
        out[o + 1] = UInt8(0x80 | ((scalar >> 12) & 0x3F))
        out[o + 2] = UInt8(0x80 | ((scalar >> 6) & 0x3F))
        out[o + 3] = UInt8(0x80 | (scalar & 0x3F))
        return o + 4
    }

    // MARK: Positions and messages

    /// 1-based line and column (in Unicode scalars) of a byte offset.
    func position(of offset: Int) -> (line: Int, column: Int) {
        var line = firstLine
        var lineStart = start
        var k = start
        let limit = min(offset, end)
        while k < limit {
            if bytes[k] == 0x0A {
                line += 1
                lineStart = k + 1
            }
            k += 1
        }
        var column = 1
        for n in lineStart..<limit where bytes[n] & 0xC0 != 0x80 { column += 1 }
        return (line, column)
    }

    /// A short description of what is at `offset`, for "found ..." in messages.
    func found(at offset: Int) -> String {
        guard offset < end else { return "the end of the input" }
        let b = bytes[offset]
        switch b {
        case 0x0A, 0x0D: return "a line break"
        case 0x09: return "a tab"
        case 0x20: return "a space"
        case 0x21...0x7E: return "'\(Character(UnicodeScalar(b)))'"
        case 0x80...:
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[offset..<min(offset + 4, end)]), as: UTF8.self)
            return text.first.map { "'\($0)'" } ?? "byte 0x\(String(b, radix: 16, uppercase: true))"
        default: return "control character 0x\(String(b, radix: 16, uppercase: true))"
        }
    }

    func failure(at offset: Int, _ message: String, code: JSONError.Code = .syntax) -> JSONError {
        let (line, column) = position(of: offset)
        return JSONError(code, message, source: source, line: line, column: column, byteOffset: offset)
    }
}
