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
