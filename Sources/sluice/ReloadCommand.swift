import ArgumentParser
import Foundation
import SluiceCore
import SluiceSteps
import SluiceStore

struct ReloadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reload",
        abstract: "Ask the running daemon to reload the manifests (the same as SIGHUP).",
        discussion: "A manifest with errors is not loaded: its previous version keeps running. The errors are printed here and logged by the daemon.")

    @OptionGroup var options: WorkspaceOptions

    func run() throws {
        let ws = try options.existingWorkspace()
        let loaded = ManifestLoader(registry: StepKinds.registry).loadAll(directory: ws.pipelines, relativeTo: ws.root)
        for l in loaded where l.manifest == nil {
            for d in l.diagnostics.errors { printDiagnostic(d.description) }
            printDiagnostic("✗ \(l.path): not loaded; the daemon keeps its previous version")
        }
        let control = try WaitingRunAction.control(options)
        let pid = try control.reloadManifests()
        print("asked sluice serve (pid \(pid)) to reload \(loaded.count) manifest(s)")
    }
}
