import Foundation

/// The daemon's decisions, and nothing else: which schedule slots fire (and which missed ones
/// catch up), which inbox files are claimed once settled, which parked runs wake, which
/// pipelines are paused, and which jobs may start under the queues' priorities, the pipelines'
/// concurrency and the global limit. It takes `DaemonEvent`s and returns `DaemonAction`s (the
/// I/O its driver does) and, from `dispatch()`, the jobs to start; `nextWake()` says when
/// something is next due. It reads no clock and touches no file: tests drive it with instants.
public struct DaemonState: Sendable {
    struct ScheduleState: Sendable {
        var text: String
        var clock: ScheduleClock
        var misfire: MisfirePolicy
        var next: Date?
    }

    public let settings: DaemonSettings
    /// Slots older than this at start were missed while the daemon was down.
    public let startedAt: Date
    /// A claiming run's inputs are `root/origin`: the paths it holds.
    let workspaceRoot: String

    public private(set) var manifests: [String: Manifest] = [:]
    /// Pipelines paused by `sluice pause`: their schedule and inbox do nothing, their files wait.
    public internal(set) var paused: Set<String> = []
    var schedules: [String: ScheduleState] = [:]
    var pending: [DaemonTicket] = []
    var sequence = 0
    var busyRuns: Set<String> = []
    var busyPaths: Set<String> = []
    var dirtyInboxes: Set<String> = []
    var settleAt: [String: Date] = [:]
    var nextRescan: Date
    var nextPoll: Date
    /// Parked runs (a retry, a wait step) by id, and when they wake.
    var wakeups: [String: Date] = [:]
    /// When each pipeline with a source (a mailbox) is next looked at.
    var polls: [String: Date] = [:]
    /// Pipelines whose sources are being looked at (one look at a time).
    var collecting: Set<String> = []
    /// When `retention:` next prunes; nil without retention or while pruning.
    var nextPrune: Date?
    var refreshLedger = true
    var firstRefresh = true
    var dispatcher: Dispatcher
    public private(set) var stopping = false

    public init(settings: DaemonSettings, startedAt: Date, workspaceRoot: String) {
        self.settings = settings
        self.startedAt = startedAt
        self.workspaceRoot = workspaceRoot
        nextRescan = startedAt
        nextPoll = startedAt
        nextPrune = settings.retention == nil ? nil : startedAt
        dispatcher = Dispatcher(settings: settings)
    }

    /// Takes one event; returns what the driver must do about it, in order.
    public mutating func handle(_ event: DaemonEvent) -> [DaemonAction] {
        switch event {
        case let .tick(now): return tick(now)
        case let .manifestsLoaded(next, changed, now): return reloaded(next, changed: changed, at: now)
        case let .lastSlotRead(name, last): scheduleRead(name, last: last)
        case let .inboxesChanged(names, everything):
            if everything { dirtyInboxes.formUnion(manifests.keys) } else { dirtyInboxes.formUnion(names) }
        case let .inboxScanned(name, ready, settles): return scanned(name, ready: ready, settlesAt: settles)
        case let .runsReady(runs): for run in runs { enqueue(.drive(run)) }
        case .ledgerChanged: refreshLedger = true
        case let .ledgerRead(open, paused, atStart, now): return ledgerRead(open, paused: paused, atStart: atStart, at: now)
        case let .jobFinished(ticket, result, followed, now): finished(ticket, result: result, startedFollowers: followed, at: now)
        case let .pruned(now): nextPrune = settings.retention == nil ? nil : now + 86_400
        case let .pausedChanged(name, isPaused, now): setPaused(name, isPaused, at: now)
        case let .pausedRead(names, now): pausedRead(names, at: now)
        case .shutdown: stopping = true
        }
        return []
    }

    // MARK: Manifests

    /// New manifests: changed inboxes are looked at, sources polled anew, schedules whose text
    /// or time zone changed start over from their last fired slot (read by the driver).
    mutating func reloaded(_ next: [String: Manifest], changed: Set<String>, at now: Date) -> [DaemonAction] {
        manifests = next
        for name in changed where next[name]?.triggers.inbox != nil { dirtyInboxes.insert(name) }
        polls = polls.filter { next[$0.key] != nil }
        for (name, m) in next where !Runner.sources(of: m).isEmpty && (polls[name] == nil || changed.contains(name)) {
            polls[name] = now
        }
        schedules = schedules.filter { entry in
            guard let m = next[entry.key], let configuration = m[ScheduleTrigger.self] else { return false }
            return configuration.schedule.text == entry.value.text && m.timeZone == entry.value.clock.timeZone
        }
        for (name, state) in schedules { schedules[name]?.misfire = next[name]?.triggers.misfire ?? state.misfire }
        return next.values.filter { $0.triggers.schedule != nil && schedules[$0.name] == nil }.map(\.name).sorted().map { .readLastSlot($0) }
    }

    mutating func scheduleRead(_ name: String, last: Date?) {
        guard let m = manifests[name], let configuration = m[ScheduleTrigger.self] else { return }
        let clock = configuration.clock(in: m.timeZone)
        schedules[name] = ScheduleState(text: configuration.schedule.text, clock: clock, misfire: configuration.misfire,
                                        next: clock.next(after: last ?? startedAt))
    }

    mutating func setPaused(_ name: String, _ isPaused: Bool, at now: Date) {
        if isPaused { paused.insert(name) } else if paused.remove(name) != nil { resumed(name, at: now) }
    }

    mutating func pausedRead(_ names: Set<String>, at now: Date) {
        for name in paused.subtracting(names) { resumed(name, at: now) }
        paused = names
    }

    /// A resumed pipeline's inbox and sources are looked at again now.
    mutating func resumed(_ name: String, at now: Date) {
        dirtyInboxes.insert(name)
        if let m = manifests[name], !Runner.sources(of: m).isEmpty { polls[name] = now }
    }

    // MARK: Reading

    /// The first time something is due after the last event (nil: nothing; wait to be told).
    public func nextWake() -> Date? {
        guard !stopping else { return nil }
        var next: Date? = nextRescan
        func consider(_ d: Date?) { if let d { next = min(next ?? d, d) } }
        for s in schedules.values { consider(s.next) }
        for w in wakeups.values { consider(w) }
        for s in settleAt.values { consider(s) }
        for p in polls.values { consider(p) }
        consider(nextPrune)
        if settings.watch == .poll { consider(nextPoll) }
        // Inboxes to look at already (a pipeline resumed since the tick): at once.
        if !dirtyInboxes.isEmpty { consider(.distantPast) }
        return next
    }

    /// Jobs running, jobs waiting for a slot, runs parked until their wake time.
    public var counts: (running: Int, pending: Int, waiting: Int) { (dispatcher.total, pending.count, wakeups.count) }

    /// The next fire time of each scheduled pipeline.
    public var nextFires: [String: Date] { schedules.compactMapValues(\.next) }

    /// Inbox folders to watch, by pipeline (`inbox(pipeline)` gives a pipeline's folder).
    public func inboxFolders(_ inbox: (String) -> String) -> [String: String] {
        Dictionary(uniqueKeysWithValues: manifests.values.filter { $0.triggers.inbox != nil }.map { ($0.name, inbox($0.name)) })
    }
}
