/// One header field of a message, in the order it appeared.
public struct MIMEHeader: Sendable, Hashable {
    /// The field name as written (`Content-Type`); compare case-insensitively.
    public var name: String
    /// The value unfolded (line breaks of continuation lines removed) with the leading
    /// whitespace after the colon dropped; raw bytes that are not UTF-8 became U+FFFD.
    public var rawValue: String
    /// `rawValue` with RFC 2047 encoded words decoded.
    public var value: String

    public init(name: String, rawValue: String, value: String? = nil) {
        self.name = name
        self.rawValue = rawValue
        self.value = value ?? rawValue
    }
}

extension [MIMEHeader] {
    /// The raw value of the first field called `name` (case-insensitive).
    func first(_ name: String) -> String? {
        first { $0.name.caseInsensitiveEquals(name) }?.rawValue
    }

    /// The raw values of every field called `name`, in order.
    func all(_ name: String) -> [String] {
        filter { $0.name.caseInsensitiveEquals(name) }.map(\.rawValue)
    }
}

extension String {
    /// ASCII case-insensitive equality, for header and parameter names.
    func caseInsensitiveEquals(_ other: String) -> Bool {
        let a = utf8, b = other.utf8
        guard a.count == b.count else { return false }
        return zip(a, b).allSatisfy { x, y in x == y || (x | 0x20 == y | 0x20 && (x | 0x20) >= 0x61 && (x | 0x20) <= 0x7A) }
    }
}

/// Splits a header block (the bytes before the blank line) into fields.
enum MIMEHeaderBlock {
    /// The fields of `block`, and whether any raw byte was not UTF-8.
    static func parse(_ block: [UInt8]) -> (fields: [MIMEHeader], invalidUTF8: Bool) {
        var fields: [MIMEHeader] = []
        var invalid = false
        var name: [UInt8] = []
        var value: [UInt8] = []
        var open = false
        func close() {
            guard open else { return }
            let (n, badName) = LossyUTF8.decode(name)
            let (v, badValue) = LossyUTF8.decode(value)
            invalid = invalid || badName || badValue
            fields.append(MIMEHeader(name: n, rawValue: v))
            open = false
        }
        block.withUnsafeBufferPointer { b in
            var start = 0
            while start < b.count {
                var end = start
                while end < b.count && b[end] != 0x0A { end += 1 }
                var lineEnd = end
                while lineEnd > start && (b[lineEnd - 1] == 0x0D || b[lineEnd - 1] == 0x0A) { lineEnd -= 1 }
                let line = UnsafeBufferPointer(rebasing: b[start..<lineEnd])
                start = end + 1
                guard let first = line.first else { continue }
                if first == 0x20 || first == 0x09 {
                    // A continuation: unfolding removes only the line break.
                    if open { value.append(contentsOf: line) }
                    continue
                }
                close()
                guard let colon = line.firstIndex(of: 0x3A) else { continue }
                name = Array(line[..<colon])
                while let last = name.last, last == 0x20 || last == 0x09 { name.removeLast() }
                var v = colon + 1
                while v < line.count && (line[v] == 0x20 || line[v] == 0x09) { v += 1 }
                value = Array(line[v...])
                open = true
            }
        }
        close()
        return (fields, invalid)
    }

    /// Whether a header-block line starts a field (`Name:`), continues one, or is neither.
    static func classify(_ line: UnsafeRawBufferPointer) -> LineKind {
        guard let first = line.first else { return .blank }
        if first == 0x20 || first == 0x09 { return .continuation }
        for b in line {
            if b == 0x3A { return .field }
            if b < 0x21 || b > 0x7E { return .other }
        }
        return .other
    }

    enum LineKind { case blank, field, continuation, other }
}
