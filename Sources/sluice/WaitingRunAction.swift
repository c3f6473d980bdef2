import ArgumentParser
import Foundation
import SluiceCore
import SluiceSteps
import SluiceStore

/// Shared by `retry` and `cancel`: change a waiting run in the ledger, then have the daemon
/// (or, when none runs, this process) act on it.
struct WaitingRunAction {
    let options: WorkspaceOptions

    /// Applies `change` to the run, unless it refuses the run (`wakeText` says when a run at a
    /// wait step wakes, for the refusal).
    func perform(_ id: String, _ change: WaitingRunChange, wakeText: (RunRecord) -> String = { _ in "?" }) throws {
        let ledger = try options.ledger()
        var problem: String?
        let found = try ledger.modify(id: id) { r in
            problem = change.refusal(of: r, wakeText: wakeText)
            guard problem == nil else { return false }
            change.apply(to: &r)
            return true
        }
        guard let changed = found else { throw CommandFailure("no run '\(id)'; `sluice runs --status waiting` lists the waiting ones") }
        if let problem { throw CommandFailure(problem) }
        let control = DaemonControl(workspace: options.workspace)
        if let pid = control.runningDaemon() {
            control.poke(pid)
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
