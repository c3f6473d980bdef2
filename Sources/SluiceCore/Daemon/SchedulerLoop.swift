import Dispatch
import Foundation
import Synchronization

/// The daemon's own thread: ticks, then sleeps until the next thing due or until poked (a
/// watched folder changed, a run ended, a signal came). Asleep, it uses no CPU at all, however
/// many pipelines are scheduled. A tick reads the ledger and the folders, so it never runs on
/// the cooperative pool.
public final class SchedulerLoop: Sendable {
    struct Flags {
        var poked = false
        var reloadAsked = false
        var stopped = false
        var finished = false
        var stopWaiter: CheckedContinuation<Void, Never>?
    }

    let daemon: Daemon
    /// The longest sleep: the loop looks again at least this often.
    public let longestSleep: TimeInterval
    private let flags = Mutex(Flags())
    private let doorbell = DispatchSemaphore(value: 0)
    /// What a reload does (set by `DaemonServices`): it reads files and the ledger, so it runs
    /// on this thread, before a tick.
    private let reloadAction = Mutex<@Sendable () -> Void>({})

    public init(daemon: Daemon, longestSleep: TimeInterval = 3600) {
        self.daemon = daemon
        self.longestSleep = longestSleep
    }

    /// Starts the thread.
    public func start() {
        let t = Thread { [self] in run() }
        t.name = "sluice-scheduler"
        t.start()
    }

    /// Wakes the loop for a tick now.
    public func poke() {
        let ring = flags.withLock { f -> Bool in
            defer { f.poked = true }
            return !f.poked
        }
        if ring { doorbell.signal() }
    }

    /// Sets what `reloadSoon` does.
    public func onReload(_ action: @escaping @Sendable () -> Void) { reloadAction.withLock { $0 = action } }

    /// Reloads (SIGHUP) on the loop's thread, then ticks.
    public func reloadSoon() {
        flags.withLock { $0.reloadAsked = true }
        poke()
    }

    /// Ends the loop after its current tick; returns once it has.
    public func stop() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let done = flags.withLock { f -> Bool in
                f.stopped = true
                if f.finished { return true }
                f.stopWaiter = c
                return false
            }
            if done { c.resume() } else { doorbell.signal() }
        }
    }

    func run() {
        while true {
            if flags.withLock({ f in defer { f.reloadAsked = false }; return f.reloadAsked }) {
                reloadAction.withLock { $0 }()
            }
            let next = daemon.tick()
            let sleep = flags.withLock { !$0.poked && !$0.stopped }
            if sleep {
                // The daemon's clock may be offset from the machine's (tests): sleep the difference.
                let delay = min(longestSleep, max(0, (next ?? .distantFuture).timeIntervalSince(daemon.clock.now())))
                if delay > 0 { _ = doorbell.wait(timeout: .now() + delay) }
            }
            let stopped = flags.withLock { f -> Bool in
                f.poked = false
                return f.stopped
            }
            // Rings already answered by the tick to come.
            while doorbell.wait(timeout: .now()) == .success {}
            if stopped {
                let waiter = flags.withLock { f -> CheckedContinuation<Void, Never>? in
                    f.finished = true
                    defer { f.stopWaiter = nil }
                    return f.stopWaiter
                }
                waiter?.resume()
                return
            }
        }
    }
}
