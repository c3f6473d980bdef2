import Foundation

/// The one way to control a daemon: start a run of a pipeline with parameters, deliver an
/// event, retry or cancel a waiting run, pause or resume a pipeline, reload the manifests, ask
/// how it is. The command line reaches a `sluice serve` through the ledger and a signal
/// (`LedgerDaemonControl`); in its own process the daemon answers directly (`Daemon`), as the
/// HTTP API will call it.
public protocol DaemonControl: Sendable {
    /// Records a manual run of `pipeline` (its files copied, never moved) for the daemon to drive.
    func trigger(_ pipeline: String, parameters: [String: String], files: [String]) throws -> DaemonControlOutcome
    /// Delivers a named event: each listening pipeline gets a run, once per event id.
    func emit(_ event: PipelineEvent) throws -> DaemonControlOutcome
    /// Runs the next attempt of a run waiting for a retry now. `wakeText` says when a run at a
    /// wait step wakes, for the refusal.
    func retry(runID: String, wakeText: (RunRecord) -> String) throws -> DaemonControlOutcome
    /// Gives up a waiting run: it fails, and its input goes to the archive with the reason.
    func cancel(runID: String) throws -> DaemonControlOutcome
    /// Pauses a pipeline (true) or resumes it (false): paused, its schedule and inbox do nothing
    /// and its files wait. Returns whether that changed anything.
    func setPaused(_ pipeline: String, _ paused: Bool) throws -> Bool
    /// Reloads the manifests (a manifest with errors keeps its previous version running);
    /// returns the pid of the daemon that does.
    @discardableResult
    func reloadManifests() throws -> pid_t
    /// The daemon and what waits.
    func status() throws -> DaemonStatus
}

/// What a control command did.
public struct DaemonControlOutcome: Sendable {
    /// The runs it created or changed.
    public var runs: [RunRecord]
    /// The daemon that takes them up; nil when none runs (the caller drives them itself).
    public var daemon: pid_t?
    /// Manifests with errors met on the way (they receive nothing until fixed).
    public var broken: [ManifestLoader.Loaded] = []

    public init(runs: [RunRecord], daemon: pid_t?, broken: [ManifestLoader.Loaded] = []) {
        self.runs = runs
        self.daemon = daemon
        self.broken = broken
    }
}

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

/// A control command refused (no such run or pipeline, a run in the wrong state): the message
/// is for the person who asked.
public struct DaemonControlError: Error, CustomStringConvertible, LocalizedError {
    public var description: String
    public init(_ description: String) { self.description = description }
    public var errorDescription: String? { description }
}
