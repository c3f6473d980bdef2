import Foundation
import SluiceCore
import Synchronization

/// Failed authentications per client address: after `maximumFailures` within `window`
/// seconds, the address is refused (429) until the window that began with its first failure
/// ends. It reads the injected clock, so tests move time instead of sleeping.
public final class AuthFailureLimiter: Sendable {
    struct Window { var start: Date; var failures: Int }

    public let maximumFailures: Int
    public let window: TimeInterval
    let clock: any RunClock
    /// At most this many addresses are remembered; the oldest windows are forgotten first.
    let maximumAddresses: Int
    private let windows = Mutex<[String: Window]>([:])

    public init(maximumFailures: Int = 10, window: TimeInterval = 60, clock: any RunClock = SystemClock(), maximumAddresses: Int = 10_000) {
        self.maximumFailures = maximumFailures
        self.window = window
        self.clock = clock
        self.maximumAddresses = maximumAddresses
    }

    /// Seconds until `address` may try again; nil when it may now.
    public func refusal(for address: String) -> TimeInterval? {
        let now = clock.now()
        return windows.withLock { w -> TimeInterval? in
            guard let current = w[address] else { return nil }
            let end = current.start + window
            if end <= now {
                w[address] = nil
                return nil
            }
            return current.failures >= maximumFailures ? end.timeIntervalSince(now) : nil
        }
    }

    /// Counts a failed authentication of `address`.
    public func recordFailure(of address: String) {
        let now = clock.now()
        windows.withLock { w in
            if var current = w[address], current.start + window > now {
                current.failures += 1
                w[address] = current
                return
            }
            if w.count >= maximumAddresses {
                w = w.filter { $0.value.start + window > now }
                if w.count >= maximumAddresses, let oldest = w.min(by: { $0.value.start < $1.value.start }) { w[oldest.key] = nil }
            }
            w[address] = Window(start: now, failures: 1)
        }
    }
}
