/// Serialises `JSONValue`s, compactly or pretty-printed, deterministically.
///
/// - Members are written in the object's order; numbers as their text (checked against the
///   JSON grammar: a bad `.number` text throws `JSONError.Code.invalidNumber` naming its path,
///   e.g. `$.lines[2].price`).
/// - Strings: `"` and `\` are escaped, control characters use `\b \f \n \r \t` or `\u00XX`,
///   U+2028 and U+2029 are written `\u2028` `\u2029` (safe inside JavaScript), everything else
///   (accents, emoji) is written as UTF-8. `/` is not escaped.
/// - Pretty style: one member or element per line, indented by `indentWidth` spaces (2),
///   `"key": value`, empty containers as `{}` and `[]`. No newline after the last `}`/`]`.
public struct JSONWriter: Sendable {
    public enum Style: Sendable, Hashable {
        /// No whitespace at all: `{"a":[1,2]}`.
        case compact
        /// Indented, one item per line.
        case pretty
    }

    public var style: Style
    public var indentWidth: Int

    public init(style: Style = .compact, indentWidth: Int = 2) {
        self.style = style
        self.indentWidth = indentWidth
    }

    /// The UTF-8 bytes of `value`. Throws `JSONError` for an invalid number text.
    public func bytes(_ value: JSONValue) throws -> [UInt8] {
        var out: [UInt8] = []
        var path: [PathElement] = []
        try write(value, into: &out, level: 0, path: &path)
        return out
    }

    /// `value` as text. Throws `JSONError` for an invalid number text.
    public func string(_ value: JSONValue) throws -> String {
        String(decoding: try bytes(value), as: UTF8.self)
    }

    /// JSON Lines: each value compact on its own line, each line ending with `\n`.
    public func linesBytes(_ values: [JSONValue]) throws -> [UInt8] {
        let compact = JSONWriter(style: .compact)
        var out: [UInt8] = []
        for (index, value) in values.enumerated() {
            var path: [PathElement] = [.index(index)]
            try compact.write(value, into: &out, level: 0, path: &path)
            out.append(0x0A)
        }
        return out
    }

    private enum PathElement {
        case key(String)
        case index(Int)
    }

    private func write(_ value: JSONValue, into out: inout [UInt8], level: Int, path: inout [PathElement]) throws(JSONError) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let flag): out.append(contentsOf: (flag ? "true" : "false").utf8)
        case .number(let text):
            guard JSONValue.isValidNumberText(text) else {
                throw JSONError(.invalidNumber, "'\(text)' at \(Self.describe(path)) is not a JSON number (expected e.g. 12, -0.5, 1e3)")
            }
            out.append(contentsOf: text.utf8)
        case .string(let text): Self.appendString(text, to: &out)
        case .array(let elements):
            guard !elements.isEmpty else {
                out.append(contentsOf: "[]".utf8)
                return
            }
            out.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                newline(&out, level: level + 1)
                path.append(.index(index))
                try write(element, into: &out, level: level + 1, path: &path)
                path.removeLast()
            }
            newline(&out, level: level)
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            guard !object.isEmpty else {
                out.append(contentsOf: "{}".utf8)
                return
            }
            out.append(UInt8(ascii: "{"))
            for (index, member) in object.members.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                newline(&out, level: level + 1)
                Self.appendString(member.key, to: &out)
                out.append(UInt8(ascii: ":"))
                if style == .pretty { out.append(0x20) }
                path.append(.key(member.key))
                try write(member.value, into: &out, level: level + 1, path: &path)
                path.removeLast()
            }
            newline(&out, level: level)
            out.append(UInt8(ascii: "}"))
        }
    }

    private func newline(_ out: inout [UInt8], level: Int) {
        guard style == .pretty else { return }
        out.append(0x0A)
        out.append(contentsOf: repeatElement(0x20, count: level * indentWidth))
    }

    private static func describe(_ path: [PathElement]) -> String {
        var text = "$"
        for element in path {
            switch element {
            case .index(let index): text += "[\(index)]"
            case .key(let key):
                let simple = !key.isEmpty && key.utf8.allSatisfy { $0 == UInt8(ascii: "_") || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) }
                text += simple ? ".\(key)" : "[\"\(key)\"]"
            }
        }
        return text
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Appends `text` as a quoted, escaped JSON string.
    static func appendString(_ text: String, to out: inout [UInt8]) {
        var text = text
        out.append(UInt8(ascii: "\""))
        text.withUTF8 { utf8 in
            var runStart = 0
            var k = 0
            let count = utf8.count
            while k < count {
                let b = utf8[k]
                var escape: [UInt8]?
                var length = 1
                if b == UInt8(ascii: "\"") {
                    escape = Array("\\\"".utf8)
                } else if b == UInt8(ascii: "\\") {
                    escape = Array("\\\\".utf8)
                } else if b < 0x20 {
                    switch b {
                    case 0x08: escape = Array("\\b".utf8)
                    case 0x0C: escape = Array("\\f".utf8)
                    case 0x0A: escape = Array("\\n".utf8)
                    case 0x0D: escape = Array("\\r".utf8)
                    case 0x09: escape = Array("\\t".utf8)
                    default: escape = Array("\\u00".utf8) + [hexDigits[Int(b >> 4)], hexDigits[Int(b & 0xF)]]
                    }
                } else if b == 0xE2 && k + 2 < count && utf8[k + 1] == 0x80 && (utf8[k + 2] == 0xA8 || utf8[k + 2] == 0xA9) {
                    escape = Array((utf8[k + 2] == 0xA8 ? "\\u2028" : "\\u2029").utf8)
                    length = 3
                }
                if let escape {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<k]))
                    out.append(contentsOf: escape)
                    k += length
                    runStart = k
                } else {
                    k += 1
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<count]))
        }
        out.append(UInt8(ascii: "\""))
    }
}
