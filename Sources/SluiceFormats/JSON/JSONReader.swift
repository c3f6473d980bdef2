/// Parses JSON documents and JSON Lines into `JSONValue`s, keeping numbers' exact text.
///
/// Strict RFC 8259: no trailing commas, comments, single quotes, `NaN`, or leading zeros;
/// a UTF-8 byte order mark at the start is accepted. Nesting deeper than
/// `Options.maxDepth` (512) is an error. Errors are `JSONError`s with line, column and what
/// was expected.
///
/// ```swift
/// let reader = JSONReader()
/// let order = try reader.parse(contentsOfFile: "inbox/orders/order.json")
/// let total = order["total"]?.numberText      // "129.90", exactly as written
/// ```
public struct JSONReader: Sendable {
    public struct Options: Sendable, Hashable {
        /// Maximum nesting of arrays and objects.
        public var maxDepth: Int

        public init(maxDepth: Int = 512) {
            self.maxDepth = maxDepth
        }
    }

    public var options: Options

    public init(options: Options = Options()) {
        self.options = options
    }

    /// Parses one JSON document. `source` names it in error messages. Throws `JSONError`.
    public func parse(_ bytes: [UInt8], source: String? = nil) throws -> JSONValue {
        try bytes.withUnsafeBufferPointer { p throws(JSONError) in
            var parser = JSONParser(
                bytes: p, start: Self.contentStart(p), end: p.count, firstLine: 1, maxDepth: options.maxDepth, source: source)
            return try parser.parseDocument()
        }
    }

    /// Parses one JSON document from text. Throws `JSONError`.
    public func parse(_ text: String, source: String? = nil) throws -> JSONValue {
        try parse(Array(text.utf8), source: source)
    }

    /// Reads and parses the file at `path`; messages name `displayName` (default: the path's
    /// last component). Throws `JSONError`.
    public func parse(contentsOfFile path: String, displayName: String? = nil) throws -> JSONValue {
        let name = displayName ?? Self.lastComponent(path)
        return try parse(try Self.read(path, name: name), source: name)
    }

    /// An iterator over the values of a JSON Lines text: one value per line, blank lines
    /// skipped, CRLF accepted.
    public func lines(_ bytes: [UInt8], source: String? = nil) -> JSONLinesIterator {
        JSONLinesIterator(bytes: bytes, maxDepth: options.maxDepth, source: source)
    }

    /// An iterator over the JSON Lines file at `path`. Throws `JSONError` if it cannot be read.
    public func lines(contentsOfFile path: String, displayName: String? = nil) throws -> JSONLinesIterator {
        let name = displayName ?? Self.lastComponent(path)
        return lines(try Self.read(path, name: name), source: name)
    }

    /// Every value of a JSON Lines text; throws `JSONError` at the first bad line.
    public func parseLines(_ bytes: [UInt8], source: String? = nil) throws -> [JSONLine] {
        var iterator = lines(bytes, source: source)
        var result: [JSONLine] = []
        while let line = try iterator.next() { result.append(line) }
        return result
    }

    static func contentStart(_ p: UnsafeBufferPointer<UInt8>) -> Int {
        p.count >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF ? 3 : 0
    }

    static func lastComponent(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }

    static func read(_ path: String, name: String) throws(JSONError) -> [UInt8] {
        do {
            return try POSIXFile.readAll(path: path)
        } catch {
            throw JSONError(.fileSystem, error.message, source: name)
        }
    }
}

/// One value of a JSON Lines file and the 1-based line it was on.
public struct JSONLine: Sendable, Hashable {
    public var line: Int
    public var value: JSONValue

    public init(line: Int, value: JSONValue) {
        self.line = line
        self.value = value
    }
}

/// Parses a JSON Lines text one line per `next()`.
///
/// A bad line throws a `JSONError` naming that line (and column); the iterator has already
/// moved past it, so a caller that wants to collect bad lines and go on can call `next()`
/// again.
public struct JSONLinesIterator: Sendable {
    private let bytes: [UInt8]
    private let maxDepth: Int
    private let source: String?
    private var position: Int
    private var line = 1

    init(bytes: [UInt8], maxDepth: Int, source: String?) {
        self.bytes = bytes
        self.maxDepth = maxDepth
        self.source = source
        self.position = bytes.withUnsafeBufferPointer { JSONReader.contentStart($0) }
    }

    /// The next value, or nil at the end. Throws `JSONError` for a line that is not one value.
    public mutating func next() throws -> JSONLine? {
        var position = self.position
        var line = self.line
        defer {
            self.position = position
            self.line = line
        }
        let maxDepth = self.maxDepth, source = self.source
        return try bytes.withUnsafeBufferPointer { p throws(JSONError) -> JSONLine? in
            while position < p.count {
                let lineStart = position
                var lineEnd = lineStart
                while lineEnd < p.count && p[lineEnd] != 0x0A { lineEnd += 1 }
                let lineNumber = line
                position = lineEnd + 1
                line += 1
                var contentEnd = lineEnd
                if contentEnd > lineStart && p[contentEnd - 1] == 0x0D { contentEnd -= 1 }
                var k = lineStart
                while k < contentEnd && (p[k] == 0x20 || p[k] == 0x09 || p[k] == 0x0D) { k += 1 }
                if k == contentEnd { continue }
                var parser = JSONParser(
                    bytes: p, start: lineStart, end: contentEnd, firstLine: lineNumber, maxDepth: maxDepth, source: source)
                return JSONLine(line: lineNumber, value: try parser.parseDocument())
            }
            return nil
        }
    }
}
