import ArgumentParser
import Foundation
import SluiceCore
import SluiceSteps
import SluiceStore

/// `.sluice/serve.pid`: how the other commands find a running `sluice serve`.
struct DaemonControl {
    let workspace: Workspace

    var pidPath: String { workspace.internalDirectory + "/serve.pid" }

    func writePID() throws {
        try FileOperations.writeAtomically("\(getpid())\n", to: pidPath)
    }

    func removePID() { unlink(pidPath) }

    /// The pid of the `sluice serve` working this workspace, if one is.
    func runningDaemon() -> pid_t? {
        guard let text = try? String(contentsOfFile: pidPath, encoding: .utf8), let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { return nil }
        // The daemon holds the workspace lock for its whole life.
        if (try? WorkspaceLock(path: workspace.lockPath, wait: false)) != nil { return nil }
        return kill(pid, 0) == 0 ? pid : nil
    }

    /// Tells the daemon to look at the ledger again.
    func poke(_ pid: pid_t) { kill(pid, SIGUSR1) }
}
