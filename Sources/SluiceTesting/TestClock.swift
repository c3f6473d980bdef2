import Foundation
import SluiceCore
import Synchronization

/// A clock for tests: starts at a fixed instant, advances only when asked or slept on,
/// and derives run-id suffixes from a counter. Lives here, not in SluiceCore: nothing in the
/// product may run on it.
public final class TestClock: RunClock {
    private let state: Mutex<(now: Date, counter: Int)>

    public init(_ start: Date) { state = Mutex((start, 0)) }

    public func now() -> Date { state.withLock { $0.now } }
    public func advance(by seconds: TimeInterval) { state.withLock { $0.now += seconds } }
    public func sleep(until date: Date) { state.withLock { if date > $0.now { $0.now = date } } }
    public func randomSuffix() -> String {
        state.withLock {
            $0.counter += 1
            return String(format: "%06x", $0.counter)
        }
    }
}
