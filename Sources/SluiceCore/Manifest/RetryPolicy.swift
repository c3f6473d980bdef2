import Foundation

/// How a run retries after a transient failure (a network error, a timeout, HTTP 5xx or 429,
/// a locked database): `retry: { attempts: 10, backoff: exponential, initial: 30s, max: 1h,
/// jitter: true }`. `attempts` counts every try, the first included: 1 means never retry.
/// Permanent failures (bad input, validation, HTTP 4xx) never retry.
public struct RetryPolicy: Sendable, Hashable, Decodable {
    public enum Backoff: String, Sendable, Hashable, Decodable, CaseIterable {
        /// initial, 2×, 4×, 8×, ... up to `max`.
        case exponential
        /// initial, 2×, 3×, ... up to `max`.
        case linear
        /// Always `initial`.
        case fixed

        public init(from decoder: any Decoder) throws {
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let value = Backoff(rawValue: text) else {
                throw ManifestDecodingError("unknown backoff '\(text)'; use exponential, linear or fixed",
                                            at: (decoder as? any LocatedDecoder)?.location)
            }
            self = value
        }
    }

    public var attempts: Int?
    public var backoff: Backoff?
    public var initial: DurationValue?
    public var max: DurationValue?
    public var jitter: Bool?

    public init(attempts: Int? = nil, backoff: Backoff? = nil, initial: DurationValue? = nil, max: DurationValue? = nil, jitter: Bool? = nil) {
        self.attempts = attempts
        self.backoff = backoff
        self.initial = initial
        self.max = max
        self.jitter = jitter
    }

    /// Close to Hangfire's: 10 attempts with growing delays, from 30 seconds to an hour.
    public static let defaults = RetryPolicy(attempts: 10, backoff: .exponential, initial: .seconds(30), max: .seconds(3600), jitter: true)

    /// This policy's settings, the others' where this one is silent.
    public func over(_ base: RetryPolicy) -> RetryPolicy {
        RetryPolicy(attempts: attempts ?? base.attempts, backoff: backoff ?? base.backoff, initial: initial ?? base.initial,
                    max: max ?? base.max, jitter: jitter ?? base.jitter)
    }

    public var maximumAttempts: Int { over(.defaults).attempts! }

    /// What is wrong with the settings, if anything.
    public var problem: String? {
        if let a = attempts, a < 1 || a > 1000 { return "'attempts' is between 1 (never retry) and 1000, not \(a)" }
        if let i = initial, i.milliseconds <= 0 { return "'initial' must be longer than 0s" }
        if let i = initial, let m = max, m < i { return "'max' (\(m)) is shorter than 'initial' (\(i))" }
        return nil
    }

    /// The delay before attempt `attempt + 1`, after attempt `attempt` failed. `unit` in
    /// [0, 1) spreads jittered delays between 50% and 100% of the computed one, so runs that
    /// failed together do not all come back at the same second.
    public func delay(afterAttempt attempt: Int, unit: Double) -> TimeInterval {
        let p = over(.defaults)
        let first = p.initial!.seconds
        let n = Double(Swift.max(1, attempt))
        var d: Double
        switch p.backoff! {
        case .exponential: d = first * pow(2, Swift.min(n - 1, 40))
        case .linear: d = first * n
        case .fixed: d = first
        }
        d = Swift.min(d, p.max!.seconds)
        if p.jitter! { d *= 0.5 + 0.5 * Swift.min(Swift.max(unit, 0), 1) }
        return Swift.max(d, 0.001)
    }
}
