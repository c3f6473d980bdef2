/// An expression written in a manifest, parsed when the manifest is loaded and kept with
/// its place in the file so that later checks can point at it.
public struct ExpressionSource: Sendable, Decodable, CustomStringConvertible {
    public var expression: Expression
    public var location: SourceLocation?

    public init(expression: Expression, location: SourceLocation? = nil) {
        self.expression = expression
        self.location = location
    }

    public init(from decoder: any Decoder) throws {
        let located = decoder as? any LocatedDecoder
        let container = try decoder.singleValueContainer()
        // Numbers and booleans written bare (`when: true`) are expressions too.
        let text = try container.decode(String.self)
        var location = located?.location
        location?.column += located?.scalarStyleOffset ?? 0
        do {
            expression = try Expression(parsing: text)
        } catch {
            var at = location
            at?.column += error.range.lowerBound
            throw ManifestDecodingError("in expression '\(text)': \(error.message)", at: at, path: decoder.codingPath)
        }
        self.location = location
    }

    /// Where a problem at `offset` characters into the expression is in the file.
    public func location(at offset: Int) -> SourceLocation? {
        guard var l = location else { return nil }
        l.column += offset
        return l
    }

    public var description: String { expression.source }
}

/// A Mustache template written in a manifest (a file name, a message, a JSON body).
public struct TemplateSource: Sendable, Decodable, CustomStringConvertible {
    public var template: Template
    public var location: SourceLocation?

    public init(template: Template, location: SourceLocation? = nil) {
        self.template = template
        self.location = location
    }

    public init(parsing text: String) throws {
        template = try Template(parsing: text)
    }

    public init(from decoder: any Decoder) throws {
        let located = decoder as? any LocatedDecoder
        let text = try decoder.singleValueContainer().decode(String.self)
        var location = located?.location
        location?.column += located?.scalarStyleOffset ?? 0
        do {
            template = try Template(parsing: text)
        } catch {
            throw ManifestDecodingError("in template '\(text)': \(error.message)", at: Self.offset(location, error), path: decoder.codingPath)
        }
        self.location = location
    }

    /// Where a template error is in the file (exact for single-line templates).
    public static func offset(_ location: SourceLocation?, _ error: TemplateError) -> SourceLocation? {
        guard var l = location else { return nil }
        if error.line <= 1 { l.column += error.column - 1 } else { l.line += error.line - 1; l.column = error.column }
        return l
    }

    public var description: String { template.source }
}
