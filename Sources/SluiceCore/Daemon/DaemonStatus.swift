import Foundation

/// How the daemon is: running or not, the paused pipelines, the runs waiting.
public struct DaemonStatus: Sendable {
    /// Nil: no `sluice serve` runs in the workspace.
    public var pid: pid_t?
    /// Paused pipelines, with when each was paused.
    public var paused: [String: Date]
    /// Runs parked until their wake time (a retry, a wait step).
    public var waiting: Int

    public init(pid: pid_t?, paused: [String: Date], waiting: Int) {
        self.pid = pid
        self.paused = paused
        self.waiting = waiting
    }
}
