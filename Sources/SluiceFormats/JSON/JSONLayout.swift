/// Whether a file holds one JSON document or JSON Lines (one value per line).
public enum JSONLayout: String, Sendable, Hashable {
    case document
    case lines

    /// Looks at the structure only (brackets, strings, line breaks), without parsing values:
    /// the text is JSON Lines when its first top-level value ends, a line break follows, and
    /// more non-blank text comes after. Anything else (one value, `[...]` over many lines,
    /// an empty or broken text) is a document, so the document parser reports the problem.
    /// A one-value file is the same either way and is reported as a document.
    public static func detect(_ bytes: [UInt8]) -> JSONLayout {
        bytes.withUnsafeBufferPointer { detect($0) }
    }

    /// Like `detect(_:)`, for a file; a one-value file named `*.jsonl` or `*.ndjson` is
    /// reported as `.lines`. Throws `JSONError` if the file cannot be read.
    public static func detect(contentsOfFile path: String) throws -> JSONLayout {
        let name = JSONReader.lastComponent(path)
        let layout = detect(try JSONReader.read(path, name: name))
        if layout == .document {
            let lowered = name.lowercased()
            if lowered.hasSuffix(".jsonl") || lowered.hasSuffix(".ndjson") { return .lines }
        }
        return layout
    }

    static func detect(_ p: UnsafeBufferPointer<UInt8>) -> JSONLayout {
        let end = p.count
        var i = JSONReader.contentStart(p)
        func isWhitespace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        while i < end && isWhitespace(p[i]) { i += 1 }
        guard i < end else { return .document }
        guard let valueEnd = endOfFirstValue(p, from: i) else { return .document }
        i = valueEnd
        while i < end && (p[i] == 0x20 || p[i] == 0x09 || p[i] == 0x0D) { i += 1 }
        guard i < end, p[i] == 0x0A else { return .document }
        while i < end && isWhitespace(p[i]) { i += 1 }
        return i < end ? .lines : .document
    }

    /// The offset just past the top-level value starting at `start`, or nil if it never ends.
    private static func endOfFirstValue(_ p: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        let end = p.count
        let first = p[start]
        if first != UInt8(ascii: "{") && first != UInt8(ascii: "[") && first != UInt8(ascii: "\"") {
            // A scalar: runs until whitespace or a structural character.
            var i = start
            while i < end {
                let b = p[i]
                if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == UInt8(ascii: ",")
                    || b == UInt8(ascii: "[") || b == UInt8(ascii: "{") || b == UInt8(ascii: "\"") { break }
                i += 1
            }
            return i
        }
        var depth = 0
        var inString = false
        var i = start
        while i < end {
            let b = p[i]
            if inString {
                if b == UInt8(ascii: "\\") {
                    i += 2
                    continue
                }
                if b == UInt8(ascii: "\"") {
                    inString = false
                    if depth == 0 { return i + 1 }
                }
            } else if b == UInt8(ascii: "\"") {
                inString = true
            } else if b == UInt8(ascii: "{") || b == UInt8(ascii: "[") {
                depth += 1
            } else if b == UInt8(ascii: "}") || b == UInt8(ascii: "]") {
                depth -= 1
                if depth <= 0 { return i + 1 }
            }
            i += 1
        }
        return nil
    }
}
