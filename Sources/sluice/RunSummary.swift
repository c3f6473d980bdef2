import Foundation
import SluiceCore

/// One run, as `runs --json` and `run --json` print it. Stable: fields are only added.
struct RunSummary: Encodable {
    var id: String
    var pipeline: String
    var status: String
    var trigger: String
    var created: String
    var finished: String?
    var inputs: [String]
    var rows: Int?
    var outputs: [String]
    var archive: String?
    var error: String?
    var reprocessOf: String?
    var corrects: String?
    var duplicateOf: String?
    var attempt: Int?
    var wakeAt: String?
    var waitingFor: String?
    var lastError: String?
    var triggeredBy: String?
    var scheduledFor: String?
    var params: [String: String]?

    init(_ r: RunRecord) {
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
            [f.file.map { $0 + (f.place.map { ":" + $0 } ?? "") }, f.message].compactMap { $0 }.joined(separator: ": ")
        }
        reprocessOf = r.reprocessOf
        corrects = r.corrects
        duplicateOf = r.duplicateOf
        attempt = r.attempt
        wakeAt = r.wakeAt.map(\.iso8601)
        waitingFor = r.waitingFor
        lastError = r.retryError?.message
        triggeredBy = r.triggeredBy
        scheduledFor = r.scheduledFor.map(\.iso8601)
        params = r.parameters.isEmpty ? nil : r.parameters
    }

    var line: String {
        let mark = status == "succeeded" ? "✔" : (status == "duplicate" ? "=" : (status == "failed" ? "✗" : (status == "waiting" ? "⏸" : "…")))
        var s = "\(mark) \(pipeline)  \(id)  \(inputs.isEmpty ? "-" : inputs.joined(separator: ","))  \(status)"
        if let rows { s += "  \(rows) rows" }
        if let duplicateOf { s += "  (same content as \(duplicateOf))" }
        if let corrects { s += "  (corrects \(corrects))" }
        if let reprocessOf { s += "  (reprocesses \(reprocessOf))" }
        if !outputs.isEmpty { s += "  → " + outputs.joined(separator: ", ") }
        if let wakeAt {
            s += waitingFor == "retry" ? "  attempt \((attempt ?? 1) + 1) at \(wakeAt)" : "  wakes at \(wakeAt)"
            if let lastError, waitingFor == "retry" { s += "\n    last attempt: " + lastError + "\n    now: sluice retry \(id) · give up: sluice cancel \(id)" }
        }
        if let error { s += "\n    " + error + "\n    fix it, then: sluice reprocess \(id)" }
        return s
    }
}
