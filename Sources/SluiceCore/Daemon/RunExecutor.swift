import Dispatch
import Foundation
import Synchronization

/// A bounded pool of threads for the blocking runner (file and SQLite calls): a run never
/// occupies the cooperative pool. Threads start as work comes, up to `maximumThreads`; work
/// beyond that waits its turn. Idle threads sleep on a semaphore (no CPU).
public final class RunExecutor: JobExecutor {
    struct Pool {
        var queue: [@Sendable () -> Void] = []
        var threads = 0
        var idle = 0
    }

    public let maximumThreads: Int
    private let pool = Mutex(Pool())
    private let available = DispatchSemaphore(value: 0)

    public init(maximumThreads: Int) { self.maximumThreads = max(1, maximumThreads) }

    public func execute(_ work: @escaping @Sendable () -> Void) {
        enum Next { case wakeIdle, startThread, waitTurn }
        let next = pool.withLock { p -> Next in
            p.queue.append(work)
            if p.idle > 0 {
                p.idle -= 1
                return .wakeIdle
            }
            guard p.threads < maximumThreads else { return .waitTurn }
            p.threads += 1
            return .startThread
        }
        switch next {
        case .wakeIdle: available.signal()
        case .waitTurn: break // a busy thread takes it when its job ends
        case .startThread:
            let t = Thread { [self] in workLoop() }
            t.name = "sluice-run"
            t.stackSize = 8 << 20
            t.start()
        }
    }

    private func workLoop() {
        while true {
            let next = pool.withLock { p -> (@Sendable () -> Void)? in
                if p.queue.isEmpty {
                    p.idle += 1
                    return nil
                }
                return p.queue.removeFirst()
            }
            if let next { next() } else { available.wait() }
        }
    }
}
