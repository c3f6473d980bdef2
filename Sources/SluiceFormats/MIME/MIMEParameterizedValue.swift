/// A header value with parameters, as in `Content-Type` and `Content-Disposition`:
/// `attachment; filename*0*=utf-8''%E2%9C%94; filename*1=.txt`.
///
/// Parameter values may be quoted strings, bare tokens, RFC 2231 extended values
/// (`charset'language'percent-encoded`) split into numbered continuations, or quoted RFC 2047
/// encoded words (not allowed by the RFCs, common in real mail). Parsing is lenient: a bare
/// value runs to the next `;` (so `name=My file.txt` keeps its spaces) and bad pieces are
/// skipped, never fatal.
public struct MIMEParameterizedValue: Sendable, Hashable {
    /// The value before the first `;`, trimmed and lowercased (`multipart/mixed`, `attachment`).
    public var value: String
    /// Decoded parameter values by lowercased name; the extended (`name*`) form wins over a
    /// plain one of the same name.
    public var parameters: [String: String]
    /// Charsets named in extended values or encoded words that could not be decoded.
    public var unknownCharsets: [String] = []
    /// Whether some value's bytes were not valid in their charset.
    public var undecodable = false

    public init(value: String, parameters: [String: String] = [:]) {
        self.value = value
        self.parameters = parameters
    }

    /// The parameter called `name` (any case), decoded.
    public subscript(_ name: String) -> String? { parameters[name.lowercased()] }

    /// Parses a raw (unfolded) header value.
    public static func parse(_ raw: String) -> MIMEParameterizedValue {
        let bytes = Array(raw.utf8)
        var i = 0
        while i < bytes.count && bytes[i] != 0x3B { i += 1 }
        let head = String(decoding: bytes[0..<i], as: UTF8.self).trimmingSpaces.lowercased()
        var result = MIMEParameterizedValue(value: head)

        var plain: [String: [UInt8]] = [:]
        var extended: [String: [UInt8]] = [:]
        var sections: [String: [(index: Int, extended: Bool, bytes: [UInt8])]] = [:]
        var order: [String] = []

        while i < bytes.count {
            // At a `;` (or where the last value ended): skip separators.
            while i < bytes.count && (bytes[i] == 0x3B || EncodedWords.isSpace(bytes[i])) { i += 1 }
            guard i < bytes.count else { break }
            let nameStart = i
            while i < bytes.count && bytes[i] != 0x3D && bytes[i] != 0x3B { i += 1 }
            var nameBytes = Array(bytes[nameStart..<i])
            while let l = nameBytes.last, EncodedWords.isSpace(l) { nameBytes.removeLast() }
            guard i < bytes.count, bytes[i] == 0x3D else { continue }
            i += 1
            while i < bytes.count && EncodedWords.isSpace(bytes[i]) { i += 1 }
            var valueBytes: [UInt8] = []
            if i < bytes.count && bytes[i] == 0x22 {
                i += 1
                while i < bytes.count && bytes[i] != 0x22 {
                    if bytes[i] == 0x5C && i + 1 < bytes.count { i += 1 }
                    valueBytes.append(bytes[i])
                    i += 1
                }
                i += 1
                while i < bytes.count && bytes[i] != 0x3B { i += 1 }
            } else {
                let start = i
                while i < bytes.count && bytes[i] != 0x3B { i += 1 }
                valueBytes = Array(bytes[start..<i])
                while let l = valueBytes.last, EncodedWords.isSpace(l) { valueBytes.removeLast() }
            }
            guard !nameBytes.isEmpty else { continue }
            for k in nameBytes.indices where nameBytes[k] >= 0x41 && nameBytes[k] <= 0x5A { nameBytes[k] |= 0x20 }

            // name, name*, name*N, name*N*
            let star = nameBytes.firstIndex(of: 0x2A) ?? nameBytes.count
            let base = String(decoding: nameBytes[..<star], as: UTF8.self)
            let suffix = nameBytes[star...]
            if !order.contains(base) { order.append(base) }
            if suffix.isEmpty {
                if plain[base] == nil { plain[base] = valueBytes }
            } else if suffix.count == 1 {
                if extended[base] == nil { extended[base] = valueBytes }
            } else if let (index, isExtended) = Self.section(suffix.dropFirst()) {
                sections[base, default: []].append((index, isExtended, valueBytes))
            } else {
                let name = String(decoding: nameBytes, as: UTF8.self)
                if plain[name] == nil { plain[name] = valueBytes }
            }
        }

        for name in order {
            if let list = sections[name], !list.isEmpty {
                var seen = Set<Int>()
                let sorted = list.sorted { $0.index < $1.index }.filter { seen.insert($0.index).inserted }
                var charset: MIMECharset?
                var data: [UInt8] = []
                for s in sorted {
                    if s.extended {
                        var body = s.bytes[...]
                        if s.index == sorted[0].index && charset == nil {
                            let (c, rest) = splitCharsetPrefix(s.bytes)
                            charset = c
                            body = rest
                        }
                        data += percentDecoded(body)
                    } else {
                        data += s.bytes
                    }
                }
                if let charset {
                    result.parameters[name] = result.decode(data, charset)
                } else {
                    result.parameters[name] = result.decodeWords(String(decoding: data, as: UTF8.self))
                }
            } else if let value = extended[name] {
                let (c, rest) = splitCharsetPrefix(value)
                result.parameters[name] = result.decode(percentDecoded(rest), c ?? .utf8)
            } else if let value = plain[name] {
                result.parameters[name] = result.decodeWords(String(decoding: value, as: UTF8.self))
            }
        }
        return result
    }

    /// `3` or `3*` after `name*`: the section number and whether it is extended.
    private static func section(_ suffix: ArraySlice<UInt8>) -> (Int, Bool)? {
        var digits = suffix
        let isExtended = digits.last == 0x2A
        if isExtended { digits = digits.dropLast() }
        guard !digits.isEmpty, digits.count <= 4, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return (digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }, isExtended)
    }

    private mutating func decode(_ bytes: [UInt8], _ charset: MIMECharset) -> String {
        let (text, lossless) = charset.decode(bytes)
        if !charset.isKnown {
            if !unknownCharsets.contains(charset.label) { unknownCharsets.append(charset.label) }
        } else if !lossless {
            undecodable = true
        }
        return text
    }

    private mutating func decodeWords(_ text: String) -> String {
        let d = EncodedWords.decode(text)
        for c in d.unknownCharsets where !unknownCharsets.contains(c) { unknownCharsets.append(c) }
        undecodable = undecodable || d.undecodable
        return d.text
    }

    /// `utf-8'en'rest` → (utf-8, rest); a value without two quotes has no prefix. An empty
    /// charset means US-ASCII, read here as UTF-8.
    private static func splitCharsetPrefix(_ value: [UInt8]) -> (MIMECharset?, ArraySlice<UInt8>) {
        guard let q1 = value.firstIndex(of: 0x27), let q2 = value[(q1 + 1)...].firstIndex(of: 0x27) else {
            return (nil, value[...])
        }
        let name = String(decoding: value[..<q1], as: UTF8.self)
        return (name.isEmpty ? .utf8 : MIMECharset(name), value[(q2 + 1)...])
    }

    /// `%XX` → byte; a `%` not followed by two hex digits stays as it is.
    private static func percentDecoded(_ value: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(value.count)
        var i = value.startIndex
        while i < value.endIndex {
            if value[i] == 0x25, i + 2 < value.endIndex,
               let h = QuotedPrintableStreamDecoder.hexValue(value[i + 1]), let l = QuotedPrintableStreamDecoder.hexValue(value[i + 2]) {
                out.append(h << 4 | l)
                i += 3
            } else {
                out.append(value[i])
                i += 1
            }
        }
        return out
    }
}
