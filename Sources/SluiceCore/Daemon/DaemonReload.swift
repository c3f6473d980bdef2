import Foundation

/// A reload of the daemon's manifests (SIGHUP, `sluice reload`, a file changed in pipelines/):
/// the manifests are read again, the watched inbox folders follow them, and every inbox is
/// looked at on the tick it asks for.
public struct DaemonReload: Sendable {
    public let daemon: Daemon
    /// Nil when inboxes are polled.
    public let watcher: InboxWatcher?
    public let scheduler: SchedulerLoop

    public init(daemon: Daemon, watcher: InboxWatcher?, scheduler: SchedulerLoop) {
        self.daemon = daemon
        self.watcher = watcher
        self.scheduler = scheduler
    }

    public func callAsFunction() {
        daemon.reload()
        watchFolders()
        daemon.noteChanges(inboxes: [], everything: true)
        scheduler.poke()
    }

    /// Watches every inbox of the pipelines in effect (new ones after a reload too) and
    /// pipelines/, and stops watching the others.
    public func watchFolders() {
        guard let watcher else { return }
        let workspace = daemon.runner.workspace
        let wanted = daemon.inboxFolders
        let current = watcher.watchedPaths
        if !current.contains(workspace.pipelines) {
            do { try watcher.watch(workspace.pipelines, as: .manifests) } catch {
                daemon.runner.observer.notice("cannot watch \(workspace.pipelines): \(error); `sluice reload` still reloads the manifests")
            }
        }
        for (name, path) in wanted where !current.contains(path) {
            do { try watcher.watch(path, as: .inbox(name)) } catch {
                FileHandle.standardError.write(Data("cannot watch \(path): \(error); the periodic rescan still finds its files\n".utf8))
            }
        }
        let keep = Set(wanted.values).union([workspace.pipelines])
        for path in current where !keep.contains(path) { watcher.unwatch(path) }
    }
}
