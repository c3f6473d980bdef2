import ArgumentParser
import Foundation
import SluiceCore
import SluiceSteps
import SluiceStore

struct TriggerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trigger",
        abstract: "Start a manual run of a pipeline, with parameters and optional input files (copied, never moved).")

    @OptionGroup var options: WorkspaceOptions

    @Argument(help: "The pipeline.")
    var pipeline: String

    @Argument(help: "Input files for the run.")
    var files: [String] = []

    @Option(name: .customLong("param"), help: "A parameter NAME=VALUE, available to templates as {{run.params.NAME}}. Repeatable.")
    var parameters: [String] = []

    @Flag(name: .long, help: "Print the run as JSON.")
    var json = false

    func validate() throws {
        for p in parameters where !p.contains("=") { throw ValidationError("--param takes NAME=VALUE, got '\(p)'") }
    }

    func run() throws {
        var params: [String: String] = [:]
        for p in parameters {
            let i = p.firstIndex(of: "=")!
            params[String(p[..<i])] = String(p[p.index(after: i)...])
        }
        // With a daemon running, the run is recorded for it to drive (it holds the workspace).
        let control = try WaitingRunAction.control(options)
        if let pid = control.pidFile.runningDaemon() {
            let outcome = try control.trigger(pipeline, parameters: params, files: files)
            for r in outcome.runs {
                if json { try printJSON(RunSummary(r, zones: PipelineTimeZones(workspace: control.runner.workspace))) } else {
                    print("→ \(r.pipeline)  \(r.id)  started by sluice serve (pid \(outcome.daemon ?? pid))")
                }
            }
            return
        }
        let (runner, lock) = try options.runner(observer: ProgressPrinter(live: false, quiet: json, workspace: options.workspace))
        let run = try withExtendedLifetime(lock) { try runner.runManually(pipeline: pipeline, parameters: params, files: files) }
        if json { try printJSON(RunSummary(run, zones: PipelineTimeZones(workspace: runner.workspace))) }
        if run.status == .failed { throw ExitCode(1) }
    }
}
