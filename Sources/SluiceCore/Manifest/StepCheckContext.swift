import Foundation
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
    /// The workspace around the manifest, when it is checked in one.
    public let workspace: ManifestWorkspace?
    /// Connections the step uses, for the check of their environment variables.
    var connectionUses: [ConnectionUse] = []

    let node: Node
    let file: String

    init(stage: StageName, stepID: String, kind: String, input: Schema?, inputName: String?, datasets: [String: Schema],
         templateRoots: Set<String>, node: Node, file: String, workspace: ManifestWorkspace? = nil) {
        self.workspace = workspace
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

    /// Warns of each secret field (``StepDocumentation/Field/secret``) the step writes as a
    /// literal, at the value's place.
    mutating func warnOfLiteralSecrets(_ documentation: StepDocumentation) {
        for (path, value) in documentation.literalSecrets(in: node) {
            let key = path.joined(separator: ".")
            diagnostics.append(Diagnostic(.warning, "'\(key)' holds a secret written as it is in step '\(kind)'; write ${env:NAME} and export NAME where sluice runs, so that the secret stays out of the manifest",
                                          at: SluiceCore.location(value.mark, file: file), path: stepID + "." + key))
        }
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
            if cols.contains(where: { $0.isNamed(name) }) { return true }
            error("unknown column '\(name)'\(Suggestion.didYouMean(name, among: cols.map(\.name)))", at: path)
            return false
        case let .partial(cols):
            // Other columns may exist, but a near miss of a known one is almost always a typo.
            if cols.contains(where: { $0.isNamed(name) }) { return true }
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
    public mutating func check(_ template: TemplateSource, at path: [String] = []) {
        let manifestPath = stepID + path.map { "." + $0 }.joined()
        for problem in template.template.check(knownRoots: templateRoots) {
            diagnostics.error("in template: \(problem.message) in step '\(kind)'",
                              at: TemplateSource.offset(template.location, problem), path: manifestPath)
        }
        for path in template.template.referencedPaths {
            let parts = path.split(separator: ".").map(String.init)
            if parts.count >= 3, let problem = columnProblem(parts) {
                diagnostics.error("in template '\(template.template.source.count > 60 ? "{{" + path + "}}" : template.template.source)': \(problem) in step '\(kind)'",
                                  at: template.location, path: manifestPath)
                continue
            }
            guard parts.count >= 2, let fields = Self.fixedFields[parts[0]], !fields.contains(parts[1]) else { continue }
            diagnostics.error("in template '\(template.template.source.count > 60 ? "{{" + path + "}}" : template.template.source)': '\(parts[0])' has no '\(parts[1])'\(Suggestion.didYouMean(parts[1], among: fields)); it has \(fields.joined(separator: ", ")) in step '\(kind)'",
                              at: template.location, path: manifestPath)
        }
    }
}

extension StepCheckContext {
    /// What a dataset offers templates besides its columns.
    static let datasetFields: Set<String> = ["rows", "count", "columns", "items"]

    /// `<dataset>.<column>.<figure>` naming a column the dataset does not have: any name
    /// when its columns are known, a near miss of one when only some are.
    func columnProblem(_ parts: [String]) -> String? {
        guard let schema = datasets[parts[0]], !Self.datasetFields.contains(parts[1]),
              datasets[parts[0] + "." + parts[1]] == nil else { return nil }
        let columns = schema.columnNames
        guard !columns.contains(parts[1]) else { return nil }
        let close = Suggestion.closest(to: parts[1], among: columns)
        switch schema {
        case .known:
            return "dataset '\(parts[0])' has no column '\(parts[1])'\(close.map { "; did you mean '\($0)'?" } ?? "") (its columns: \(columns.joined(separator: ", ")))"
        case .partial:
            return close.map { "dataset '\(parts[0])' has no column '\(parts[1])'; did you mean '\($0)'?" }
        case .open:
            return nil
        }
    }

    /// Reports a connection connections.yaml does not have, or has with another type, with a
    /// "did you mean". `name` nil means the only connection of `type` (an error when there
    /// are none or several). Not checked outside a workspace. Returns false on a problem.
    @discardableResult
    public mutating func requireConnection(_ name: String?, type: String, at path: [String]) -> Bool {
        guard let workspace else { return true }
        let all = workspace.connections.all
        let ofType = all.values.filter { $0.type == type }.map(\.name).sorted()
        let listed = ofType.isEmpty ? "connections.yaml has no \(type) connection" : "\(type) connections: \(ofType.joined(separator: ", "))"
        guard let name else {
            guard ofType.count == 1 else {
                error(ofType.isEmpty ? "no \(type) connection in connections.yaml; add one with type: \(type)"
                                     : "connections.yaml has \(ofType.count) \(type) connections (\(ofType.joined(separator: ", "))); name one with 'connection'",
                      at: path)
                return false
            }
            connectionUses.append(ConnectionUse(name: ofType[0], stepID: stepID, path: stepID, location: location(of: path)))
            return true
        }
        guard let connection = all[name] else {
            let hint = Suggestion.closest(to: name, among: ofType) ?? Suggestion.closest(to: name, among: all.keys)
            error("no connection '\(name)' in connections.yaml\(hint.map { "; did you mean '\($0)'?" } ?? "") (\(listed))", at: path)
            return false
        }
        guard connection.type == type else {
            error("connection '\(name)' is of type \(connection.type.isEmpty ? "(none)" : connection.type), not \(type) (\(listed))", at: path)
            return false
        }
        connectionUses.append(ConnectionUse(name: name, stepID: stepID, path: stepID + path.map { "." + $0 }.joined(), location: location(of: path)))
        return true
    }

    /// Reads and checks the template file a step names in pipelines/templates/: `groups`
    /// lists, for each body the step renders, the file names to try in order (`[[NAME.txt,
    /// NAME], [NAME.html]]`); at least one group must have a file. Each file found is parsed
    /// (syntax, filters) and its names checked, with problems located in the template file.
    /// Not checked outside a workspace. Returns false on a problem.
    @discardableResult
    public mutating func requireTemplateFile(_ name: String, groups: [[String]], at path: [String]) -> Bool {
        guard let workspace else { return true }
        let manifestPath = stepID + path.map { "." + $0 }.joined()
        var found = false
        var fine = true
        for group in groups {
            for file in group {
                guard let text = workspace.templateText(file) else { continue }
                found = true
                let shown = workspace.templatesFolderName + "/" + file
                do {
                    let template = try Template(parsing: text)
                    let files = workspace.templateFiles()
                    for (partial, line, column) in template.partials {
                        // As the e-mail and file steps look partials up: the same extension first, then the others.
                        let ext = file.hasSuffix(".html") ? ".html" : ".txt"
                        guard ![ext, ".txt", ".mustache", ""].contains(where: { files.contains(partial + $0) }) else { continue }
                        diagnostics.error("in template \(shown): no partial '\(partial)' in \(workspace.templatesFolderName)/\(Suggestion.didYouMean(partial, among: files.map { String($0.split(separator: ".").first ?? "") })) (used by \(manifestPath)); create \(workspace.templatesFolderName)/\(partial)\(ext)",
                                          at: SourceLocation(file: shown, line: line, column: column), path: manifestPath)
                        fine = false
                    }
                    var before = diagnostics
                    check(TemplateSource(template: template, location: SourceLocation(file: shown, line: 1, column: 1)), at: path)
                    swap(&before, &diagnostics)
                    for var d in before.items.dropFirst(diagnostics.items.count) {
                        d.message = d.message.replacingOccurrences(of: " in step '\(kind)'", with: " (\(shown), used by \(manifestPath))")
                        diagnostics.append(d)
                        fine = false
                    }
                } catch {
                    diagnostics.error("in template \(shown): \(error.message) (used by \(manifestPath))",
                                      at: SourceLocation(file: shown, line: error.line, column: error.column), path: manifestPath)
                    fine = false
                }
                break
            }
        }
        guard found else {
            let tried = groups.flatMap { $0 }
            let stems = Set(workspace.templateFiles().map { file in file.split(separator: ".").dropLast().joined(separator: ".") }.filter { !$0.isEmpty })
            let hint = Suggestion.didYouMean(name, among: stems.sorted())
            let create = tried.first { $0.hasSuffix(".txt") } ?? tried[0]
            error("no template '\(name)' in \(workspace.templatesFolderName)/\(hint) (looked for \(tried.joined(separator: ", ")); create \(workspace.templatesFolderName)/\(create))", at: path)
            return false
        }
        return fine
    }
}
