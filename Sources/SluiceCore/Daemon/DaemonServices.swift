import Logging
import ServiceLifecycle
import UnixSignals

/// `sluice serve` as one `ServiceGroup`: the runs (the run executor), the inbox watcher and the
/// scheduler (with the source pollers and the prune it drives), started in that order and shut
/// down in reverse on SIGTERM or SIGINT: the scheduler stops first (nothing new starts), the
/// watcher next, and the runs last, once each has stopped at its next checkpoint.
public struct DaemonServices: Sendable {
    public let daemon: Daemon
    public let reload: DaemonReload

    /// Inboxes are watched with inotify when sluice.yaml says so (else they are polled).
    public init(daemon: Daemon) throws {
        self.daemon = daemon
        let watcher = daemon.settings.watch == .inotify ? try InboxWatcher() : nil
        reload = DaemonReload(daemon: daemon, watcher: watcher, scheduler: SchedulerLoop(daemon: daemon))
        daemon.onWake = { [scheduler = reload.scheduler] in scheduler.poke() }
        daemon.onReload = { [reload] in reload.watchFolders() }
        reload.scheduler.onReload { [reload] in reload() }
    }

    /// Loads the manifests and watches their folders.
    public func load() {
        daemon.reload()
        reload.watchFolders()
    }

    /// Runs until SIGTERM or SIGINT, then shuts down gracefully. `added` services (the HTTP API)
    /// start after the daemon's and stop first: once shutdown begins they take no new work, then
    /// the scheduler, the watcher and the runs stop as above.
    public func run(startLine: String, say: @escaping @Sendable (String) -> Void, logger: Logger,
                    adding added: [any Service] = []) async throws {
        let daemonServices: [any Service] = [
            RunsService(daemon: daemon, startLine: startLine, say: say),
            InboxWatchService(reload: reload),
            SchedulerService(reload: reload),
        ]
        let group = ServiceGroup(
            services: daemonServices + added,
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger)
        try await group.run()
    }
}
