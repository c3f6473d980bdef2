import Foundation

/// A trigger the daemon looks after (an inbox, a schedule, a pipeline's sources): for each
/// pipeline that has it, the daemon keeps the trigger's `Watch`, asks at each tick what is due
/// (`due`) and when to look next (`nextLook`), and does the `TriggerWork` it is given. The
/// daemon knows no trigger by name: it iterates the watched triggers a pipeline has.
public protocol WatchedTrigger: Trigger {
    /// What the trigger remembers of one pipeline between looks (the schedule's next slot).
    associatedtype Watch: Sendable

    /// Whether the watch starts from the last run the trigger started, read from the ledger
    /// (`DaemonAction.readLastSlot`, the slots `startScheduled` recorded under its key);
    /// without, it starts at once from `startedAt`.
    static var startsFromLastRun: Bool { get }

    /// The watch of a pipeline, when the daemon starts or the pipeline's manifest changed in a
    /// way `keep` refuses. `lastRun` is the last slot started (for `startsFromLastRun`).
    static func watch(_ configuration: Configuration, of manifest: Manifest, lastRun: Date?, look: TriggerLook) -> Watch

    /// A reloaded manifest: updates the watch in place and returns true, or returns false for
    /// the daemon to start a new watch.
    static func keep(_ watch: inout Watch, for configuration: Configuration, of manifest: Manifest, look: TriggerLook) -> Bool

    /// What is due at `look.now` for this pipeline; updates the watch.
    static func due(_ configuration: Configuration, watch: inout Watch, of manifest: Manifest, look: TriggerLook) -> [TriggerWork]

    /// When next to look (nil: only when woken).
    static func nextLook(_ watch: Watch) -> Date?
}

extension WatchedTrigger {
    public static var delivery: TriggerDelivery { .watched }
    public static var startsFromLastRun: Bool { false }
    public static func keep(_ watch: inout Watch, for configuration: Configuration, of manifest: Manifest, look: TriggerLook) -> Bool { true }
}
