import ServiceLifecycle
import UnixSignals

/// The scheduler loop, and SIGHUP (reload) and SIGUSR1 (the ledger changed: `sluice retry`,
/// `cancel`, `emit`, `pause`, `resume`). Last in the group, so it stops first: nothing new
/// starts once shutdown begins.
public struct SchedulerService: Service {
    public let reload: DaemonReload

    public init(reload: DaemonReload) { self.reload = reload }

    public func run() async throws {
        let daemon = reload.daemon
        let scheduler = reload.scheduler
        scheduler.start()
        let signals = await UnixSignalsSequence(trapping: .sighup, .sigusr1)
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await signal in signals.cancelOnGracefulShutdown() {
                    if signal == .sighup {
                        scheduler.reloadSoon()
                    } else {
                        daemon.noteLedgerChanged()
                        scheduler.poke()
                    }
                }
            }
            try? await gracefulShutdown()
            daemon.beginShutdown()
            group.cancelAll()
        }
        await scheduler.stop()
    }
}
