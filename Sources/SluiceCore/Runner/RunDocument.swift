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
    /// The failure (``RunFailure``, as `error.json` holds it).
    public var error: RunFailure?
}

extension RunDocument {
    /// The document of a run as the ledger knows it (run.json, `sluice show --json`).
    public init(_ run: RunRecord, ledger: any Ledger) throws {
        self.init(run: run.id, pipeline: run.pipeline, status: run.status.rawValue, trigger: run.trigger,
                  created: run.createdAt.iso8601, finished: run.finishedAt.map(\.iso8601),
                  manifestVersion: String(run.manifestHash.prefix(12)), inputs: run.inputs, stages: run.stageReports,
                  outputs: run.outputs, effects: try ledger.effects(run: run.id), reprocessOf: run.reprocessOf, reprocessedBy: nil,
                  corrects: run.corrects, duplicateOf: run.duplicateOf,
                  error: run.failure?.document(reprocessing: run.id))
    }
}

/// Stable, human-readable JSON: sorted keys, two-space indentation, dates as ISO 8601.
public func prettyJSON(_ value: some Encodable) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    return try encoder.encode(value)
}
