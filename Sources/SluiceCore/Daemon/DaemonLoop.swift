import Foundation

/// The daemon's own thread: ticks, then sleeps until the next thing due or until poked (a
/// watched folder changed, a run ended, a signal came). Asleep, it uses no CPU at all, however
/// many pipelines are scheduled.
public final class DaemonLoop: @unchecked Sendable {
    let daemon: Daemon
    private let condition = NSCondition()
    private var poked = false
    private var stopped = false
    private var finished = false
    /// The longest sleep: the loop looks again at least this often.
    public var longestSleep: TimeInterval = 3600

    public init(daemon: Daemon) {
        self.daemon = daemon
    }

    /// Starts the thread.
    public func start() {
        let t = Thread { [self] in run() }
        t.name = "sluice-scheduler"
        t.start()
    }

    /// Wakes the loop for a tick now.
    public func poke() {
        condition.lock()
        poked = true
        condition.signal()
        condition.unlock()
    }

    /// Ends the loop after its current tick and waits for it.
    public func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }

    func run() {
        while true {
            let next = daemon.tick()
            condition.lock()
            if !poked && !stopped {
                // The daemon's clock may be offset from the machine's (tests): sleep the difference.
                let delay = min(longestSleep, max(0, (next ?? .distantFuture).timeIntervalSince(daemon.clock.now())))
                if delay > 0 { _ = condition.wait(until: Date() + delay) }
            }
            poked = false
            if stopped {
                finished = true
                condition.broadcast()
                condition.unlock()
                return
            }
            condition.unlock()
        }
    }
}
