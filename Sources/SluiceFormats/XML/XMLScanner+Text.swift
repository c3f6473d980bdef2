/// Text decoding for ``XMLScanner``: entity and character references, XML line-end handling.
extension XMLScanner {
    /// Decodes bytes `start..<end` (entities, line ends) into a String.
    func string(_ start: Int, _ end: Int) throws -> String {
        var out: [UInt8] = []
        try appendDecoded(start, end, cdata: false, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the current text token, decoded, to `out`.
    @inline(__always)
    func appendText(to out: inout [UInt8]) throws {
        try appendDecoded(tokenStart, tokenEnd, cdata: isCDATA, to: &out)
    }

    /// Appends bytes `start..<end` to `out`, expanding entity and character references (unless
    /// `cdata`) and turning CR LF and lone CR into LF, as XML requires.
    func appendDecoded(_ start: Int, _ end: Int, cdata: Bool, to out: inout [UInt8]) throws {
        var run = start
        var i = start
        while i < end {
            let c = bytes[i]
            if c == UInt8(ascii: "&") && !cdata {
                if i > run { out.append(contentsOf: UnsafeBufferPointer(start: bytes + run, count: i - run)) }
                i = try decodeEntity(at: i, end: end, into: &out)
                run = i
            } else if c == 0x0D {
                if i > run { out.append(contentsOf: UnsafeBufferPointer(start: bytes + run, count: i - run)) }
                out.append(0x0A)
                i += 1
                if i < end && bytes[i] == 0x0A { i += 1 }
                run = i
            } else {
                i += 1
            }
        }
        if end > run { out.append(contentsOf: UnsafeBufferPointer(start: bytes + run, count: end - run)) }
    }

    private func decodeEntity(at ampersand: Int, end: Int, into out: inout [UInt8]) throws -> Int {
        var semicolon = ampersand + 1
        while semicolon < end, semicolon - ampersand <= 12, bytes[semicolon] != UInt8(ascii: ";") { semicolon += 1 }
        guard semicolon < end, bytes[semicolon] == UInt8(ascii: ";") else {
            throw XMLError(.malformed, "a bare '&' in text (write &amp;)", offset: discarded + ampersand)
        }
        let name = UnsafeBufferPointer(start: bytes + ampersand + 1, count: semicolon - ampersand - 1)
        switch Array(name) {
        case Array("lt".utf8): out.append(UInt8(ascii: "<"))
        case Array("gt".utf8): out.append(UInt8(ascii: ">"))
        case Array("amp".utf8): out.append(UInt8(ascii: "&"))
        case Array("quot".utf8): out.append(UInt8(ascii: "\""))
        case Array("apos".utf8): out.append(UInt8(ascii: "'"))
        default:
            guard name.count >= 2, name[0] == UInt8(ascii: "#") else {
                let text = String(decoding: name, as: UTF8.self)
                throw XMLError(.unknownEntity, "unknown entity &\(text); (only the five XML entities and character references are allowed)", offset: discarded + ampersand)
            }
            var value: UInt32 = 0
            let hex = name[1] == UInt8(ascii: "x") || name[1] == UInt8(ascii: "X")
            for digit in name.dropFirst(hex ? 2 : 1) {
                guard let d = digitValue(digit, hex: hex), value <= 0x10FFFF else {
                    throw XMLError(.malformed, "invalid character reference &\(String(decoding: name, as: UTF8.self));", offset: discarded + ampersand)
                }
                value = value * (hex ? 16 : 10) + d
            }
            let scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
            out.append(contentsOf: Array(String(Character(scalar == "\0" ? "\u{FFFD}" : scalar)).utf8))
        }
        return semicolon + 1
    }

    private func digitValue(_ c: UInt8, hex: Bool) -> UInt32? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(c - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f") where hex: return UInt32(c - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F") where hex: return UInt32(c - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

}
