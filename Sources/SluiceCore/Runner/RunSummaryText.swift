import Foundation

/// One run, as `runs --json` and `run --json` print it. Stable: fields are only added.
public struct RunSummary: Encodable, Sendable {
    public var id: String
    public var pipeline: String
    public var status: String
    public var trigger: String
    public var created: String
    public var finished: String?
    public var inputs: [String]
    public var rows: Int?
    public var outputs: [String]
    public var archive: String?
    public var error: String?
    public var reprocessOf: String?
    public var corrects: String?
    public var duplicateOf: String?
    public var attempt: Int?
    public var wakeAt: String?
    public var waitingFor: String?
    public var lastError: String?
    public var triggeredBy: String?
    public var scheduledFor: String?
    public var params: [String: String]?
    /// `wakeAt` in the pipeline's time zone: `2026-11-21 08:00 (Europe/Zurich)`.
    public var wakeAtLocal: String?

    /// `timeZone`: where the pipeline's people are, for `wakeAtLocal`.
    public init(_ r: RunRecord, timeZone: TimeZone) {
        id = r.id
        pipeline = r.pipeline
        status = r.status.rawValue
        trigger = r.trigger
        created = r.createdAt.iso8601
        finished = r.finishedAt.map(\.iso8601)
        inputs = r.inputs.map(\.name)
        rows = r.stageReports.first?.steps.compactMap(\.rows).first
        outputs = r.outputs.map(\.path)
        archive = r.archivePath
        error = r.failure.map { f in
            [f.file.map { $0.escapingControlCharacters + (f.place.map { ":" + $0 } ?? "") }, f.message.escapingControlCharacters].compactMap { $0 }.joined(separator: ": ")
        }
        reprocessOf = r.reprocessOf
        corrects = r.corrects
        duplicateOf = r.duplicateOf
        attempt = r.attempt
        wakeAt = r.wakeAt.map(\.iso8601)
        wakeAtLocal = r.wakeAt.map(timeZone.wallClockText)
        waitingFor = r.waitingFor
        lastError = r.retryError?.message
        triggeredBy = r.triggeredBy
        scheduledFor = r.scheduledFor.map(\.iso8601)
        params = r.parameters.isEmpty ? nil : r.parameters
    }

    /// One line per run (two or three when it failed or waits for a retry); names of inputs
    /// are escaped, so none breaks the line. The status mark is coloured when `style` says so.
    public func line(_ style: TerminalStyle = TerminalStyle(colours: false)) -> String {
        let mark = status == "succeeded" ? "✔" : (status == "duplicate" ? "=" : (status == "failed" ? "✗" : (status == "waiting" ? "⏸" : "…")))
        let names = inputs.isEmpty ? "-" : inputs.map(\.escapingControlCharacters).joined(separator: ",")
        var s = "\(style.mark(mark, status: status)) \(pipeline)  \(id)  \(names)  \(status)"
        if let rows { s += "  \(rows) rows" }
        if let duplicateOf { s += "  (same content as \(duplicateOf))" }
        if let corrects { s += "  (corrects \(corrects))" }
        if let reprocessOf { s += "  (reprocesses \(reprocessOf))" }
        if !outputs.isEmpty { s += "  → " + outputs.joined(separator: ", ") }
        if let wakeAt = wakeAtLocal ?? wakeAt {
            s += waitingFor == "retry" ? "  attempt \((attempt ?? 1) + 1) at \(wakeAt)" : "  wakes at \(wakeAt)"
            if let lastError, waitingFor == "retry" { s += "\n    last attempt: " + lastError + "\n    now: sluice retry \(id) · give up: sluice cancel \(id)" }
        }
        if let error { s += "\n    " + style.paint(error, .red) + "\n    fix it, then: sluice reprocess \(id)" }
        return s
    }
}
