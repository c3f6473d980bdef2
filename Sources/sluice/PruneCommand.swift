import ArgumentParser
import Foundation
import SluiceCore
import SluiceSteps
import SluiceStore

struct PruneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Remove finished runs older than a limit: their ledger records and archive folders.",
        discussion: """
        Only finished runs (succeeded, failed, duplicate) go, never a claimed, running or waiting one. A run and its \
        reprocessings share their effect keys, so they go together once the youngest of them is past the limit. \
        Without --older-than, the limit is `retention: { runs: 90d }` of sluice.yaml (which `sluice serve` applies \
        once a day). The ledger then gives the freed space back to the disk. Works while `sluice serve` runs.
        """)

    @OptionGroup var options: WorkspaceOptions

    @Option(name: .long, help: "Remove runs that finished longer ago than this (e.g. 90d, 12h); default: retention.runs of sluice.yaml.")
    var olderThan: String?

    @Option(help: "Only runs of this pipeline.")
    var pipeline: String?

    @Flag(name: .long, help: "List what would be removed, with sizes, and remove nothing.")
    var dryRun = false

    @Flag(name: .long, help: "Print JSON: the runs removed (or that would be).")
    var json = false

    func validate() throws {
        if let olderThan, DurationValue(parsing: olderThan) == nil {
            throw ValidationError("--older-than '\(olderThan)' is not a duration; write e.g. 90d, 36h or 30m")
        }
    }

    func run() throws {
        let ws = options.workspace
        let age = try limit(ws)
        guard FileManager.default.fileExists(atPath: ws.ledgerPath) else {
            if json { try printJSON(PruneDocument(cutoff: "", dryRun: dryRun, runs: [])) } else { print("no runs yet in \(ws.root): nothing to prune") }
            return
        }
        let runner = Runner(workspace: ws, ledger: try options.ledger(), registry: StepKinds.registry, clock: clockFromEnvironment())
        let plan = try runner.prunePlan(olderThan: age, pipeline: pipeline)
        let document = PruneDocument(plan, dryRun: dryRun)
        let report = dryRun ? nil : try runner.prune(plan)
        if json { try printJSON(document); return }
        let scope = pipeline.map { " of \($0)" } ?? ""
        let sizes = "archives \(byteText(plan.archiveBytes)), ledger records \(byteText(plan.recordBytes))"
        let count = "\(plan.items.count) run\(plan.items.count == 1 ? "" : "s")\(scope) finished before \(document.cutoff) (older than \(age))"
        print(dryRun ? "would remove \(count): \(sizes)" : "removed \(count): \(sizes)")
        for r in document.runs {
            print("  \(r.run)  \(r.pipeline)  \(r.status)  finished \(r.finished)  \(r.archive ?? "(no archive)")  \(byteText(r.archiveBytes))")
        }
        if plan.keptWithYoungerRuns > 0 {
            print("kept \(plan.keptWithYoungerRuns) older run\(plan.keptWithYoungerRuns == 1 ? "" : "s") that a younger or unfinished reprocessing shares effect keys with")
        }
        if let report {
            print("ledger \(byteText(report.ledgerBytes.before)) → \(byteText(report.ledgerBytes.after))")
        }
    }

    /// `--older-than`, else the retention of sluice.yaml.
    func limit(_ ws: Workspace) throws -> DurationValue {
        if let olderThan, let d = DurationValue(parsing: olderThan) { return d }
        let (settings, problems) = DaemonSettings.load(path: ws.root + "/sluice.yaml")
        if problems.hasErrors {
            // A broken sluice.yaml is not a mistake on the command line: its errors, and exit 1.
            FileHandle.standardError.write(Data(problems.errors.map { $0.description + "\n" }.joined().utf8))
            throw ExitCode(1)
        }
        guard let retention = settings.retention else {
            throw ValidationError("give --older-than (e.g. 90d), or set `retention: { runs: 90d }` in sluice.yaml")
        }
        return retention
    }
}

/// `sluice prune --json`.
struct PruneDocument: Encodable {
    struct Run: Encodable {
        var run: String
        var pipeline: String
        var status: String
        var finished: String
        var archive: String?
        var archiveBytes: Int64
        var recordBytes: Int64
    }
    var cutoff: String
    var dryRun: Bool
    var runs: [Run]
}

extension PruneDocument {
    init(_ plan: PrunePlan, dryRun: Bool) {
        self.init(cutoff: plan.cutoff.iso8601, dryRun: dryRun, runs: plan.items.map {
            Run(run: $0.run.id, pipeline: $0.run.pipeline, status: $0.run.status.rawValue, finished: ($0.run.finishedAt ?? $0.run.updatedAt).iso8601,
                archive: $0.archive, archiveBytes: $0.archiveBytes, recordBytes: $0.recordBytes)
        })
    }
}

/// `512 B`, `3.2 kB`, `98.0 MB`: sizes for people (powers of 1000, as `ls -h --si`).
func byteText(_ bytes: Int64) -> String {
    if bytes < 1000 { return "\(bytes) B" }
    var value = Double(bytes)
    for unit in ["kB", "MB", "GB", "TB"] {
        value /= 1000
        if value < 999.95 || unit == "TB" { return String(format: "%.1f", value) + " " + unit }
    }
    return "\(bytes) B"
}
