import Foundation

/// Renders parsed nodes against a context stack.
struct TemplateRenderer {
    /// How deep partials may include partials before rendering stops with an error.
    static let partialDepthLimit = 32

    let escaping: TemplateEscaping
    /// The locale formatting filters use unless they name their own.
    let locale: Locale
    var output = ""
    private var stack: [TemplateValue]
    /// Whitespace prepended to each line while inside standalone partials.
    private var indentation = ""
    private var atLineStart = false
    private var partialDepth = 0

    init(context: TemplateValue, escaping: TemplateEscaping, locale: Locale) {
        self.escaping = escaping
        self.locale = locale
        self.stack = [context]
    }

    /// The value of a name: `.` is the top of the stack; a dotted name's first segment is
    /// looked up from the innermost context outward, the rest inside what it found only
    /// (a number segment picks a list's item, counting from 0).
    func resolve(_ name: TemplateName) -> TemplateValue? {
        guard let first = name.segments.first else { return stack.last }
        var found: TemplateValue?
        for context in stack.reversed() {
            if case let .object(fields) = context, let value = fields[first] {
                found = value
                break
            }
        }
        guard var value = found else { return nil }
        for segment in name.segments.dropFirst() {
            switch value {
            case let .object(fields):
                guard let next = fields[segment] else { return nil }
                value = next
            case let .list(items):
                // `{{message.items.0.subject}}`: a number picks an item of a list (from 0).
                guard let index = Int(segment), items.indices.contains(index) else { return nil }
                value = items[index]
            case .value:
                return nil
            }
        }
        return value
    }

    mutating func render(_ nodes: [TemplateNode], partials: (String) -> Template?) throws(TemplateError) {
        for node in nodes {
            switch node {
            case let .text(text):
                appendTemplateText(text)
            case let .variable(name, escaped, filters):
                guard case var .value(value)? = resolve(name), !value.isNull else { continue }
                for filter in filters { value = TemplateFormatting.apply(filter, to: value, locale: locale) }
                indentIfAtLineStart()
                if escaped {
                    escaping.append(value.description, to: &output)
                } else {
                    output += value.description
                }
            case let .section(name, body, inverted):
                let value = resolve(name)
                let falsy = value?.isFalsy ?? true
                if inverted {
                    if falsy { try render(body, partials: partials) }
                    continue
                }
                guard let value, !falsy else { continue }
                if case let .list(items) = value {
                    for item in items {
                        stack.append(item)
                        try render(body, partials: partials)
                        stack.removeLast()
                    }
                } else {
                    stack.append(value)
                    try render(body, partials: partials)
                    stack.removeLast()
                }
            case let .partial(name, partialIndentation, line, column):
                guard let template = partials(name) else { continue }
                guard partialDepth < Self.partialDepthLimit else {
                    throw TemplateError(
                        message: "partial '\(name)' nested more than \(Self.partialDepthLimit) deep (does it include itself?)",
                        line: line, column: column)
                }
                let savedIndentation = indentation
                partialDepth += 1
                if !partialIndentation.isEmpty {
                    indentation += partialIndentation
                    atLineStart = true
                }
                defer {
                    partialDepth -= 1
                    indentation = savedIndentation
                    atLineStart = output.last == "\n"
                }
                try render(template.nodes, partials: partials)
            }
        }
    }

    private mutating func indentIfAtLineStart() {
        if atLineStart, !indentation.isEmpty {
            output += indentation
        }
        atLineStart = false
    }

    /// Template text (not data) gets the partial indentation at the start of each line.
    private mutating func appendTemplateText(_ text: String) {
        guard !indentation.isEmpty else {
            output += text
            return
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)[...]
        let last = lines.removeLast()
        for line in lines {
            indentIfAtLineStart()
            output += line
            output += "\n"
            atLineStart = true
        }
        if !last.isEmpty {
            indentIfAtLineStart()
            output += last
        }
    }
}
