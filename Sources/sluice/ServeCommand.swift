import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import SluiceCore
import SluiceStore
import UnixSignals

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Keep the workspace running: schedules, watched inboxes, retries, waits and events.",
        discussion: """
        Runs until SIGTERM or SIGINT, then stops gracefully: nothing new starts, and each running run stops at its \
        next checkpoint, to resume when sluice starts again. SIGHUP (or `sluice reload`) reloads the manifests; \
        they are also reloaded when a file in pipelines/ changes. Settings (queues, limit, inbox watching) come \
        from sluice.yaml.
        """)

    @OptionGroup var options: WorkspaceOptions

    func run() async throws {
        let printer = DaemonPrinter(workspace: options.workspace)
        let (runner, lock) = try options.runner(observer: printer, waitForLock: false)
        let ws = runner.workspace
        let (settings, problems) = DaemonSettings.load(path: ws.root + "/sluice.yaml")
        if problems.hasErrors {
            for d in problems.errors { printDiagnostic(d.description) }
            throw CommandFailure("sluice.yaml has \(problems.errors.count) error(s); not started")
        }
        let daemon = Daemon(runner: runner, settings: settings, logger: Logger(label: "sluice.daemon"))
        let loop = DaemonLoop(daemon: daemon)
        daemon.onWake = { loop.poke() }
        let control = DaemonControl(workspace: ws)
        try control.writePID()
        defer { control.removePID() }

        // A manifest change reloads and re-syncs the watched inbox folders; the watcher is set
        // once, before it starts.
        nonisolated(unsafe) var current: InboxWatcher?
        let reloadAll: @Sendable () -> Void = {
            daemon.reload()
            if let w = current { Self.watchFolders(w, daemon: daemon, workspace: ws) }
            daemon.noteChanges(inboxes: [], everything: true)
            loop.poke()
        }
        let watcher: InboxWatcher? = settings.watch != .inotify ? nil : try InboxWatcher { changes in
            if changes.contains(.manifests) || changes.contains(.overflow) { reloadAll() }
            daemon.noteChanges(inboxes: changes.compactMap { if case let .inbox(p) = $0 { p } else { nil } })
            loop.poke()
        }
        current = watcher
        daemon.reload()
        if let watcher {
            try watcher.watch(ws.pipelines, as: .manifests)
            Self.watchFolders(watcher, daemon: daemon, workspace: ws)
        }
        let startLine = "sluice serve: \(daemon.pipelines.count) pipeline(s), queues \(settings.queuesByPriority.map { "\($0.name)×\($0.workers)" }.joined(separator: " ")), limit \(settings.limit), \(settings.watch == .inotify ? "watching inboxes with inotify" : "polling inboxes every \(settings.pollInterval)s") (pid \(getpid()))"

        let logger = Logger(label: "sluice.serve")
        let group = ServiceGroup(
            services: [
                RunService(daemon: daemon, printer: printer, startLine: startLine),
                WatchService(watcher: watcher, wake: { loop.poke() }),
                SchedulerService(loop: loop, daemon: daemon, reload: reloadAll),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger)
        try await group.run()
        _ = lock
        printer.say("sluice serve: stopped")
    }

    /// Watches every inbox of the pipelines in effect (new ones after a reload too).
    static func watchFolders(_ watcher: InboxWatcher, daemon: Daemon, workspace: Workspace) {
        let wanted = daemon.inboxFolders
        let current = watcher.watchedPaths
        for (name, path) in wanted where !current.contains(path) {
            do { try watcher.watch(path, as: .inbox(name)) } catch {
                FileHandle.standardError.write(Data("cannot watch \(path): \(error); the periodic rescan still finds its files\n".utf8))
            }
        }
        let keep = Set(wanted.values).union([workspace.pipelines])
        for path in current where !keep.contains(path) { watcher.unwatch(path) }
    }
}

/// The runs: on shutdown, asks them to stop at their next checkpoint and waits for them.
/// First in the group, so it shuts down last.
struct RunService: Service {
    let daemon: Daemon
    let printer: DaemonPrinter
    /// Printed once the group runs, when SIGTERM and SIGINT already stop it gracefully.
    let startLine: String

    func run() async throws {
        printer.say(startLine)
        try? await gracefulShutdown()
        let (running, _, _) = daemon.counts
        if running > 0 { printer.say("stopping: \(running) run(s) finish their current stage") }
        daemon.beginShutdown()
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            Thread {
                daemon.waitUntilIdle()
                c.resume()
            }.start()
        }
    }
}

/// The inotify watcher (none when polling).
struct WatchService: Service {
    let watcher: InboxWatcher?
    let wake: @Sendable () -> Void

    func run() async throws {
        watcher?.start()
        wake()
        try? await gracefulShutdown()
        watcher?.stop()
    }
}

/// The scheduler loop, and SIGHUP (reload) and SIGUSR1 (the ledger changed). Last in the
/// group, so it stops first: nothing new starts once shutdown begins.
struct SchedulerService: Service {
    let loop: DaemonLoop
    let daemon: Daemon
    let reload: @Sendable () -> Void

    func run() async throws {
        loop.start()
        let signals = await UnixSignalsSequence(trapping: .sighup, .sigusr1)
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await signal in signals.cancelOnGracefulShutdown() {
                    if signal == .sighup {
                        reload()
                    } else {
                        daemon.noteLedgerChanged()
                        loop.poke()
                    }
                }
            }
            try? await gracefulShutdown()
            daemon.beginShutdown()
            group.cancelAll()
        }
        loop.stop()
    }
}
