import ArgumentParser
import Foundation
import SluiceCore
import SluiceSteps
import SluiceStore

struct ScheduleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Scheduled pipelines with their last and next runs; or the fire times of one schedule.",
        discussion: """
            sluice schedule                               every scheduled pipeline: schedule, cron, time zone, last run, next run
            sluice schedule --explain PIPELINE --next 10  its next fire times, daylight-saving changes marked
            sluice schedule --expr 'daily at 02:30' --timezone Europe/Zurich --from 2026-03-28T00:00 --next 3
            sluice schedule --expr 'du lundi au vendredi à 8h' --french   a schedule in words, French or English; --french says it in French
            sluice schedule --batch                       JSON lines in ({"expr", "timezone", "from", "next"}), JSON lines out
            """)

    @OptionGroup var options: WorkspaceOptions

    @Option(help: "Explain this pipeline's schedule: its next fire times.")
    var explain: String?

    @Option(help: "A cron expression or a schedule in words (English or French) to explain, without a manifest.")
    var expr: String?

    @Option(help: "The time zone for --expr (IANA name; default the machine's).")
    var timezone: String?

    @Option(help: "Start after this time: ISO 8601, with an offset or as wall-clock time in the time zone (default now).")
    var from: String?

    @Option(help: "How many fire times to show.")
    var next: Int = 5

    @Flag(help: "Say schedules in French (du lundi au vendredi à 08:00), not English.")
    var french = false

    @Flag(help: "Read JSON lines from standard input, one schedule each; print one JSON line each.")
    var batch = false

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        if batch { return try runBatch() }
        if let expr {
            let zone = try zone(timezone)
            let schedule = try parse(expr)
            let start = try from.map { try parseInstant($0, zone: zone) } ?? clockFromEnvironment().now()
            try show(ScheduleExplanation(schedule: schedule, zone: zone, from: start, count: next, french: french))
            return
        }
        let ws = options.workspace
        var manifests: [String: Manifest] = [:]
        for loaded in ManifestLoader(registry: StepKinds.registry).loadAll(directory: ws.pipelines, relativeTo: ws.root) {
            if let m = loaded.manifest { manifests[m.name] = m } else if loaded.source.contains("schedule") {
                print("✗ \(loaded.name): manifest has errors, not scheduled; see `sluice validate`")
            }
        }
        let ledger = FileManager.default.fileExists(atPath: ws.ledgerPath) ? try SQLiteLedger(path: ws.ledgerPath) : nil
        let now = try from.map { try parseInstant($0, zone: .current) } ?? clockFromEnvironment().now()
        if let explain {
            guard let m = manifests[explain] else {
                throw ValidationError("no pipeline named '\(explain)'\(Suggestion.didYouMean(explain, among: manifests.keys))")
            }
            guard let text = m.triggers.schedule else { throw ValidationError("pipeline '\(explain)' has no schedule trigger") }
            try show(ScheduleExplanation(schedule: try parse(text), zone: try zone(m.timezone), from: now, count: next, french: french))
            return
        }
        let paused = try ledger?.pausedPipelines() ?? [:]
        var rows: [ScheduledPipeline] = []
        for name in manifests.keys.sorted() {
            guard let m = manifests[name], let text = m.triggers.schedule else { continue }
            let schedule = try parse(text)
            let zone = try zone(m.timezone)
            let last = try ledger?.runs(RunFilter(pipeline: name)).last
            let nextFire = ScheduleClock(cron: schedule.cron, timeZone: zone).next(after: now)
            rows.append(ScheduledPipeline(pipeline: name, schedule: text, cron: schedule.cron.description, summary: schedule.summary(french: french),
                                          timezone: zone.identifier, lastRun: last?.id, lastRunStatus: last?.status.rawValue,
                                          lastRunTrigger: last?.trigger, nextRun: nextFire.map { ScheduleExplanation.iso($0, zone) },
                                          pausedSince: paused[name].map { ScheduleExplanation.iso($0, zone) }))
        }
        if json { return try printJSON(rows) }
        if rows.isEmpty { print("no pipeline has a schedule trigger") }
        for r in rows {
            print("\(r.pipeline): \(r.schedule)  [\(r.cron), \(r.timezone)]  \(r.summary)")
            print("  last run: \(r.lastRun.map { "\($0) (\(r.lastRunTrigger ?? ""), \(r.lastRunStatus ?? ""))" } ?? "never")")
            print("  next run: \(r.nextRun ?? "never")")
            if let since = r.pausedSince { print("  paused since \(since): its slots are skipped until `sluice resume \(r.pipeline)`") }
        }
    }

    func runBatch() throws {
        struct Case: Decodable { var expr: String; var timezone: String?; var from: String; var next: Int? }
        while let line = readLine() {
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let out: ScheduleExplanation.Document
            do {
                let c = try JSONDecoder().decode(Case.self, from: Data(line.utf8))
                let zone = try zone(c.timezone)
                out = ScheduleExplanation(schedule: try parse(c.expr), zone: zone, from: try parseInstant(c.from, zone: zone),
                                          count: c.next ?? 5, french: french).document
            } catch {
                out = .init(expression: line, error: "\(error)")
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(out), as: UTF8.self))
        }
    }

    func show(_ e: ScheduleExplanation) throws {
        if json { return try printJSON(e.document) }
        let d = e.document
        print("\(d.expression)  [cron: \(d.cron ?? ""), \(d.timezone ?? "")]")
        print("  \(d.summary ?? "")")
        if d.fires.isEmpty { print("  never fires") }
        for f in d.fires { print("  \(f.at)" + (f.note.map { "  ← \($0)" } ?? "")) }
    }

    func parse(_ text: String) throws -> Schedule {
        do { return try Schedule(text) } catch { throw ValidationError(error.description) }
    }

    func zone(_ name: String?) throws -> TimeZone {
        guard let name else { return .current }
        guard let z = TimeZone(identifier: name) else { throw ValidationError("unknown time zone '\(name)'; use an IANA name such as Europe/Zurich") }
        return z
    }
}

/// One row of `sluice schedule --json`.
struct ScheduledPipeline: Encodable {
    var pipeline: String
    var schedule: String
    var cron: String
    var summary: String
    var timezone: String
    var lastRun: String?
    var lastRunStatus: String?
    var lastRunTrigger: String?
    var nextRun: String?
    /// Set while the pipeline is paused (`sluice pause`).
    var pausedSince: String? = nil
}

/// An ISO 8601 instant with an offset, or a wall-clock time (`2026-03-28T00:00`) in `zone`.
func parseInstant(_ text: String, zone: TimeZone) throws -> Date {
    if let instant = ScheduleExplanation.instant(text, in: zone) { return instant }
    throw ValidationError("'\(text)' is not a time; write ISO 8601, e.g. 2026-03-28T00:00 or 2026-03-28T00:00:00+01:00")
}
