import Foundation

/// What the ledger says about an `Idempotency-Key` a trigger carries.
public enum TriggerKeyClaim: Sendable, Equatable {
    /// The key is new and now held by the caller: start the run, then `completeTriggerKey`.
    case claimed
    /// A run was already started with this key.
    case started(runID: String)
    /// Another request holds the key and has not said which run it started yet.
    case pending
    /// The key was claimed at `since` by a request that never said which run it started (its
    /// process died): it is now the caller's, who looks in the ledger for that run first.
    case abandoned(since: Date)
}

/// A ledger that keeps the idempotency keys of triggers (the HTTP API's `Idempotency-Key`), so
/// that the same key never starts two runs of a pipeline: the SQLite ledger does.
public protocol TriggerKeyStore: Sendable {
    /// Claims `key` for `pipeline` in one transaction. A claim left pending for longer than
    /// `staleAfter` seconds is taken over (`.abandoned`).
    func claimTriggerKey(_ key: String, pipeline: String, at date: Date, staleAfter: TimeInterval) throws -> TriggerKeyClaim
    /// Records the run a claimed key started.
    func completeTriggerKey(_ key: String, pipeline: String, runID: String) throws
    /// Gives a claimed key up (the run could not be started): the next request may try again.
    func releaseTriggerKey(_ key: String, pipeline: String) throws
}
