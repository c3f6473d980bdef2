import ArgumentParser
import Foundation
import SluiceCore
import SluiceStore

struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "runs", abstract: "List runs, oldest first.")

    @OptionGroup var options: WorkspaceOptions

    @Option(help: "Only runs of this pipeline.")
    var pipeline: String?

    @Option(help: "Only runs with this status: claimed, running, waiting, succeeded, failed, duplicate.")
    var status: RunStatus?

    @Option(help: "Only runs created since: today, yesterday, 30m, 12h, 7d, 2w, a date (2026-11-21, local time) or an ISO 8601 instant.")
    var since: SinceOption?

    @Flag(name: .long, help: "Print JSON: an array of runs.")
    var json = false

    func run() throws {
        let ws = try options.existingWorkspace()
        // A workspace that has run nothing yet has no ledger: its list is empty.
        let runs = FileManager.default.fileExists(atPath: ws.ledgerPath)
            ? try options.ledger().runs(RunFilter(pipeline: pipeline, status: status, since: since?.start(now: clockFromEnvironment().now())))
            : []
        let zones = PipelineTimeZones(workspace: ws)
        if json {
            try printJSON(runs.map { RunSummary($0, zones: zones) })
        } else {
            if runs.isEmpty { print("no runs") }
            let style = TerminalStyle(for: STDOUT_FILENO)
            for r in runs { print(RunSummary(r, zones: zones).line(style)) }
        }
    }
}

extension RunStatus: ExpressibleByArgument {}
