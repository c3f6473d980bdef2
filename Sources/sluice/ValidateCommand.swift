import ArgumentParser
import Foundation
import SluiceCore
import SluiceSteps

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check every manifest in pipelines/ (and connections.yaml, sluice.yaml); report all problems at once.")

    @OptionGroup var options: WorkspaceOptions

    @Flag(name: .long, help: "Print the diagnostics as JSON.")
    var json = false

    func run() throws {
        let ws = options.workspace
        let (connections, connectionProblems) = Connections.load(path: ws.connectionsFile, relativePath: "connections.yaml")
        // Secrets may be absent where validate runs: an unset ${env:NAME} is a warning here.
        let loader = ManifestLoader(registry: StepKinds.registry, workspace: ManifestWorkspace(
            templatesDirectory: ws.templates, connections: connections, unsetVariables: .warning, warnsOfLiteralSecrets: true))
        let loaded = loader.loadAll(directory: ws.pipelines, relativeTo: ws.root)
        var all = Diagnostics()
        let (settings, settingsProblems) = DaemonSettings.load(path: ws.root + "/sluice.yaml")
        all.append(contentsOf: settingsProblems)
        let names = Set(loaded.map(\.name))
        for l in loaded {
            all.append(contentsOf: l.diagnostics)
            all.append(contentsOf: settings.check(l, among: names))
        }
        all.append(contentsOf: connectionProblems)
        all.append(contentsOf: connections.literalSecretWarnings())
        all.append(contentsOf: MailServerConnection.check(connections, workspace: ws))
        if json {
            struct Report: Encodable {
                var pipelines: [String: Bool]
                var diagnostics: [Diagnostic]
            }
            try printJSON(Report(pipelines: Dictionary(uniqueKeysWithValues: loaded.map { ($0.name, $0.manifest != nil) }),
                                 diagnostics: all.sorted))
        } else {
            let sources = Dictionary(uniqueKeysWithValues: loaded.map { ($0.path, $0.source) })
            for d in all.sorted {
                print(d.rendered(source: d.location.flatMap { sources[$0.file] }))
            }
            let good = loaded.filter { $0.manifest != nil }.count
            let errors = all.errors.count
            let warnings = all.items.filter { $0.severity == .warning }.count
            let warned = warnings == 0 ? "" : ", \(warnings) warning\(warnings == 1 ? "" : "s")"
            print("\(loaded.count) pipeline\(loaded.count == 1 ? "" : "s"): \(good) valid, \(loaded.count - good) with errors; \(errors) error\(errors == 1 ? "" : "s")\(warned)")
        }
        if all.hasErrors { throw ExitCode(1) }
    }
}
