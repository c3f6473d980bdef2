/// A name in a tag: `.` (the current item) or a dotted path, with where it was written.
struct TemplateName: Sendable, Hashable {
    /// Empty for `.`.
    var segments: [String]
    var line: Int
    var column: Int

    var isImplicit: Bool { segments.isEmpty }
    var dotted: String { isImplicit ? "." : segments.joined(separator: ".") }
}

/// The parsed form of a template.
indirect enum TemplateNode: Sendable, Hashable {
    case text(String)
    /// `filters` format the value, in order (`{{total | money: CHF}}`).
    case variable(TemplateName, escaped: Bool, filters: [TemplateFilter])
    case section(TemplateName, [TemplateNode], inverted: Bool)
    /// `indentation` is the whitespace before a standalone partial tag, prepended to every
    /// line the partial renders.
    case partial(name: String, indentation: String, line: Int, column: Int)
}
