import Foundation

/// What `sluice retry` and `sluice cancel` do to a waiting run in the ledger, and which runs
/// they refuse: a retry only takes a run waiting for its next attempt, a cancel any waiting run.
/// Both wake the run now, so the daemon (or the command itself) acts on it at once.
public enum WaitingRunChange: Sendable, Equatable {
    /// Run the next attempt now instead of at its planned time.
    case retryNow
    /// Give the run up: it fails, its input goes to the archive with the reason.
    case cancel

    /// Why `run` cannot be changed this way, as the user reads it; nil when it can.
    /// `wakeText` says when a run at a wait step wakes (in its pipeline's time zone).
    public func refusal(of run: RunRecord, wakeText: (RunRecord) -> String) -> String? {
        switch self {
        case .retryNow:
            guard run.status == .waiting && run.waitingFor == "retry" else {
                return "run \(run.id) is \(run.status == .waiting ? "at a wait step until \(wakeText(run))" : run.status.rawValue), not waiting for a retry"
            }
            return nil
        case .cancel:
            return run.status == .waiting ? nil : "run \(run.id) is \(run.status.rawValue); only a waiting run can be cancelled"
        }
    }

    /// Applies `change` to run `id` in the ledger, in one transaction, unless it refuses the run
    /// (`wakeText` says when a run at a wait step wakes, for the refusal). Returns the run changed.
    public static func apply(_ change: WaitingRunChange, to id: String, in ledger: any Ledger,
                             wakeText: (RunRecord) -> String) throws -> RunRecord {
        var problem: String?
        let found = try ledger.modify(id: id) { r in
            problem = change.refusal(of: r, wakeText: wakeText)
            guard problem == nil else { return false }
            change.apply(to: &r)
            return true
        }
        guard let changed = found else { throw DaemonControlError("no run '\(id)'; `sluice runs --status waiting` lists the waiting ones") }
        if let problem { throw DaemonControlError(problem) }
        return changed
    }

    /// Changes an accepted run: a cancel marks it as asked to give up; both wake it now.
    public func apply(to run: inout RunRecord) {
        if self == .cancel { run.cancelRequested = true }
        run.state = nil  // read anew from the fields (the wake time changed)
        run.wakeAt = Date(timeIntervalSince1970: 0)
    }
}
