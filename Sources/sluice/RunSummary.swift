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
    }

    var line: String {
        let mark = status == "succeeded" ? "✔" : (status == "duplicate" ? "=" : (status == "failed" ? "✗" : "…"))
        var s = "\(mark) \(pipeline)  \(id)  \(inputs.isEmpty ? "-" : inputs.joined(separator: ","))  \(status)"
        if let rows { s += "  \(rows) rows" }
        if let duplicateOf { s += "  (same content as \(duplicateOf))" }
        if let corrects { s += "  (corrects \(corrects))" }
        if let reprocessOf { s += "  (reprocesses \(reprocessOf))" }
        if !outputs.isEmpty { s += "  → " + outputs.joined(separator: ", ") }
        if let error { s += "\n    " + error + "\n    fix it, then: sluice reprocess \(id)" }
        return s
    }
}
