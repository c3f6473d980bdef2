import Yams

/// What `check` sees of the pipeline around a step, and where it reports problems.
public struct StepCheckContext {
    public let stage: StageName
    public let stepID: String
    public let kind: String
    /// The schema of the dataset the step consumes; nil when there is none yet.
    public let input: Schema?
    public let inputName: String?
    /// Every dataset produced before this step, by name.
    public let datasets: [String: Schema]
    /// Names a template may start with (`run`, dataset names, ...).
    public let templateRoots: Set<String>
    /// The schema of what the step produces; defaults to its input's.
    public var output: Schema?
    /// Further datasets, by suffix: `<as>.<suffix>`.
    public var extras: [String: Schema] = [:]
    public internal(set) var diagnostics = Diagnostics()

    let node: Node
    let file: String

    init(stage: StageName, stepID: String, kind: String, input: Schema?, inputName: String?, datasets: [String: Schema],
         templateRoots: Set<String>, node: Node, file: String) {
        self.stage = stage
        self.stepID = stepID
        self.kind = kind
        self.input = input
        self.inputName = inputName
        self.datasets = datasets
        self.templateRoots = templateRoots
        self.output = input
        self.node = node
        self.file = file
    }

    /// The place of a key inside the step's configuration, e.g. `["columns", "Montant"]`.
    public func location(of path: [String]) -> SourceLocation? {
        var current = node
        var best = current.mark
        for key in path {
            switch current {
            case let .mapping(m):
                guard let pair = m.first(where: { $0.key.string == key }) else { return SluiceCore.location(best, file: file) }
                best = pair.key.mark
                current = pair.value
            case let .sequence(s):
                guard let i = Int(key), i < s.count else { return SluiceCore.location(best, file: file) }
                current = s[i]
                best = current.mark
            default:
                return SluiceCore.location(best, file: file)
            }
        }
        return SluiceCore.location(best, file: file)
    }

    public mutating func error(_ message: String, at path: [String] = []) {
        diagnostics.error("\(message) in step '\(kind)'", at: location(of: path), path: stepID + path.map { "." + $0 }.joined())
    }

    public mutating func error(_ message: String, at location: SourceLocation?) {
        diagnostics.error("\(message) in step '\(kind)'", at: location, path: stepID)
    }

    /// Reports an unknown column with a "did you mean" against the input's columns.
    /// Returns false when the schema is known and lacks the column.
    @discardableResult
    public mutating func requireColumn(_ name: String, in schema: Schema? = nil, at path: [String]) -> Bool {
        let s = schema ?? input ?? .open
        switch s {
        case .open:
            return true
        case let .known(cols):
            if cols.contains(where: { $0.name == name }) { return true }
            error("unknown column '\(name)'\(Suggestion.didYouMean(name, among: cols.map(\.name)))", at: path)
            return false
        case let .partial(cols):
            // Other columns may exist, but a near miss of a known one is almost always a typo.
            if cols.contains(where: { $0.name == name }) { return true }
            guard let close = Suggestion.closest(to: name, among: cols.map(\.name)) else { return true }
            error("unknown column '\(name)'; did you mean '\(close)'? (declare it in the extract step's 'columns' if it really exists)", at: path)
            return false
        }
    }

    /// Type-checks an expression against `schema` (default: the input's) and reports errors
    /// at their place in the file. Returns the expression's type, nil when it is wrong.
    @discardableResult
    public mutating func check(_ expression: ExpressionSource, schema: Schema? = nil, variables: [String: ColumnType] = [:]) -> ColumnType? {
        do {
            return try expression.expression.check(in: ExpressionScope(columns: schema ?? input ?? .open, variables: variables))
        } catch {
            diagnostics.error("in expression '\(expression.expression.source)': \(error.message) in step '\(kind)'",
                              at: expression.location(at: error.range.lowerBound), path: stepID)
            return nil
        }
    }

    /// Fields of the fixed template objects, checked by name.
    static let fixedFields: [String: [String]] = [
        "run": ["id", "pipeline", "date", "time", "trigger", "inputs", "params", "attempt", "error", "locale"],
        "input": ["name", "stem", "extension"],
        "rows": ["count"],
    ]

    /// Reports names a template uses that nothing provides.
    public mutating func check(_ template: TemplateSource) {
        for problem in template.template.check(knownRoots: templateRoots) {
            diagnostics.error("in template: \(problem.message) in step '\(kind)'",
                              at: TemplateSource.offset(template.location, problem), path: stepID)
        }
        for path in template.template.referencedPaths {
            let parts = path.split(separator: ".").map(String.init)
            guard parts.count >= 2, let fields = Self.fixedFields[parts[0]], !fields.contains(parts[1]) else { continue }
            diagnostics.error("in template '\(template.template.source)': '\(parts[0])' has no '\(parts[1])'\(Suggestion.didYouMean(parts[1], among: fields)); it has \(fields.joined(separator: ", ")) in step '\(kind)'",
                              at: template.location, path: stepID)
        }
    }
}
