import ServiceLifecycle

/// The inotify watcher of the inboxes and of pipelines/ (nothing when inboxes are polled): a
/// change pokes the scheduler, a manifest change reloads.
public struct InboxWatchService: Service {
    public let reload: DaemonReload

    public init(reload: DaemonReload) { self.reload = reload }

    public func run() async throws {
        if let watcher = reload.watcher {
            let daemon = reload.daemon
            let scheduler = reload.scheduler
            watcher.onChange { changes in
                // The reload reads files and the ledger: on the scheduler's thread, before its tick.
                if changes.contains(.manifests) || changes.contains(.overflow) { scheduler.reloadSoon() }
                daemon.noteChanges(inboxes: changes.compactMap { if case let .inbox(p) = $0 { p } else { nil } })
                scheduler.poke()
            }
            watcher.start()
        }
        reload.scheduler.poke()
        try? await gracefulShutdown()
        reload.watcher?.stop()
    }
}
