import Foundation

/// What `DaemonState` asks its driver to do. Everything here is I/O (the ledger, the folders,
/// the runner); its outcome comes back as a `DaemonEvent`.
public enum DaemonAction: Sendable {
    /// Read the last slot this pipeline's trigger (`schedule`) started a run for → `lastSlotRead`.
    case readLastSlot(String, trigger: String)
    /// Create the runs of these slots of the pipeline's trigger (`schedule`) → `runsReady`.
    case startScheduled(Manifest, slots: [Date], trigger: String)
    /// Read the unfinished runs and the paused pipelines → `ledgerRead`.
    case readLedger(atStart: Bool)
    /// Prepare this run, found in the ledger, to go on → `runsReady`.
    case resume(RunRecord, atStart: Bool)
    /// Read this parked run again and prepare it to go on (its wake time came) → `runsReady`.
    case wake(runID: String)
    /// Look at the pipeline's inbox without waiting → `inboxScanned`.
    case scan(Manifest)
    /// Prune by the retention of sluice.yaml, on the executor → `pruned`.
    case prune(DurationValue)
    /// Tell the user (the daemon's output).
    case notice(String)
}
