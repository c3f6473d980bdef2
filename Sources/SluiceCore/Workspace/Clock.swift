import Foundation

/// Where the runner gets the time and its random run-id suffixes: injected, so tests and
/// crash-recovery checks are deterministic.
public protocol RunClock: Sendable {
    func now() -> Date
    /// Waits (really or not) until `date`; a test clock just advances.
    func sleep(until date: Date)
    func randomSuffix() -> String
}

/// The machine's clock.
public struct SystemClock: RunClock {
    public init() {}
    public func now() -> Date { Date() }
    public func sleep(until date: Date) {
        let d = date.timeIntervalSinceNow
        if d > 0 { Thread.sleep(forTimeInterval: d) }
    }
    public func randomSuffix() -> String {
        String((0 ..< 6).map { _ in "0123456789abcdef".randomElement()! })
    }
}

/// The clock the CLI uses: the system's, unless `SLUICE_CLOCK` fixes the start time
/// (ISO 8601, e.g. `2026-11-21T08:00:00Z`), which the test suite uses to compare the
/// outputs of a crashed run with those of an uninterrupted one.
public func clockFromEnvironment() -> any RunClock {
    let env = ProcessInfo.processInfo.environment
    if let fixed = env["SLUICE_CLOCK"], let date = ISO8601DateFormatter().date(from: fixed) {
        return FixedStartClock(start: date)
    }
    return SystemClock()
}

/// Real time offset so that the first reading is `start`; run-id suffixes stay random, so runs in
/// different processes get different ids.
public struct FixedStartClock: RunClock {
    let offset: TimeInterval
    public init(start: Date) {
        offset = start.timeIntervalSinceNow
    }
    public func now() -> Date { Date() + offset }
    public func sleep(until date: Date) { SystemClock().sleep(until: date - offset) }
    public func randomSuffix() -> String { SystemClock().randomSuffix() }
}
