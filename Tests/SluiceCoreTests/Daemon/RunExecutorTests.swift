import Dispatch
import Foundation
import Synchronization
import Testing
@testable import SluiceCore

/// The daemon's pool of threads for the blocking runner: every job runs, never more at once
/// than the pool's threads, and jobs beyond them wait their turn.
@Suite struct RunExecutorTests {
    final class Tally: Sendable {
        let counts = Mutex((running: 0, most: 0, done: 0))
    }

    @Test func everyJobRunsAndNoMoreThanThePoolAtOnce() {
        let executor = RunExecutor(maximumThreads: 2)
        let tally = Tally()
        let allDone = DispatchSemaphore(value: 0)
        let gate = DispatchSemaphore(value: 0)
        let jobs = 7
        for _ in 0 ..< jobs {
            executor.execute {
                tally.counts.withLock { $0.running += 1; $0.most = max($0.most, $0.running) }
                // Held until released below, so that the jobs overlap as much as the pool lets them.
                _ = gate.wait(timeout: .now() + 5)
                let finished = tally.counts.withLock { c -> Bool in
                    c.running -= 1
                    c.done += 1
                    return c.done == jobs
                }
                if finished { allDone.signal() }
            }
        }
        for _ in 0 ..< jobs { gate.signal() }
        #expect(allDone.wait(timeout: .now() + 10) == .success, "every job ran")
        let counts = tally.counts.withLock { $0 }
        #expect(counts.done == jobs && counts.most <= 2 && counts.most >= 1)
    }

    @Test func anIdleThreadTakesTheNextJob() {
        let executor = RunExecutor(maximumThreads: 1)
        let done = DispatchSemaphore(value: 0)
        executor.execute { done.signal() }
        #expect(done.wait(timeout: .now() + 5) == .success)
        executor.execute { done.signal() }
        #expect(done.wait(timeout: .now() + 5) == .success, "the thread, idle, woke for the second job")
    }
}
