import Yams

/// Follows datasets through a manifest's steps in order, so that each step's `check` sees
/// the schemas of what came before, and `from:` and `when:` references are verified.
struct PipelineChecker {
    let file: String
    var schemas: [String: Schema] = [:]
    var order: [String] = []
    var current: String?
    var diagnostics = Diagnostics()
    let workspace: ManifestWorkspace?
    /// Connections the steps use, in order.
    var connectionUses: [ConnectionUse] = []

    init(file: String, workspace: ManifestWorkspace? = nil) {
        self.file = file
        self.workspace = workspace
    }

    /// Template names every step can use besides dataset names.
    static let runRoots: Set<String> = ["run", "rows", "dataset", "outputs", "input", "inputs"]

    mutating func check(_ step: StepInstance, node: Node, fromNode: Node?) {
        var inputName = current
        var inputSchema: Schema? = current.flatMap { schemas[$0] }
        if let from = step.input {
            if let s = schemas[from] {
                inputName = from
                inputSchema = s
            } else {
                diagnostics.error("unknown dataset '\(from)' in 'from'\(Suggestion.didYouMean(from, among: order)) (datasets so far: \(order.isEmpty ? "none" : order.joined(separator: ", ")))",
                                  at: location(fromNode?.mark, file: file), path: step.id + ".from")
            }
        }
        if let condition = step.condition {
            let variables = whenVariables(referenced: condition.expression.referencedNames)
            do {
                let type = try condition.expression.check(in: ExpressionScope(columns: .known([]), variables: variables))
                if type != .bool && type != .any {
                    diagnostics.error("'when' must be a condition (true or false), but '\(condition.expression.source)' is \(type)",
                                      at: condition.location, path: step.id + ".when")
                }
            } catch {
                diagnostics.error("in 'when' expression '\(condition.expression.source)': \(error.message)",
                                  at: condition.location(at: error.range.lowerBound), path: step.id + ".when")
            }
        }
        let roots = Self.runRoots.union(order.map { String($0.split(separator: ".").first!) })
        var context = StepCheckContext(stage: step.stage, stepID: step.id, kind: step.kind, input: inputSchema,
                                       inputName: inputName, datasets: schemas, templateRoots: roots, node: node, file: file,
                                       workspace: workspace)
        step.step.check(&context)
        if workspace?.warnsOfLiteralSecrets == true { context.warnOfLiteralSecrets(type(of: step.step).documentation) }
        diagnostics.append(contentsOf: context.diagnostics)
        connectionUses += context.connectionUses
        define(step.output, context.output ?? .open)
        for (suffix, schema) in context.extras.sorted(by: { $0.key < $1.key }) {
            define(step.output + "." + suffix, schema)
        }
        current = step.output
    }

    mutating func define(_ name: String, _ schema: Schema) {
        if schemas[name] == nil { order.append(name) }
        schemas[name] = schema
    }

    /// Variables a `when:` may use: `<dataset>.rows`, `<dataset>.<column>.sum|min|max|avg|count`, `run.*`.
    func whenVariables(referenced: [String]) -> [String: ColumnType] {
        var v: [String: ColumnType] = [
            "run.id": .string, "run.pipeline": .string, "run.date": .date, "run.time": .datetime,
            "run.trigger": .string, "run.inputs": .integer,
        ]
        for (name, schema) in schemas {
            v[name + ".rows"] = .integer
            v[name + ".count"] = .integer
            switch schema {
            case let .known(cols), let .partial(cols):
                for c in cols {
                    v[name + "." + c.name + ".count"] = .integer
                    v[name + "." + c.name + ".min"] = c.type
                    v[name + "." + c.name + ".max"] = c.type
                    if c.type.isNumeric {
                        v[name + "." + c.name + ".sum"] = c.type
                        v[name + "." + c.name + ".avg"] = .decimal
                    }
                }
            case .open:
                break
            }
            if !schema.isKnown {
                // Columns are only known when the input is read: any `<dataset>.<column>.<figure>` is accepted,
                // but a near miss of a column the schema does know is a typo (`valides.Montnt.sum`).
                let known = schema.columnNames
                for r in referenced where r.hasPrefix(name + ".") && v[r] == nil {
                    let column = r.dropFirst(name.count + 1).split(separator: ".").dropLast().joined(separator: ".")
                    if !column.isEmpty, !known.contains(column), Suggestion.closest(to: column, among: known) != nil { continue }
                    v[r] = .any
                }
            }
        }
        return v
    }
}
