import Foundation

/// `archive/<pipeline>/<yyyy>/<mm>/<dd>/<run>/run.json`: what a person (or a script) needs
/// to know about a finished run, next to its inputs.
public struct RunDocument: Codable, Sendable {
    public var run: String
    public var pipeline: String
    public var status: String
    public var trigger: String
    public var created: String
    public var finished: String?
    public var manifestVersion: String
    public var inputs: [RunInput]
    public var stages: [StageReport]
    public var outputs: [PublishedOutput]
    public var effects: [EffectRecord]
    public var reprocessOf: String?
    /// The runs that reprocessed this one (`sluice show`; absent in run.json, written before any could).
    public var reprocessedBy: [String]?
    public var corrects: String?
    public var duplicateOf: String?
    public var error: ErrorDocument?
}

/// `error.json`: the stage, step, rows and reason, and the command to run after fixing.
public struct ErrorDocument: Codable, Sendable {
    public var stage: String
    public var step: String
    public var message: String
    public var file: String?
    public var place: String?
    public var rows: [Int]
    public var hint: String?
    public var reprocess: String
}

extension Runner {
    /// Publishes outputs to `outbox/<pipeline>/`: each written under a temporary name and
    /// renamed into place. Repeating it after a crash writes the same bytes again.
    /// `known`: the outputs of every committed stage when this process ran them (else read
    /// from the checkpoints).
    func publish(_ start: RunRecord, stages: [Stage], lifecycle: RunLifecycle, save saving: Bool = true,
                 known: [(name: String, path: String, step: String)]? = nil) throws -> RunRecord {
        var run = start
        let outbox = workspace.outbox(run.pipeline)
        try FileOperations.makeDirectory(outbox)
        var sources: [(name: String, path: String, step: String)] = []
        var published: [PublishedOutput] = []
        if run.failure != nil {
            published = run.outputs.filter { !$0.sha256.isEmpty }
            sources = run.outputs.filter { $0.sha256.isEmpty }.map { ($0.name, $0.path, $0.step) }
        } else {
            // Outputs of stages already published stay as they are.
            let all = try known ?? loadEnvironment(run, stages: stages, datasets: false).outputs
            let already = run.outputs.filter { !$0.sha256.isEmpty }
            published = already
            sources = Array(all.dropFirst(already.count))
        }
        for (n, s) in sources.enumerated() {
            let destination = outbox + "/" + s.name
            // Outputs move into the outbox (a rename: nothing is left to delete afterwards).
            // Publishing again after a crash finds the work copy gone and the outbox one in place.
            if FileOperations.exists(s.path) {
                try FileOperations.move(s.path, to: destination, sync: false)
            }
            if n == 0 { crashPoints.reached("mid-publish") }
            let (sha, size) = (try? FileOperations.sha256(path: destination)) ?? ("", 0)
            published.append(PublishedOutput(name: s.name, path: workspace.relative(destination), size: size, sha256: sha, step: s.step))
        }
        if !sources.isEmpty { try FileOperations.fsync(path: outbox, deferral: syncs) }
        crashPoints.reached("after-publish")
        run.outputs = published
        if run.failure != nil { run.published = true } else { run.publishedStages = run.completedStages.count }
        try advance(&run, .published, lifecycle)
        // When archiving follows at once, its commit records this too: publishing again after a
        // crash rewrites the same files.
        if saving { try save(&run) }
        return run
    }

    /// Moves the inputs to `archive/<pipeline>/<date>/<run>/` and writes `run.json` (and
    /// `error.json` for a failed run). Idempotent.
    func archive(_ start: RunRecord, _ lifecycle: RunLifecycle) throws -> RunRecord {
        var run = start
        let directory = archiveDirectory(run)
        try FileOperations.makeDirectory(directory)
        for input in run.inputs {
            let source = inputPath(run, input.name)
            if FileOperations.exists(source) || isLink(source) {
                // The archive folder is fsynced once, with run.json below.
                try FileOperations.move(source, to: directory + "/" + input.name, sync: false)
            }
            crashPoints.reached("mid-archive")
        }
        run.archivePath = workspace.relative(directory)
        run.status = run.duplicateOf != nil ? .duplicate : (run.failure != nil ? .failed : .succeeded)
        run.finishedAt = run.finishedAt ?? clock.now()
        if let failure = run.failure {
            let error = ErrorDocument(run, failure)
            try FileOperations.writeAtomically(Array(try prettyJSON(error)), to: directory + "/error.json", deferral: syncs)
        }
        try FileOperations.writeAtomically(Array(try prettyJSON(try RunDocument(run, ledger: ledger))), to: directory + "/run.json", deferral: syncs)
        crashPoints.reached("before-archive-commit")
        run.phase = .archiving
        try advance(&run, .archived, lifecycle)
        // Completing follows at once and commits this; archiving again after a crash finds the
        // inputs already moved and writes run.json anew.
        return run
    }

    /// Finishes the run in the ledger, committing the states its steps staged, in one transaction.
    func complete(_ start: RunRecord, _ lifecycle: RunLifecycle) throws -> RunRecord {
        var run = start
        let states = run.status == .succeeded && run.hasStagedStates == true ? try stagedStates(run) : [:]
        try startFollowers(of: run)
        run.phase = .done
        try advance(&run, .completed, lifecycle)
        run.updatedAt = clock.now()
        try ledger.complete(run, states: states)
        crashPoints.reached("after-complete")
        if group.isOpen { group.holdReport(run) } else { reportToSource(run) }
        return run
    }
}

extension Runner {
    /// `archive/<pipeline>/<yyyy>/<mm>/<dd>/<run>/`, by the run's date.
    func archiveDirectory(_ run: RunRecord) -> String {
        workspace.archive(run.pipeline, date: LocalDate(iso: run.runDate) ?? LocalDate(daysSinceEpoch: 0), run: run.id)
    }
}

extension RunDocument {
    /// The document of a run as the ledger knows it (run.json, `sluice show --json`).
    public init(_ run: RunRecord, ledger: any Ledger) throws {
        self.init(run: run.id, pipeline: run.pipeline, status: run.status.rawValue, trigger: run.trigger,
                  created: run.createdAt.iso8601, finished: run.finishedAt.map(\.iso8601),
                  manifestVersion: String(run.manifestHash.prefix(12)), inputs: run.inputs, stages: run.stageReports,
                  outputs: run.outputs, effects: try ledger.effects(run: run.id), reprocessOf: run.reprocessOf, reprocessedBy: nil,
                  corrects: run.corrects, duplicateOf: run.duplicateOf,
                  error: run.failure.map { ErrorDocument(run, $0) })
    }
}

extension ErrorDocument {
    init(_ run: RunRecord, _ failure: RunFailure) {
        self.init(stage: failure.stage, step: failure.step, message: failure.message, file: failure.file, place: failure.place,
                  rows: failure.rows, hint: failure.hint, reprocess: "sluice reprocess \(run.id)")
    }
}

/// Stable, human-readable JSON: sorted keys, two-space indentation, dates as ISO 8601.
public func prettyJSON(_ value: some Encodable) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    return try encoder.encode(value)
}
