import Foundation

/// `.sluice/serve.pid`: how the other commands find a running `sluice serve`, and the signals
/// they send it.
public struct DaemonPIDFile: Sendable {
    public let workspace: Workspace

    public init(workspace: Workspace) { self.workspace = workspace }

    public var path: String { workspace.internalDirectory + "/serve.pid" }

    /// Records this process as the workspace's daemon.
    public func write() throws {
        try FileOperations.writeAtomically("\(getpid())\n", to: path)
    }

    /// Forgets it (on a clean stop).
    public func remove() { unlink(path) }

    /// The pid of the `sluice serve` working this workspace, if one is.
    public func runningDaemon() -> pid_t? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8), let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { return nil }
        // The daemon holds the workspace lock for its whole life.
        if (try? WorkspaceLock(path: workspace.lockPath, wait: false)) != nil { return nil }
        return kill(pid, 0) == 0 ? pid : nil
    }

    /// Tells the daemon to look at the ledger again (SIGUSR1).
    public func poke(_ pid: pid_t) { kill(pid, SIGUSR1) }

    /// Tells the daemon to reload the manifests (SIGHUP).
    public func reload(_ pid: pid_t) { kill(pid, SIGHUP) }
}
