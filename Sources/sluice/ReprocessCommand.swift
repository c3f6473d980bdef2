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
        let (runner, lock) = try options.runner(observer: ProgressPrinter(live: false, quiet: json, workspace: options.workspace))
        var params: [String: String] = [:]
        for p in parameters {
            let i = p.firstIndex(of: "=")!
            params[String(p[..<i])] = String(p[p.index(after: i)...])
        }
        let run = try withExtendedLifetime(lock) { try runner.runManually(pipeline: pipeline, parameters: params, files: files) }
        if json { try printJSON(RunSummary(run, zones: PipelineTimeZones(workspace: runner.workspace))) }
        if run.status == .failed { throw ExitCode(1) }
    }
}
