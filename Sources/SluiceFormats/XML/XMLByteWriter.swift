/// Builds XML text as UTF-8 bytes, escaping as it goes; the writer side of ``XMLScanner``.
struct XMLByteWriter {
    var bytes: [UInt8] = []

    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    @inline(__always)
    mutating func raw(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    @inline(__always)
    mutating func raw(_ other: [UInt8]) { bytes.append(contentsOf: other) }

    /// Appends a non-negative or negative integer in decimal.
    @inline(__always)
    mutating func integer(_ value: Int64) {
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
            if value == .min { raw("9223372036854775808"); return }
        }
        var n = value.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[19 - count] = UInt8(truncatingIfNeeded: n % 10) + 48
                n /= 10
                count += 1
            } while n > 0
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: d[(20 - count)...]))
        }
    }

    /// Appends text for an element's content or an attribute value: `& < > "` escaped, and
    /// characters XML cannot carry written as OOXML `_xHHHH_` escapes when `ooxmlEscapes` is on
    /// (a literal `_xHHHH_` then gets its underscore escaped as `_x005F_`).
    mutating func text(_ string: String, ooxmlEscapes: Bool = true) {
        var string = string
        string.withUTF8 { utf8 in
            var run = 0
            var i = 0
            let count = utf8.count
            while i < count {
                let c = utf8[i]
                var replacement: StaticString?
                var escapeUnit: UInt16?
                switch c {
                case UInt8(ascii: "&"): replacement = "&amp;"
                case UInt8(ascii: "<"): replacement = "&lt;"
                case UInt8(ascii: ">"): replacement = "&gt;"
                case UInt8(ascii: "\""): replacement = "&quot;"
                case UInt8(ascii: "_") where ooxmlEscapes && looksLikeEscape(utf8, at: i): replacement = "_x005F_"
                case 0xEF where i + 2 < count && utf8[i + 1] == 0xBF && (utf8[i + 2] == 0xBE || utf8[i + 2] == 0xBF):
                    escapeUnit = utf8[i + 2] == 0xBE ? 0xFFFE : 0xFFFF
                default:
                    if c < 0x20 && c != 0x09 && c != 0x0A { escapeUnit = UInt16(c) }
                }
                if replacement == nil && escapeUnit == nil { i += 1; continue }
                if i > run { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run..<i])) }
                if let replacement {
                    raw(replacement)
                    i += 1
                } else if let unit = escapeUnit {
                    if ooxmlEscapes {
                        raw("_x")
                        for shift in stride(from: 12, through: 0, by: -4) {
                            bytes.append(Self.hexDigits[Int((unit >> UInt16(shift)) & 0xF)])
                        }
                        bytes.append(UInt8(ascii: "_"))
                    } else if c == 0x0D {
                        raw("&#13;")
                    }
                    i += unit >= 0xFFFE ? 3 : 1
                }
                run = i
            }
            if count > run { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run..<count])) }
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    private func looksLikeEscape(_ utf8: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        guard i + 6 < utf8.count, utf8[i + 1] == UInt8(ascii: "x"), utf8[i + 6] == UInt8(ascii: "_") else { return false }
        for k in 2..<6 {
            let c = utf8[i + k] | 0x20
            guard (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "f")) else { return false }
        }
        return true
    }
}
