/// RFC 2047 encoded words in header text: `=?charset?B?...?=` and `=?charset?Q?...?=`.
///
/// Whitespace between two adjacent encoded words is dropped (RFC 2047 §6.2); adjacent words
/// in the same charset are joined as bytes before decoding, so a character split across
/// two words survives. Words are also recognised when glued to other text, as many mail
/// readers do. Text that is not an encoded word is kept as it is.
public enum EncodedWords {
    /// The decoded text and what went wrong on the way.
    public struct Decoded: Sendable, Hashable {
        public var text: String
        /// Charsets named by words that this platform cannot decode (decoded as UTF-8).
        public var unknownCharsets: [String] = []
        /// Whether some word's bytes were not valid in its charset.
        public var undecodable = false
    }

    /// `text` with its encoded words decoded.
    public static func decode(_ text: String) -> Decoded {
        guard text.utf8.contains(0x3D) else { return Decoded(text: text) }
        var utf8 = text
        return utf8.withUTF8 { decode($0) }
    }

    private enum Segment {
        case text(Range<Int>)
        case word(MIMECharset, [UInt8])
    }

    static func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> Decoded {
        var segments: [Segment] = []
        var textStart = 0
        var i = 0
        while i + 1 < bytes.count {
            if bytes[i] == 0x3D && bytes[i + 1] == 0x3F, let (charset, decoded, end) = word(in: bytes, at: i) {
                if textStart < i { segments.append(.text(textStart..<i)) }
                segments.append(.word(charset, decoded))
                i = end
                textStart = end
            } else {
                i += 1
            }
        }
        if textStart < bytes.count { segments.append(.text(textStart..<bytes.count)) }

        var result = Decoded(text: "")
        var pending: (charset: MIMECharset, bytes: [UInt8])?
        func flush() {
            guard let p = pending else { return }
            let (t, lossless) = p.charset.decode(p.bytes)
            result.text += t
            if !p.charset.isKnown {
                if !result.unknownCharsets.contains(p.charset.label) { result.unknownCharsets.append(p.charset.label) }
            } else if !lossless {
                result.undecodable = true
            }
            pending = nil
        }
        for (k, segment) in segments.enumerated() {
            switch segment {
            case .text(let range):
                let between = k > 0 && k + 1 < segments.count && isWord(segments[k - 1]) && isWord(segments[k + 1])
                if between && range.allSatisfy({ Self.isSpace(bytes[$0]) }) { continue }
                flush()
                result.text += String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
            case .word(let charset, let decoded):
                if let p = pending, p.charset == charset {
                    pending!.bytes += decoded
                } else {
                    flush()
                    pending = (charset, decoded)
                }
            }
        }
        flush()
        return result
    }

    private static func isWord(_ s: Segment) -> Bool {
        if case .word = s { return true }
        return false
    }

    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A }

    /// One encoded word starting at `start` (at `=?`): its charset, decoded bytes and end.
    private static func word(in b: UnsafeBufferPointer<UInt8>, at start: Int) -> (MIMECharset, [UInt8], Int)? {
        let n = min(b.count, start + 1024)
        var i = start + 2
        let charsetStart = i
        while i < n && b[i] != 0x3F {
            if isSpace(b[i]) || b[i] < 0x20 || b[i] > 0x7E { return nil }
            i += 1
        }
        guard i < n, i > charsetStart, i + 2 < n, b[i + 2] == 0x3F else { return nil }
        let charsetName = String(decoding: UnsafeBufferPointer(rebasing: b[charsetStart..<i]), as: UTF8.self)
        let encoding = b[i + 1] | 0x20
        guard encoding == 0x62 || encoding == 0x71 else { return nil }
        let textStart = i + 3
        var j = textStart
        while j + 1 < n && !(b[j] == 0x3F && b[j + 1] == 0x3D) {
            if isSpace(b[j]) { return nil }
            j += 1
        }
        guard j + 1 < n else { return nil }
        let encoded = UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: b[textStart..<j]))
        var decoded: [UInt8] = []
        if encoding == 0x62 {
            var decoder = Base64StreamDecoder()
            decoder.decode(encoded, into: &decoded)
            decoder.finish()
        } else {
            decodeQ(encoded, into: &decoded)
        }
        return (MIMECharset(charsetName), decoded, j + 2)
    }

    /// The `Q` encoding: `_` is a space, `=XX` a byte, anything else itself.
    static func decodeQ(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        var i = 0
        while i < input.count {
            let c = input[i]
            if c == 0x5F {
                output.append(0x20)
            } else if c == 0x3D, i + 2 < input.count,
                      let h = QuotedPrintableStreamDecoder.hexValue(input[i + 1]), let l = QuotedPrintableStreamDecoder.hexValue(input[i + 2]) {
                output.append(h << 4 | l)
                i += 2
            } else {
                output.append(c)
            }
            i += 1
        }
    }
}
