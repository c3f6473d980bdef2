import Foundation

/// What the ledger knows of a run that pruning decides on: read for every run at once,
/// without decoding the run documents.
public struct RunAge: Sendable, Hashable {
    public var id: String
    public var pipeline: String
    public var status: RunStatus
    /// The scope its effect keys are made under: a run's own id, shared by its reprocessings
    /// (unless they were asked to `--resend`).
    public var effectScope: String
    /// When it finished; nil while it is not finished (claimed, running, waiting).
    public var finishedAt: Date?
    /// The size of its record in the ledger, in bytes.
    public var recordBytes: Int64

    public init(id: String, pipeline: String, status: RunStatus, effectScope: String, finishedAt: Date?, recordBytes: Int64) {
        self.id = id
        self.pipeline = pipeline
        self.status = status
        self.effectScope = effectScope
        self.finishedAt = finishedAt
        self.recordBytes = recordBytes
    }
}
