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

    @Option(help: "Only runs created on or after this date (YYYY-MM-DD, local time) or instant (ISO 8601).")
    var since: String?

    @Flag(name: .long, help: "Print JSON: an array of runs.")
    var json = false

    func run() throws {
        let ledger = try options.ledger()
        let runs = try ledger.runs(RunFilter(pipeline: pipeline, status: status, since: try since.map(parseSince)))
        if json {
            try printJSON(runs.map(RunSummary.init))
        } else {
            if runs.isEmpty { print("no runs") }
            for r in runs { print(RunSummary(r).line) }
        }
    }
}

extension RunStatus: ExpressibleByArgument {}

/// `2026-11-01` (midnight, local time) or a full ISO 8601 instant.
func parseSince(_ text: String) throws -> Date {
    if let d = LocalDate(iso: text) {
        var c = DateComponents()
        (c.year, c.month, c.day) = d.components
        if let date = Calendar.current.date(from: c) { return date }
    }
    if let date = ISO8601DateFormatter().date(from: text) { return date }
    throw ValidationError("'\(text)' is not a date; write YYYY-MM-DD or an ISO 8601 instant")
}
