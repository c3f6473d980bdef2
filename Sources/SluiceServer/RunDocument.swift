import Foundation
import SluiceCore

// The one file that reads `RunRecord`'s fields for the API: when the record changes, this
// file follows.

/// A run as `GET /api/runs` lists it.
struct RunSummaryDocument: Encodable {
    var id: String
    var pipeline: String
    var status: String
    var trigger: String
    var createdAt: Date
    var finishedAt: Date?
    var durationMilliseconds: Int?
    var attempt: Int
    var inputs: [String]
    /// The failure's message, for a failed run (or the transient one a retry waits after).
    var error: String?
    var wakeAt: Date?

    init(_ run: RunRecord) {
        id = run.id
        pipeline = run.pipeline
        status = run.status.rawValue
        trigger = run.trigger
        createdAt = run.createdAt
        finishedAt = run.finishedAt
        durationMilliseconds = run.finishedAt.map { Int(($0.timeIntervalSince(run.createdAt) * 1000).rounded()) }
        attempt = run.attempt ?? 1
        inputs = run.inputs.map(\.name)
        error = (run.failure ?? run.retryError)?.message
        wakeAt = run.wakeAt
    }
}

/// One run (`GET /api/runs/{id}`): its stages with their timings and rows per step, its
/// outputs, its failure and the runs it reprocesses or was reprocessed by.
struct RunDetailDocument: Encodable {
    struct Input: Encodable {
        var name: String
        var originalName: String?
        var size: Int64
        var sha256: String
    }

    struct Stage: Encodable {
        struct Step: Encodable {
            var id: String
            var skipped: Bool
            var rows: Int?
            var milliseconds: Int
            var summary: [String: String]
        }
        var stage: String
        var milliseconds: Int
        var steps: [Step]
        var datasets: [String: Int]
    }

    struct Output: Encodable {
        var name: String
        var path: String
        var size: Int64
        var sha256: String
        var step: String
    }

    struct Failure: Encodable {
        var stage: String
        var step: String
        var message: String
        var file: String?
        var place: String?
        var rows: [Int]
        var hint: String?
        var transient: Bool

        init(_ f: RunFailure) {
            stage = f.stage
            step = f.step
            message = f.message
            file = f.file
            place = f.place
            rows = f.rows
            hint = f.hint
            transient = f.transient
        }
    }

    struct Links: Encodable {
        var this: String
        var pipeline: String
        var reprocessOf: String?
        var reprocessedBy: [String]
        var corrects: String?
        var duplicateOf: String?

        enum CodingKeys: String, CodingKey { case this = "self", pipeline, reprocessOf, reprocessedBy, corrects, duplicateOf }
    }

    var run: RunSummaryDocument
    var phase: String
    var triggeredBy: String?
    var scheduledFor: Date?
    var parameters: [String: String]
    var inputs: [Input]
    var completedStages: [String]
    var stages: [Stage]
    var outputs: [Output]
    var archivePath: String?
    var failure: Failure?
    /// The transient failure a run waiting for its retry had.
    var retryError: Failure?
    var waitingFor: String?
    var cancelRequested: Bool
    var links: Links

    init(_ r: RunRecord, reprocessedBy: [RunRecord]) {
        run = RunSummaryDocument(r)
        phase = r.phase.rawValue
        triggeredBy = r.triggeredBy
        scheduledFor = r.scheduledFor
        parameters = r.parameters
        inputs = r.inputs.map { Input(name: $0.name, originalName: $0.originalName, size: $0.size, sha256: $0.sha256) }
        completedStages = r.completedStages
        stages = r.stageReports.map { s in
            Stage(stage: s.stage, milliseconds: s.milliseconds,
                  steps: s.steps.map { Stage.Step(id: $0.id, skipped: $0.skipped, rows: $0.rows, milliseconds: $0.milliseconds, summary: $0.summary) },
                  datasets: s.datasets)
        }
        outputs = r.outputs.map { Output(name: $0.name, path: $0.path, size: $0.size, sha256: $0.sha256, step: $0.step) }
        archivePath = r.archivePath
        failure = r.failure.map(Failure.init)
        retryError = r.retryError.map(Failure.init)
        waitingFor = r.waitingFor
        cancelRequested = r.cancelRequested ?? false
        links = Links(this: "/api/runs/\(r.id)", pipeline: "/api/pipelines/\(r.pipeline)",
                      reprocessOf: r.reprocessOf.map { "/api/runs/\($0)" },
                      reprocessedBy: reprocessedBy.map { "/api/runs/\($0.id)" },
                      corrects: r.corrects.map { "/api/runs/\($0)" }, duplicateOf: r.duplicateOf.map { "/api/runs/\($0)" })
    }
}
