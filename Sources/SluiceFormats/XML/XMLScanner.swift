#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A pull tokenizer for untrusted XML, working on raw UTF-8 bytes.
///
/// It yields start tags, end tags and text, skipping comments and processing instructions;
/// CDATA sections come out as text. It refuses any `<!DOCTYPE` (so no entity can be declared,
/// let alone expanded), counts element depth against a limit, and keeps at most one token plus
/// one read chunk in memory. Token positions (``tokenStart``, ``nameStart``...) index ``bytes`` and
/// stay valid until the next call to ``next()``. It checks nesting depth, not that end tags
/// match their start tags by name.
final class XMLScanner<Source: XMLByteSource> {
    enum Token: Equatable { case startTag, endTag, text, endOfDocument }

    /// An attribute of the current start tag, as positions in ``bytes``.
    struct Attribute {
        var nameStart: Int
        var localNameStart: Int
        var nameEnd: Int
        var valueStart: Int
        var valueEnd: Int
    }

    private let source: Source
    let limits: XMLScannerLimits
    private(set) var bytes: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var pos = 0
    private var end = 0
    private var sourceFinished = false
    /// Bytes dropped from the front of the buffer so far (to report document offsets).
    private(set) var discarded = 0
    private var started = false
    /// Current element depth (0 outside the root element).
    private(set) var depth = 0

    private(set) var tokenStart = 0
    private(set) var tokenEnd = 0
    private(set) var nameStart = 0
    private(set) var nameEnd = 0
    private(set) var localNameStart = 0
    private(set) var isSelfClosing = false
    private(set) var isCDATA = false

    init(source: Source, limits: XMLScannerLimits = .init(), initialCapacity: Int = 256 << 10) {
        self.source = source
        self.limits = limits
        capacity = max(64, min(initialCapacity, limits.maxTokenBytes))
        bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
    }

    deinit { bytes.deallocate() }

    /// Byte offset of the current token from the start of the document.
    var tokenOffset: Int { discarded + tokenStart }

    // MARK: - Tokens

    /// Advances to the next token.
    func next() throws -> Token {
        if !started { try begin() }
        while true {
            if pos == end, try !fill() {
                if depth > 0 { throw XMLError(.truncated, "the XML ends inside an element: the part is incomplete", offset: discarded + pos) }
                tokenStart = pos; tokenEnd = pos
                return .endOfDocument
            }
            if bytes[pos] != UInt8(ascii: "<") {
                isCDATA = false
                tokenStart = pos
                if let rel = try find(UInt8(ascii: "<"), from: 1) {
                    tokenStart = pos; tokenEnd = pos + rel
                } else {
                    tokenStart = pos; tokenEnd = end
                }
                pos = tokenEnd
                return .text
            }
            guard try ensure(2) else { throw malformed("the XML ends inside a tag") }
            switch bytes[pos + 1] {
            case UInt8(ascii: "/"):
                guard let rel = try find(UInt8(ascii: ">"), from: 2) else { throw truncatedTag() }
                tokenStart = pos; tokenEnd = pos + rel + 1
                try scanName(from: pos + 2)
                pos = tokenEnd
                depth -= 1
                if depth < 0 { throw malformed("an end tag closes an element that was never opened", at: tokenStart) }
                return .endTag
            case UInt8(ascii: "?"):
                guard let rel = try findSequence("?>", from: 2) else { throw truncatedTag() }
                pos += rel + 2
            case UInt8(ascii: "!"):
                if try hasPrefix("<!--") {
                    guard let rel = try findSequence("-->", from: 4) else { throw truncatedTag() }
                    pos += rel + 3
                } else if try hasPrefix("<![CDATA[") {
                    guard let rel = try findSequence("]]>", from: 9) else { throw truncatedTag() }
                    isCDATA = true
                    tokenStart = pos + 9; tokenEnd = pos + rel
                    pos += rel + 3
                    return .text
                } else if try hasPrefix("<!DOCTYPE", caseInsensitive: true) {
                    throw XMLError(.doctypeRefused, "the XML contains a <!DOCTYPE declaration, which is refused (entity expansion attacks); genuine spreadsheet parts never have one", offset: discarded + pos)
                } else {
                    throw malformed("unexpected <! declaration (only comments and CDATA are allowed)")
                }
            default:
                guard let rel = try findTagEnd() else { throw truncatedTag() }
                tokenStart = pos; tokenEnd = pos + rel + 1
                try scanName(from: pos + 1)
                isSelfClosing = bytes[tokenEnd - 2] == UInt8(ascii: "/")
                pos = tokenEnd
                if !isSelfClosing {
                    depth += 1
                    if depth > limits.maxDepth {
                        throw XMLError(.depthExceeded, "elements nest deeper than \(limits.maxDepth) levels; the part is malformed or hostile", offset: discarded + tokenStart)
                    }
                }
                return .startTag
            }
        }
    }

    /// Skips the rest of the element whose start tag is the current token.
    func skipElement() throws {
        if isSelfClosing { return }
        let target = depth - 1
        while true {
            let token = try next()
            if token == .endTag && depth == target { return }
            if token == .endOfDocument { return }
        }
    }

    /// Appends the decoded text inside the current element (its descendants' text too) and
    /// consumes its end tag.
    func appendElementText(to out: inout [UInt8]) throws {
        if isSelfClosing { return }
        let target = depth - 1
        while true {
            switch try next() {
            case .text: try appendText(to: &out)
            case .endTag: if depth == target { return }
            case .startTag: break
            case .endOfDocument: return
            }
        }
    }

    /// For a start tag just returned (not self-closing) whose content is plain text (no markup,
    /// entity, CR or CDATA) directly followed by an end tag: consumes through that end tag and
    /// returns the text's range in ``bytes`` (valid until the next call to ``next()``). Otherwise
    /// returns nil and consumes nothing. The start tag's bytes may be gone afterwards.
    @inline(__always)
    func simpleElementText() throws -> Range<Int>? {
        if isSelfClosing { return nil }
        // Fast path: the text, "</" and the closing ">" are already in the buffer.
        var i = pos
        while i < end {
            let c = bytes[i]
            if c == UInt8(ascii: "<") { break }
            if c == UInt8(ascii: "&") || c == 0x0D { return nil }
            i += 1
        }
        let textEnd = i
        if textEnd + 1 < end && bytes[textEnd + 1] == UInt8(ascii: "/") {
            var j = textEnd + 2
            while j < end && bytes[j] != UInt8(ascii: ">") { j += 1 }
            if j < end {
                tokenStart = pos
                tokenEnd = textEnd
                isCDATA = false
                pos = j + 1
                depth -= 1
                return tokenStart..<textEnd
            }
        } else if textEnd + 1 < end {
            return nil
        }
        // Slow path: read more first (the buffer may move).
        guard let lt = try find(UInt8(ascii: "<"), from: 0),
              try ensure(lt + 2), bytes[pos + lt + 1] == UInt8(ascii: "/"),
              let gt = try find(UInt8(ascii: ">"), from: lt + 2) else { return nil }
        let start = pos
        let stop = pos + lt
        var k = start
        while k < stop {
            let c = bytes[k]
            if c == UInt8(ascii: "&") || c == 0x0D { return nil }
            k += 1
        }
        tokenStart = start
        tokenEnd = stop
        isCDATA = false
        pos += gt + 1
        depth -= 1
        return start..<stop
    }

    // MARK: - Names and attributes

    /// Whether the current tag's local name (the part after any prefix) is `name`.
    @inline(__always)
    func localNameIs(_ name: StaticString) -> Bool {
        let count = name.utf8CodeUnitCount
        guard nameEnd - localNameStart == count else { return false }
        let expected = name.utf8Start
        for k in 0..<count where bytes[localNameStart + k] != expected[k] { return false }
        return true
    }

    /// The attributes of the current start tag, one at a time: pass `cursor` starting at ``nameEnd``.
    @inline(__always)
    func nextAttribute(_ cursor: inout Int) -> Attribute? {
        let limit = tokenEnd - 1
        var i = cursor
        while i < limit, isSpace(bytes[i]) { i += 1 }
        if i >= limit || bytes[i] == UInt8(ascii: "/") { return nil }
        let start = i
        var local = i
        while i < limit, bytes[i] != UInt8(ascii: "="), !isSpace(bytes[i]) {
            if bytes[i] == UInt8(ascii: ":") { local = i + 1 }
            i += 1
        }
        let nameEnd = i
        while i < limit, isSpace(bytes[i]) { i += 1 }
        guard i < limit, bytes[i] == UInt8(ascii: "=") else { return nil }
        i += 1
        while i < limit, isSpace(bytes[i]) { i += 1 }
        guard i < limit else { return nil }
        let quote = bytes[i]
        guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else { return nil }
        let valueStart = i + 1
        var j = valueStart
        while j < limit, bytes[j] != quote { j += 1 }
        guard j < limit else { return nil }
        cursor = j + 1
        return Attribute(nameStart: start, localNameStart: local, nameEnd: nameEnd, valueStart: valueStart, valueEnd: j)
    }

    /// Whether `attribute`'s local name is `name`.
    @inline(__always)
    func attribute(_ attribute: Attribute, is name: StaticString) -> Bool {
        let count = name.utf8CodeUnitCount
        guard attribute.nameEnd - attribute.localNameStart == count else { return false }
        return memcmp(bytes + attribute.localNameStart, name.utf8Start, count) == 0
    }

    /// Whether `attribute` has a namespace prefix (`r:id`, `xml:space`).
    func hasPrefix(_ attribute: Attribute) -> Bool { attribute.localNameStart != attribute.nameStart }

    /// The current start tag's attribute with this local name, if any.
    func attribute(_ name: StaticString, prefixed: Bool? = nil) -> Attribute? {
        var cursor = nameEnd
        while let a = nextAttribute(&cursor) {
            if attribute(a, is: name), prefixed == nil || prefixed == hasPrefix(a) { return a }
        }
        return nil
    }

    /// The decoded value of the current start tag's attribute with this local name, if any.
    func attributeString(_ name: StaticString, prefixed: Bool? = nil) throws -> String? {
        guard let a = attribute(name, prefixed: prefixed) else { return nil }
        return try string(a.valueStart, a.valueEnd)
    }

    // MARK: - Buffer

    private func begin() throws {
        started = true
        guard try ensure(2) else { return }
        if (bytes[pos] == 0xFF && bytes[pos + 1] == 0xFE) || (bytes[pos] == 0xFE && bytes[pos + 1] == 0xFF) {
            throw XMLError(.unsupportedEncoding, "the XML is UTF-16; only UTF-8 parts are supported", offset: 0)
        }
        if try ensure(3), bytes[pos] == 0xEF, bytes[pos + 1] == 0xBB, bytes[pos + 2] == 0xBF { pos += 3 }
    }

    /// Reads more bytes from the source, moving the unread bytes to the front and growing the
    /// buffer (up to the token limit) when it is full. Returns false at the end of the source.
    private func fill() throws -> Bool {
        if sourceFinished { return false }
        if pos > 0 {
            let live = end - pos
            if live > 0 { memmove(bytes, bytes + pos, live) }
            discarded += pos
            tokenStart -= pos; tokenEnd -= pos
            end = live
            pos = 0
        }
        if end == capacity {
            if capacity >= limits.maxTokenBytes {
                throw XMLError(.tokenTooLarge, "one tag or text run is longer than \(limits.maxTokenBytes) bytes; the part is malformed or hostile", offset: discarded)
            }
            let newCapacity = min(capacity * 2, limits.maxTokenBytes)
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            grown.update(from: bytes, count: end)
            bytes.deallocate()
            bytes = grown
            capacity = newCapacity
        }
        let n = try source.read(into: UnsafeMutableRawBufferPointer(start: bytes + end, count: capacity - end))
        if n == 0 { sourceFinished = true; return false }
        end += n
        return true
    }

    private func ensure(_ count: Int) throws -> Bool {
        while end - pos < count { if try !fill() { return false } }
        return true
    }

    /// Offset from `pos` of the next `byte` at or after `pos + from`, reading more as needed.
    @inline(__always)
    private func find(_ byte: UInt8, from: Int) throws -> Int? {
        var rel = from
        let quick = min(end, pos + rel + 16)
        var i = pos + rel
        while i < quick {
            if bytes[i] == byte { return i - pos }
            i += 1
        }
        rel = max(rel, i - pos)
        while true {
            if pos + rel < end, let hit = memchr(bytes + pos + rel, Int32(byte), end - pos - rel) {
                return bytes.distance(to: hit.assumingMemoryBound(to: UInt8.self)) - pos
            }
            rel = max(rel, end - pos)
            if try !fill() { return nil }
        }
    }

    private func findSequence(_ sequence: StaticString, from: Int) throws -> Int? {
        let count = sequence.utf8CodeUnitCount
        let first = sequence.utf8Start.pointee
        var rel = from
        while let hit = try find(first, from: rel) {
            guard try ensure(hit + count) else { return nil }
            if memcmp(bytes + pos + hit, sequence.utf8Start, count) == 0 { return hit }
            rel = hit + 1
        }
        return nil
    }

    private func hasPrefix(_ prefix: StaticString, caseInsensitive: Bool = false) throws -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard try ensure(count) else { return false }
        for k in 0..<count {
            var a = bytes[pos + k], b = prefix.utf8Start[k]
            if caseInsensitive { a |= 0x20; b |= 0x20 }
            if a != b { return false }
        }
        return true
    }

    /// Offset from `pos` of the `>` closing a start tag, skipping quoted attribute values.
    @inline(__always)
    private func findTagEnd() throws -> Int? {
        var i = pos + 1
        var quote: UInt8 = 0
        while true {
            while i < end {
                let c = bytes[i]
                if quote != 0 {
                    if c == quote { quote = 0 }
                } else if c == UInt8(ascii: ">") {
                    return i - pos
                } else if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                    quote = c
                } else if c == UInt8(ascii: "<") {
                    throw malformed("a '<' inside a tag", at: i)
                }
                i += 1
            }
            let rel = i - pos
            if try !fill() { return nil }
            i = pos + rel
        }
    }

    private func scanName(from start: Int) throws {
        var i = start
        var local = start
        let limit = tokenEnd - 1
        while i < limit {
            let c = bytes[i]
            if isSpace(c) || c == UInt8(ascii: "/") { break }
            if c == UInt8(ascii: ":") { local = i + 1 }
            i += 1
        }
        if i == start { throw malformed("a tag without a name", at: tokenStart) }
        nameStart = start
        nameEnd = i
        localNameStart = local
    }

    @inline(__always)
    private func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 }

    private func malformed(_ message: String, at index: Int? = nil) -> XMLError {
        XMLError(.malformed, "malformed XML: \(message)", offset: discarded + (index ?? pos))
    }

    private func truncatedTag() -> XMLError {
        XMLError(.truncated, "the XML ends inside a tag, comment or CDATA section: the part is incomplete", offset: discarded + pos)
    }
}
