import Foundation

/// What happens to the daemon, as `DaemonState` takes it: time passing, files seen, runs ending,
/// commands, reloads, and the answers to what it asked the driver to read.
public enum DaemonEvent: Sendable {
    /// Time passed: do what is due at this instant.
    case tick(Date)
    /// The manifests in effect now, with those whose version changed (`DaemonState.reloaded`).
    case manifestsLoaded([String: Manifest], changed: Set<String>, at: Date)
    /// The last slot a pipeline's trigger (`schedule`) started a run for (nil: never), as the ledger says.
    case lastSlotRead(pipeline: String, trigger: String = ScheduleTrigger.key, last: Date?)
    /// A watcher saw these inboxes change (`everything`: look at all, events were lost).
    case inboxesChanged([String], everything: Bool)
    /// A look at an inbox: the files ready now, and when the earliest young one settles.
    case inboxScanned(pipeline: String, ready: [InboxScanner.Candidate], settlesAt: Date?)
    /// Runs created or made ready to go on (a scheduled slot, a resumed or woken run).
    case runsReady([RunRecord])
    /// Another process changed the ledger (`sluice retry`, `cancel`, `emit`, `pause`).
    case ledgerChanged
    /// The ledger's unfinished runs and paused pipelines, read for `readLedger`.
    case ledgerRead(open: [RunRecord], paused: Set<String>, atStart: Bool, at: Date)
    /// A job ended: the run as it ended (nil when none was created, or on an error), and
    /// whether that run started followers (which left new runs in the ledger).
    case jobFinished(DaemonTicket, result: RunRecord?, startedFollowers: Bool, at: Date)
    /// The retention prune ended.
    case pruned(at: Date)
    /// The paused pipelines, as the ledger says (read at each reload, and with the open runs).
    case pausedRead(Set<String>, at: Date)
    /// A pipeline was paused (true) or resumed (false).
    case pausedChanged(pipeline: String, paused: Bool, at: Date)
    /// Shutdown began: nothing new starts.
    case shutdown
}
