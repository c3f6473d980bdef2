import Foundation

/// `DaemonControl` from another process (the command line): every change goes into the
/// ledger, which is transactional and needs no workspace lock, then a running `sluice serve`
/// is told to look (SIGUSR1; SIGHUP to reload). With no daemon running, the outcome says so
/// and the caller drives the runs itself.
public struct LedgerDaemonControl: DaemonControl {
    /// Records runs (it needs no workspace lock; driving them does).
    public let runner: Runner
    public let pidFile: DaemonPIDFile

    public init(runner: Runner) {
        self.runner = runner
        pidFile = DaemonPIDFile(workspace: runner.workspace)
    }

    /// Tells the daemon, if one runs, that the ledger changed; returns its pid.
    func poke() -> pid_t? {
        guard let pid = pidFile.runningDaemon() else { return nil }
        pidFile.poke(pid)
        return pid
    }

    public func trigger(_ pipeline: String, parameters: [String: String], files: [String]) throws -> DaemonControlOutcome {
        let run = try runner.recordManualRun(pipeline: pipeline, parameters: parameters, files: files)
        return DaemonControlOutcome(runs: [run], daemon: poke())
    }

    public func emit(_ event: PipelineEvent) throws -> DaemonControlOutcome {
        let (_, broken) = runner.loadManifests()
        let created = try runner.emit(event)
        return DaemonControlOutcome(runs: created, daemon: created.isEmpty ? pidFile.runningDaemon() : poke(), broken: broken)
    }

    public func retry(runID: String, wakeText: (RunRecord) -> String) throws -> DaemonControlOutcome {
        try change(runID, .retryNow, wakeText: wakeText)
    }

    public func cancel(runID: String) throws -> DaemonControlOutcome {
        try change(runID, .cancel, wakeText: { _ in "?" })
    }

    func change(_ id: String, _ change: WaitingRunChange, wakeText: (RunRecord) -> String) throws -> DaemonControlOutcome {
        let changed = try WaitingRunChange.apply(change, to: id, in: runner.ledger, wakeText: wakeText)
        return DaemonControlOutcome(runs: [changed], daemon: poke())
    }

    public func setPaused(_ pipeline: String, _ paused: Bool) throws -> Bool {
        let changed = try PipelinePause.set(pipeline, paused, runner: runner)
        _ = poke()
        return changed
    }

    @discardableResult
    public func reloadManifests() throws -> pid_t {
        guard let pid = pidFile.runningDaemon() else {
            throw DaemonControlError("no sluice serve is running in \(runner.workspace.root); start it with `sluice serve`")
        }
        pidFile.reload(pid)
        return pid
    }

    public func status() throws -> DaemonStatus {
        DaemonStatus(pid: pidFile.runningDaemon(), paused: try runner.ledger.pauses(),
                     waiting: try runner.ledger.unfinishedRuns().filter { $0.status == .waiting }.count)
    }
}
