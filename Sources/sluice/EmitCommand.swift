import ArgumentParser
import Foundation
import SluiceCore
import SluiceSteps
import SluiceStore

struct EmitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emit",
        abstract: "Emit a named event: every pipeline with `triggers: { event: NAME }` gets a run.",
        discussion: "The same --id never starts a pipeline twice. With a daemon running, it starts the runs; otherwise they run now.")

    @OptionGroup var options: WorkspaceOptions

    @Argument(help: "The event's name, e.g. order.paid.")
    var name: String

    @Option(help: "The event's id (default: a new one). Emitting the same id again starts nothing.")
    var id: String?

    @Option(name: .customLong("param"), help: "A parameter NAME=VALUE for templates ({{run.params.NAME}}); repeatable.")
    var parameters: [String] = []

    @Option(name: .customLong("file"), help: "A file given with the event, copied into each run; repeatable.")
    var files: [String] = []

    func validate() throws {
        for p in parameters where !p.contains("=") { throw ValidationError("--param takes NAME=VALUE, not '\(p)'") }
    }

    func run() throws {
        var params: [String: String] = [:]
        for p in parameters {
            let eq = p.firstIndex(of: "=")!
            params[String(p[..<eq])] = String(p[p.index(after: eq)...])
        }
        for f in files where !FileManager.default.fileExists(atPath: f) { throw CommandFailure("no file \(f) (given with --file)") }
        let event = PipelineEvent(name: name, id: id ?? UUID().uuidString.lowercased(), parameters: params, files: files)
        let control = try WaitingRunAction.control(options)
        let outcome = try control.emit(event)
        for b in outcome.broken { printDiagnostic("✗ \(b.path) has errors; it does not receive events until they are fixed") }
        let created = outcome.runs
        if created.isEmpty {
            print(control.runner.routes.listeners(of: name).isEmpty ? "no pipeline listens to '\(name)'" : "event \(event.id) was already delivered; nothing started")
            return
        }
        if let daemon = outcome.daemon {
            for r in created { print("→ \(r.pipeline)  \(r.id)  started by sluice serve (pid \(daemon))") }
            return
        }
        let (runner, lock) = try options.runner(observer: ProgressPrinter(live: false, quiet: false, workspace: options.workspace))
        let results = try withExtendedLifetime(lock) { try created.map { try runner.drive($0) } }
        if results.contains(where: { $0.status == .failed }) { throw ExitCode(1) }
    }
}
