import ArgumentParser
import Foundation
import SluiceCore
import SluiceSteps
import SluiceStore

/// Shared by `retry` and `cancel`: the change goes through `DaemonControl` (the ledger rules
/// are the library's); when no daemon runs, this process then drives the run.
struct WaitingRunAction {
    let options: WorkspaceOptions

    /// The command line's `DaemonControl` over this workspace: the ledger and a signal.
    static func control(_ options: WorkspaceOptions) throws -> LedgerDaemonControl {
        let ws = try options.existingWorkspace()
        try FileOperations.createDirectory(ws.internalDirectory)
        // Runs are recorded without the workspace lock (the ledger is transactional); only
        // driving them needs it.
        return LedgerDaemonControl(runner: Runner(workspace: ws, ledger: try SQLiteLedger(path: ws.ledgerPath), registry: StepKinds.registry,
                                                  clock: clockFromEnvironment()))
    }

    /// Applies `change` to the run, unless it refuses the run (`wakeText` says when a run at a
    /// wait step wakes, for the refusal).
    func perform(_ id: String, _ change: WaitingRunChange, wakeText: @escaping (RunRecord) -> String = { _ in "?" }) throws {
        let control = try Self.control(options)
        let outcome = change == .retryNow ? try control.retry(runID: id, wakeText: wakeText) : try control.cancel(runID: id)
        guard let changed = outcome.runs.first else { return }
        if let pid = outcome.daemon {
            print("sluice serve (pid \(pid)) takes it up now: \(changed.id) (\(changed.pipeline))")
            return
        }
        let (runner, lock) = try options.runner(observer: ProgressPrinter(live: false, quiet: false, workspace: options.workspace))
        let result = try withExtendedLifetime(lock) { () -> RunRecord in
            guard let fresh = try runner.ledger.run(id: id), let ready = try runner.prepareToResume(fresh, atStart: false) else { return changed }
            return try runner.drive(ready)
        }
        if result.status == .failed && changed.cancelRequested != true { throw ExitCode(1) }
    }
}
