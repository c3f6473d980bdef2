import Foundation

/// What a watched trigger asks the daemon to do for a pipeline: the few ways arrivals turn
/// into runs. A new trigger maps what it watches onto these; the daemon does them.
public enum TriggerWork: Sendable, Equatable {
    /// Look at the pipeline's inbox now; each ready file is claimed by a run.
    case scanInbox
    /// Start one run for each of these slots, in order.
    case startRuns(slots: [Date])
    /// Look at the pipeline's sources (a mailbox) on the run executor; new items become runs.
    case collectSources
    /// Tell the user.
    case notice(String)
}

/// What a watched trigger knows when the daemon asks it.
public struct TriggerLook: Sendable {
    public var now: Date
    /// When the daemon started: slots older than this were missed while it was down.
    public var startedAt: Date
    /// The pipeline's watched folder changed, or a rescan, poll or settle time came.
    public var woken: Bool
    /// `sluice pause`: the trigger says what it skips.
    public var paused: Bool
    /// The pipeline was resumed since the last look: what waited is looked at now.
    public var resumed: Bool

    public init(now: Date, startedAt: Date, woken: Bool = false, paused: Bool = false, resumed: Bool = false) {
        self.now = now
        self.startedAt = startedAt
        self.woken = woken
        self.paused = paused
        self.resumed = resumed
    }
}
