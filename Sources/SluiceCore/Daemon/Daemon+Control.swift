import Foundation
import Synchronization

/// The daemon controlled in its own process (the HTTP API): the same ledger rules as the
/// command line's `LedgerDaemonControl`, then the state is told at once instead of by a signal.
extension Daemon: DaemonControl {
    public func trigger(_ pipeline: String, parameters: [String: String], files: [String]) throws -> DaemonControlOutcome {
        try fire(ManualTrigger.key, pipeline: pipeline, parameters: parameters, files: files)
    }

    /// Fires the pipeline's fired trigger `key` (`manual`; next, the HTTP server's `webhook`):
    /// the run its `FiredTrigger.start` makes of the firing is recorded and driven. Any fired
    /// trigger goes this way; the daemon knows none by name.
    public func fire(_ key: String, pipeline: String, parameters: [String: String], files: [String] = []) throws -> DaemonControlOutcome {
        let run = try runner.recordFiredRun(trigger: key, pipeline: pipeline, parameters: parameters, files: files)
        send(.runsReady([run]))
        onWake()
        return DaemonControlOutcome(runs: [run], daemon: getpid())
    }

    public func emit(_ event: PipelineEvent) throws -> DaemonControlOutcome {
        let created = try runner.emit(event)
        send(.runsReady(created))
        onWake()
        return DaemonControlOutcome(runs: created, daemon: getpid())
    }

    public func retry(runID: String, wakeText: (RunRecord) -> String) throws -> DaemonControlOutcome {
        let changed = try WaitingRunChange.apply(.retryNow, to: runID, in: runner.ledger, wakeText: wakeText)
        noteLedgerChanged()
        onWake()
        return DaemonControlOutcome(runs: [changed], daemon: getpid())
    }

    public func cancel(runID: String) throws -> DaemonControlOutcome {
        let changed = try WaitingRunChange.apply(.cancel, to: runID, in: runner.ledger, wakeText: { _ in "?" })
        noteLedgerChanged()
        onWake()
        return DaemonControlOutcome(runs: [changed], daemon: getpid())
    }

    public func setPaused(_ pipeline: String, _ paused: Bool) throws -> Bool {
        let changed = try PipelinePause.set(pipeline, paused, runner: runner)
        send(.pausedChanged(pipeline: pipeline, paused: paused, at: clock.now()))
        onWake()
        return changed
    }

    @discardableResult
    public func reloadManifests() throws -> pid_t {
        reload()
        reloadHandler.withLock { $0 }()
        noteChanges(inboxes: [], everything: true)
        onWake()
        return getpid()
    }

    public func status() throws -> DaemonStatus {
        DaemonStatus(pid: getpid(), paused: try runner.ledger.pauses(), waiting: counts.waiting)
    }
}
