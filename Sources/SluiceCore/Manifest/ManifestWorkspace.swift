import Foundation

/// What manifest checks can see of the workspace around a manifest: its template files,
/// connections.yaml and the environment. With it, `sluice validate` and the start of a run
/// report a template file that does not exist, a connection connections.yaml does not have
/// and a `${env:NAME}` that is not set; without it (a manifest checked on its own) those
/// references are taken on trust.
public struct ManifestWorkspace: Sendable {
    /// `pipelines/templates/`, as a path that can be read.
    public var templatesDirectory: String
    /// The same folder as messages name it (relative to the workspace).
    public var templatesFolderName: String
    public var connections: Connections
    public var environment: [String: String]
    /// How an unset `${env:NAME}` a pipeline needs is reported: a warning in `sluice
    /// validate` (secrets may be absent where it runs), an error when runs start, which
    /// refuses the pipeline before any input is claimed.
    public var unsetVariables: Diagnostic.Severity
    /// Whether a secret field written as a literal instead of `${env:NAME}` is warned of
    /// (`sluice validate`; a run does not repeat it).
    public var warnsOfLiteralSecrets: Bool

    public init(templatesDirectory: String, templatesFolderName: String = "pipelines/templates", connections: Connections,
                environment: [String: String] = ProcessInfo.processInfo.environment, unsetVariables: Diagnostic.Severity,
                warnsOfLiteralSecrets: Bool = false) {
        self.warnsOfLiteralSecrets = warnsOfLiteralSecrets
        self.templatesDirectory = templatesDirectory
        self.templatesFolderName = templatesFolderName
        self.connections = connections
        self.environment = environment
        self.unsetVariables = unsetVariables
    }

    /// The names of the files in the templates folder.
    func templateFiles() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: templatesDirectory)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    /// The text of a template file, nil when there is no such file.
    func templateText(_ file: String) -> String? {
        var isDirectory: ObjCBool = false
        let path = templatesDirectory + "/" + file
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
              let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}

/// A connection a step names (or uses by default), recorded by `StepCheckContext.requireConnection`.
struct ConnectionUse: Sendable {
    var name: String
    var stepID: String
    var path: String
    var location: SourceLocation?
}
