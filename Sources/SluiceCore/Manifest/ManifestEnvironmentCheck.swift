import Yams

/// Finds the `${env:NAME}` a pipeline needs that the environment does not set: in the
/// manifest's own values (a webhook's url or headers) and in the connections its steps use.
/// `sluice validate` warns of them (secrets may be absent where it runs); at the start of a
/// run they are errors, and the pipeline is refused before any input is claimed.
enum ManifestEnvironmentCheck {
    static func check(_ root: Node, uses: [ConnectionUse], file: String, workspace: ManifestWorkspace) -> Diagnostics {
        var diagnostics = Diagnostics()
        let severity = workspace.unsetVariables
        let todo = severity == .error ? "export it before sluice run or sluice serve; the pipeline does not start until it is set"
                                      : "export it where sluice run or sluice serve runs, or the pipeline will not start"
        for (variable, path, mark) in references(in: root, path: "") {
            // Set to an empty text counts as unset, as when the value is substituted.
            if let value = workspace.environment[variable], !value.isEmpty { continue }
            diagnostics.append(Diagnostic(severity, "environment variable '\(variable)' is not set (\(path)); \(todo)",
                                          at: location(mark, file: file), path: path))
        }
        // In validate, connections.yaml's own warnings name those; a run names them at the step.
        guard severity == .error else { return diagnostics }
        var seen: Set<String> = []
        for use in uses {
            guard let connection = workspace.connections[use.name] else { continue }
            for unset in connection.unsetVariables where seen.insert(use.stepID + "\u{0}" + unset.name).inserted {
                diagnostics.append(Diagnostic(.error, "environment variable '\(unset.name)' is not set: connection '\(use.name)' needs it for '\(unset.key)' (\(unset.location?.description ?? "connections.yaml")); \(todo)",
                                              at: use.location, path: use.path))
            }
        }
        return diagnostics
    }

    /// Every `${env:NAME}` without a default in the manifest's scalars, with its manifest path
    /// (`notify[0].webhook.headers.Authorization`) and place.
    static func references(in node: Node, path: String) -> [(String, String, Mark?)] {
        switch node {
        case let .scalar(s):
            guard s.string.contains("${env:") else { return [] }
            return Connections.unsetVariables(in: s.string, environment: [:]).map { ($0, path, node.mark) }
        case let .mapping(m):
            return m.flatMap { key, value in
                let k = key.string ?? ""
                return references(in: value, path: path.isEmpty ? k : path + "." + k)
            }
        case let .sequence(items):
            return items.enumerated().flatMap { i, item in references(in: item, path: path + "[\(i)]") }
        case .alias:
            return []
        }
    }
}
