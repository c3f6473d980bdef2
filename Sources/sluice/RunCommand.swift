import ArgumentParser
import Foundation
import SluiceCore

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "One batch pass: resume interrupted runs, claim ready inbox files, run them.",
        discussion: "Exits 0 when every run succeeded (duplicates count as handled), 1 when any failed or a manifest is broken, after finishing all the others.")

    @OptionGroup var options: WorkspaceOptions

    @Argument(help: "Pipelines to run (default: all).")
    var pipelines: [String] = []

    @Flag(name: .long, help: "Print the runs as JSON (the `runs --json` format).")
    var json = false

    func run() throws {
        let live = !json && isatty(STDOUT_FILENO) == 1
        let (runner, lock) = try options.runner(observer: ProgressPrinter(live: live, quiet: json, workspace: options.workspace))
        let report = try withExtendedLifetime(lock) { try runner.runBatch(pipelines: pipelines) }
        if json {
            try printJSON(BatchDocument(report, zones: PipelineTimeZones(workspace: runner.workspace)))
        } else {
            for broken in report.brokenManifests {
                print("✗ \(broken.name): manifest has \(broken.diagnostics.errors.count) error(s), not run; see `sluice validate`")
                for d in broken.diagnostics.errors { print("    \(d)") }
            }
            for s in report.skipped { print("· \(s.file): \(s.reason)".escapingControlCharacters) }
            if report.runs.isEmpty && report.brokenManifests.isEmpty { print("nothing to do: no ready input in the inboxes") }
        }
        if !report.succeeded { throw ExitCode(1) }
    }
}

struct BatchDocument: Encodable {
    var runs: [RunSummary]
    var brokenManifests: [String]
    var skipped: [[String: String]]

    init(_ r: BatchReport, zones: PipelineTimeZones) {
        runs = r.runs.map { RunSummary($0, zones: zones) }
        brokenManifests = r.brokenManifests.map(\.path)
        skipped = r.skipped.map { ["file": $0.file, "reason": $0.reason] }
    }
}
