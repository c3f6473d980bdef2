import Foundation

/// A ledger that keeps which pipelines are paused (`sluice pause`): the SQLite ledger does.
/// A paused pipeline's schedule and inbox do nothing and its files wait, until `sluice resume`.
public protocol PauseLedger: Sendable {
    /// The paused pipelines, with when each was paused.
    func pausedPipelines() throws -> [String: Date]
    /// Pauses or resumes a pipeline; returns whether that changed anything.
    @discardableResult
    func setPaused(_ pipeline: String, _ paused: Bool, at date: Date) throws -> Bool
}

extension Ledger {
    /// The paused pipelines, when this ledger keeps them; none otherwise.
    public func pauses() throws -> [String: Date] { try (self as? any PauseLedger)?.pausedPipelines() ?? [:] }
}
