/// The byte-level RFC 4180 state machine shared by `CSVReader` and delimiter detection.
///
/// Rules (see `CSVReader` for the user-facing summary):
/// - a field that starts with `"` is quoted: `""` inside is one quote; delimiters, CR and LF
///   inside are data; a lone `"` closes it. Bytes after the closing quote, up to the next
///   delimiter or line break, are appended literally (lenient: `"ab"c` reads `abc`).
/// - a `"` anywhere else in a field is an ordinary character (lenient: `5"` reads `5"`).
/// - CRLF, LF and lone CR each end a record; a line break inside quotes counts as a line.
/// - an empty line is skipped, or read as a record of one empty field.
struct CSVTokenizer: Sendable {
    let delimiter: UInt8
    let encoding: CSVEncoding
    let skipEmptyLines: Bool
    let source: String?
    /// Offset of the first content byte (after any BOM), for column numbers.
    let contentStart: Int
    /// Offset of the next unread byte.
    var position: Int
    /// 1-based line number at `position`.
    var line: Int = 1
    /// The row a spreadsheet shows the last record on: records and empty lines counted from
    /// the top (a quoted line break stays within its record's row). 0 before the first.
    var row: Int = 0

    static let quote = UInt8(ascii: "\"")
    static let lineFeed: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D

    init(delimiter: UInt8, encoding: CSVEncoding, skipEmptyLines: Bool, source: String?, contentStart: Int) {
        self.delimiter = delimiter
        self.encoding = encoding
        self.skipEmptyLines = skipEmptyLines
        self.source = source
        self.contentStart = contentStart
        self.position = contentStart
    }

    /// Reads the next record from `bytes[position..<end]`, appending its fields to `fields`
    /// when `makeStrings` is true. Returns the record's starting line and field count, or
    /// nil at the end. An unterminated quote throws and moves `position` to the end.
    mutating func nextRecord(
        _ bytes: UnsafeBufferPointer<UInt8>, end: Int, into fields: inout [String], makeStrings: Bool
    ) throws(CSVError) -> (line: Int, count: Int)? {
        guard let base = bytes.baseAddress else { return nil }
        let quote = Self.quote, lf = Self.lineFeed, cr = Self.carriageReturn, d = delimiter
        var i = position
        while i < end {
            let b = base[i]
            guard b == lf || b == cr else { break }
            i += 1
            if b == cr && i < end && base[i] == lf { i += 1 }
            line += 1
            row += 1
            if !skipEmptyLines {
                position = i
                if makeStrings { fields.append("") }
                return (line - 1, 1)
            }
        }
        if i >= end {
            position = i
            return nil
        }
        let startLine = line
        row += 1
        var count = 0
        while true {
            let fieldStart = i
            if i < end && base[i] == quote {
                let quoteLine = line
                i += 1
                var unescape = false
                var closed = false
                while i < end {
                    let b = base[i]
                    if b == quote {
                        if i + 1 < end && base[i + 1] == quote {
                            unescape = true
                            i += 2
                            continue
                        }
                        closed = true
                        break
                    }
                    if b == lf {
                        line += 1
                    } else if b == cr && !(i + 1 < end && base[i + 1] == lf) {
                        line += 1
                    }
                    i += 1
                }
                if !closed {
                    position = end
                    throw CSVError(
                        .unterminatedQuote,
                        "unterminated quoted field: the quote opened here is never closed (a field containing \" must be quoted and its quotes doubled)",
                        source: source, line: quoteLine, column: byteColumn(of: fieldStart, base))
                }
                var contentEnd = i
                i += 1
                if i < end {
                    let b = base[i]
                    if b != d && b != lf && b != cr {
                        unescape = true
                        while i < end {
                            let c = base[i]
                            if c == d || c == lf || c == cr { break }
                            i += 1
                        }
                        contentEnd = i
                    }
                }
                if makeStrings { fields.append(makeField(base, fieldStart + 1, contentEnd, unescape: unescape)) }
            } else {
                while i < end {
                    let b = base[i]
                    if b == d || b == lf || b == cr { break }
                    i += 1
                }
                if makeStrings { fields.append(makeField(base, fieldStart, i, unescape: false)) }
            }
            count += 1
            if i >= end { break }
            let b = base[i]
            i += 1
            if b == d { continue }
            if b == cr && i < end && base[i] == lf { i += 1 }
            line += 1
            break
        }
        position = i
        return (startLine, count)
    }

    /// 1-based byte column of `offset` within its line.
    private func byteColumn(of offset: Int, _ base: UnsafePointer<UInt8>) -> Int {
        var k = offset
        while k > contentStart && base[k - 1] != Self.lineFeed && base[k - 1] != Self.carriageReturn { k -= 1 }
        return offset - k + 1
    }

    /// The field text for `base[start..<end]`, undoing quote escapes when `unescape` is true
    /// (the range then starts just after the opening quote).
    @inline(__always)
    private func makeField(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int, unescape: Bool) -> String {
        let count = end - start
        if count == 0 { return "" }
        let first = base + start
        if !unescape {
            if encoding == .utf8 {
                return String(decoding: UnsafeBufferPointer(start: first, count: count), as: UTF8.self)
            }
            return SingleByteDecoder.string(first, count: count, encoding: encoding)
        }
        let encoding = self.encoding
        let quote = Self.quote
        return String(unsafeUninitializedCapacity: encoding == .utf8 ? count : count * 3) { out in
            var o = 0
            var k = 0
            var quoted = true
            while k < count {
                let b = first[k]
                if b == quote && quoted {
                    if k + 1 < count && first[k + 1] == quote {
                        k += 1
                    } else {
                        quoted = false
                        k += 1
                        continue
                    }
                }
                if encoding == .utf8 || b < 0x80 {
                    out[o] = b
                    o += 1
                } else {
                    o = SingleByteDecoder.appendUTF8(of: Windows1252.scalar(of: b, encoding: encoding), to: out, at: o)
                }
                k += 1
            }
            return o
        }
    }
}
