/// Strict UTF-8 validation (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF)
/// over raw bytes, with an ASCII fast path that checks eight bytes at a time.
enum UTF8Validator {
    /// The offset of the first byte that does not start or continue a valid sequence in
    /// `bytes[from..<to]`, or nil when the range is valid UTF-8.
    static func firstInvalidOffset(in bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int? {
        guard let base = bytes.baseAddress, from < to else { return nil }
        var i = from
        let raw = UnsafeRawPointer(base)
        while i < to {
            // Skip ASCII eight bytes at a time.
            while i + 8 <= to {
                let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                if word & 0x8080_8080_8080_8080 != 0 { break }
                i += 8
            }
            if i >= to { break }
            let b0 = base[i]
            if b0 < 0x80 {
                i += 1
                continue
            }
            let length: Int
            var lower: UInt8 = 0x80
            var upper: UInt8 = 0xBF
            switch b0 {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; upper = 0x9F
            case 0xF0: length = 4; lower = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; upper = 0x8F
            default: return i
            }
            if i + 1 >= to { return i }
            let b1 = base[i + 1]
            if b1 < lower || b1 > upper { return i }
            for k in 2..<length {
                if i + k >= to { return i }
                let b = base[i + k]
                if b & 0xC0 != 0x80 { return i }
            }
            i += length
        }
        return nil
    }

    /// 1-based line and byte column of `offset`, counting CRLF, LF and lone CR as one line
    /// break each, from `start`.
    static func lineAndByteColumn(of offset: Int, in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> (line: Int, column: Int) {
        var line = 1
        var lineStart = start
        var i = start
        while i < offset {
            let b = bytes[i]
            if b == 0x0A {
                line += 1
                lineStart = i + 1
            } else if b == 0x0D {
                if i + 1 < bytes.count && bytes[i + 1] == 0x0A { i += 1 }
                line += 1
                lineStart = i + 1
            }
            i += 1
        }
        return (line, offset - lineStart + 1)
    }
}
