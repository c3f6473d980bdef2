import ArgumentParser
import Foundation
import SluiceCore

struct ReprocessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reprocess",
        abstract: "Run archived inputs again, as new runs linked to the originals.",
        discussion: "Effects the original run already did (database writes, webhooks) are not done again unless --resend is given.")

    @OptionGroup var options: WorkspaceOptions

    @Argument(help: "The run to reprocess.")
    var runID: String?

    @Option(help: "Reprocess runs of this pipeline (with --since).")
    var pipeline: String?

    @Option(help: "With --pipeline: runs created since: today, yesterday, 30m, 12h, 7d, 2w, a date (2026-11-21, local time) or an ISO 8601 instant.")
    var since: SinceOption?

    @Option(help: "With --pipeline: 'failed' (default: failed runs not already reprocessed) or 'all'.")
    var status: String = "failed"

    @Flag(help: "Do effects again even if the original run did them.")
    var resend = false

    @Option(name: .long, help: "'current' (default): the manifest as it is now; 'original': the version the run used.")
    var manifestVersion: String = "current"

    @Flag(name: .long, help: "Print the new runs as JSON.")
    var json = false

    func validate() throws {
        if runID == nil && pipeline == nil { throw ValidationError("give a run id, or --pipeline P --since DATE") }
        if runID != nil && pipeline != nil { throw ValidationError("give either a run id or --pipeline, not both") }
        if pipeline != nil && since == nil { throw ValidationError("--pipeline needs --since DATE") }
        if !["failed", "all"].contains(status) { throw ValidationError("--status is 'failed' or 'all'") }
        if Runner.ManifestChoice(rawValue: manifestVersion) == nil { throw ValidationError("--manifest-version is 'current' or 'original'") }
    }

    func run() throws {
        let (runner, lock) = try options.runner(observer: ProgressPrinter(live: false, quiet: json, workspace: options.workspace))
        let choice = Runner.ManifestChoice(rawValue: manifestVersion)!
        var results: [RunRecord] = []
        try withExtendedLifetime(lock) {
            if let runID {
                results.append(try runner.reprocess(runID, manifest: choice, resend: resend))
            } else if let pipeline, let since {
                let targets = try runner.runsToReprocess(pipeline: pipeline, since: since.start(now: runner.clock.now()), status: status == "all" ? nil : .failed)
                if targets.isEmpty && !json {
                    print("no \(status == "all" ? "" : "failed ")runs of \(pipeline) since \(since) left to reprocess")
                }
                for t in targets { results.append(try runner.reprocess(t.id, manifest: choice, resend: resend)) }
            }
        }
        if json {
            let zones = PipelineTimeZones(workspace: runner.workspace)
            try printJSON(results.map { RunSummary($0, zones: zones) })
        }
        if results.contains(where: { $0.status == .failed }) { throw ExitCode(1) }
    }
}
