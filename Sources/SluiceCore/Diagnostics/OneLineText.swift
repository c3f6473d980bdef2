import Foundation

extension String {
    /// The text with every control character written as an escape, so that a name taken from
    /// outside (a dropped file's, an attachment's) cannot break a one-line message or log
    /// line, move the cursor or recolour a terminal: `\n`, `\r`, `\t`, and `\u{1B}`-style
    /// escapes for the other C0 and C1 controls, DEL, and the bidirectional controls.
    public var escapingControlCharacters: String {
        guard unicodeScalars.contains(where: \.needsEscapeOnOneLine) else { return self }
        var out = ""
        out.reserveCapacity(utf8.count + 8)
        for s in unicodeScalars {
            guard s.needsEscapeOnOneLine else {
                out.unicodeScalars.append(s)
                continue
            }
            switch s {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default: out += "\\u{" + String(s.value, radix: 16, uppercase: true) + "}"
            }
        }
        return out
    }
}

extension Unicode.Scalar {
    /// C0 and C1 controls, DEL, line and paragraph separators and the bidirectional controls.
    var needsEscapeOnOneLine: Bool {
        switch value {
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x2028, 0x2029, 0x200E, 0x200F, 0x061C, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
}
