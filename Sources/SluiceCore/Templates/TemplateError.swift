/// A problem in a template: a syntax error found when parsing, a name `check` cannot
/// resolve, or partials nested too deep when rendering. `line` and `column` are 1-based
/// positions within the template text (columns count characters).
public struct TemplateError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var line: Int
    public var column: Int

    public init(message: String, line: Int, column: Int) {
        self.message = message
        self.line = line
        self.column = column
    }

    public var description: String { "\(line):\(column): \(message)" }
}
