/// Parses Mustache text into `TemplateNode`s, applying the standalone-line rule: a line
/// holding only whitespace and one section, inverted, closing, comment or partial tag is
/// removed entirely (its indentation is kept for a partial).
struct TemplateParser {
    private let bytes: [UInt8]
    /// Byte offsets where each line starts, for line and column numbers.
    private var lineStarts: [Int] = [0]

    private struct OpenSection {
        var name: TemplateName
        var inverted: Bool
        var siblings: [TemplateNode]
    }

    static func parse(_ source: String) throws(TemplateError) -> [TemplateNode] {
        var parser = TemplateParser(bytes: Array(source.utf8))
        return try parser.parse()
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
        for (i, b) in bytes.enumerated() where b == 0x0A { lineStarts.append(i + 1) }
    }

    /// 1-based line and column (in characters) of a byte offset.
    private func position(_ offset: Int) -> (line: Int, column: Int) {
        var low = 0, high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        let prefix = String(decoding: bytes[lineStarts[low] ..< offset], as: UTF8.self)
        return (low + 1, prefix.count + 1)
    }

    private func error(_ message: String, at offset: Int) -> TemplateError {
        let (line, column) = position(offset)
        return TemplateError(message: message, line: line, column: column)
    }

    private func find(_ pattern: [UInt8], from start: Int) -> Int? {
        guard pattern.count <= bytes.count else { return nil }
        var i = start
        while i + pattern.count <= bytes.count {
            if bytes[i] == pattern[0], bytes[i ..< i + pattern.count].elementsEqual(pattern) { return i }
            i += 1
        }
        return nil
    }

    private func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }

    private static func isBlank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }

    private mutating func parse() throws(TemplateError) -> [TemplateNode] {
        var nodes: [TemplateNode] = []
        var open: [OpenSection] = []
        var textStart = 0
        var cursor = 0
        let opener: [UInt8] = Array("{{".utf8)

        func flushText(_ end: Int) {
            if end > textStart { nodes.append(.text(text(textStart ..< end))) }
        }

        while let tagStart = find(opener, from: cursor) {
            let sigil: UInt8? = tagStart + 2 < bytes.count ? bytes[tagStart + 2] : nil
            let isTriple = sigil == UInt8(ascii: "{")
            let closer: [UInt8] = Array((isTriple ? "}}}" : "}}").utf8)
            let contentStart = tagStart + (isTriple ? 3 : 2)
            guard let closeAt = find(closer, from: contentStart) else {
                throw error("unclosed tag: missing '\(String(decoding: closer, as: UTF8.self))'", at: tagStart)
            }
            let tagEnd = closeAt + closer.count
            let sigils: [UInt8] = Array("#^/!>=&".utf8), standaloneKinds: [UInt8] = Array("#^/!>=".utf8)
            let kind: UInt8? = !isTriple && sigil.map(sigils.contains) == true ? sigil : nil

            // Standalone: only blanks before the tag on its line, only blanks then a line end after it.
            var lineStart = tagStart
            while lineStart > 0, bytes[lineStart - 1] != 0x0A { lineStart -= 1 }
            var after = tagEnd
            while after < bytes.count, Self.isBlank(bytes[after]) { after += 1 }
            var lineEnd: Int?
            if after == bytes.count {
                lineEnd = after
            } else if bytes[after] == 0x0A {
                lineEnd = after + 1
            } else if bytes[after] == 0x0D, after + 1 < bytes.count, bytes[after + 1] == 0x0A {
                lineEnd = after + 2
            }
            let standalone = kind.map(standaloneKinds.contains) == true && lineStart >= textStart && lineEnd != nil
                && bytes[lineStart ..< tagStart].allSatisfy(Self.isBlank)
            flushText(standalone ? lineStart : tagStart)
            textStart = standalone ? lineEnd! : tagEnd
            cursor = textStart

            let bodyStart = contentStart + (kind == nil ? 0 : 1)
            switch kind {
            case UInt8(ascii: "!"):
                continue
            case UInt8(ascii: "="):
                throw error("set-delimiter tags ({{=<% %>=}}) are not supported", at: tagStart)
            case UInt8(ascii: ">"):
                let name = text(bodyStart ..< closeAt).trimmingWhitespace
                guard !name.isEmpty else { throw error("a partial tag needs a name: {{> name}}", at: tagStart) }
                let (line, column) = position(tagStart)
                let indentation = standalone ? text(lineStart ..< tagStart) : ""
                nodes.append(.partial(name: String(name), indentation: indentation, line: line, column: column))
            case UInt8(ascii: "#"), UInt8(ascii: "^"):
                if bytes[bodyStart ..< closeAt].contains(UInt8(ascii: "|")) {
                    throw error("filters ('|') format a value: {{total | money: CHF}}; a section tag takes a name only", at: tagStart)
                }
                let name = try self.name(bodyStart ..< closeAt, tagStart: tagStart)
                open.append(OpenSection(name: name, inverted: kind == UInt8(ascii: "^"), siblings: nodes))
                nodes = []
            case UInt8(ascii: "/"):
                let name = try self.name(bodyStart ..< closeAt, tagStart: tagStart)
                guard let section = open.popLast() else {
                    throw error("'{{/\(name.dotted)}}' closes a section that was never opened", at: tagStart)
                }
                guard section.name.segments == name.segments else {
                    let o = section.name
                    throw error("'{{/\(name.dotted)}}' does not match '{{\(section.inverted ? "^" : "#")\(o.dotted)}}' opened at line \(o.line), column \(o.column)", at: tagStart)
                }
                let body = nodes
                nodes = section.siblings
                nodes.append(.section(section.name, body, inverted: section.inverted))
            default:
                let escaped = !isTriple && kind != UInt8(ascii: "&")
                let (name, filters) = try variable(bodyStart ..< closeAt, tagStart: tagStart)
                nodes.append(.variable(name, escaped: escaped, filters: filters))
            }
        }
        flushText(bytes.count)
        if let unclosed = open.last {
            let n = unclosed.name
            throw TemplateError(message: "section '\(n.dotted)' is never closed: add '{{/\(n.dotted)}}'", line: n.line, column: n.column)
        }
        return nodes
    }

    /// A variable tag's name and its filters: `total | money: CHF | ...`.
    private func variable(_ range: Range<Int>, tagStart: Int) throws(TemplateError) -> (TemplateName, [TemplateFilter]) {
        let content = text(range)
        let parts = TemplateFilter.splitPipes(content[...])
        guard parts.count > 1 else { return (try name(range, tagStart: tagStart), []) }
        let nameEnd = range.lowerBound + parts[0].utf8.count
        let name = try self.name(range.lowerBound ..< nameEnd, tagStart: tagStart)
        var filters: [TemplateFilter] = []
        var start = nameEnd + 1
        for part in parts.dropFirst() {
            let leading = part.prefix(while: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" })
            let filterStart = start + leading.utf8.count
            do {
                filters.append(try TemplateFilter.parse(part.dropFirst(leading.count)))
            } catch {
                let body = part.dropFirst(leading.count)
                let offset = body.index(body.startIndex, offsetBy: min(error.offset, body.count))
                throw self.error(error.message, at: filterStart + body[..<offset].utf8.count)
            }
            start += part.utf8.count + 1
        }
        return (name, filters)
    }

    /// A tag's name: trimmed, `.` or dot-separated segments (segments may hold spaces,
    /// for column names such as `Prix unitaire`). Its position is where the name starts.
    private func name(_ range: Range<Int>, tagStart: Int) throws(TemplateError) -> TemplateName {
        var start = range.lowerBound, end = range.upperBound
        while start < end, Self.isBlank(bytes[start]) || bytes[start] == 0x0A || bytes[start] == 0x0D { start += 1 }
        while end > start, Self.isBlank(bytes[end - 1]) || bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
        let raw = text(start ..< end)
        let (line, column) = position(start)
        guard !raw.isEmpty else { throw error("empty tag: write a name between the braces", at: tagStart) }
        if raw == "." { return TemplateName(segments: [], line: line, column: column) }
        let segments = raw.split(separator: ".", omittingEmptySubsequences: false).map { String($0.trimmingWhitespace) }
        guard !segments.contains(where: \.isEmpty) else { throw error("invalid name '\(raw)'", at: start) }
        return TemplateName(segments: segments, line: line, column: column)
    }
}
