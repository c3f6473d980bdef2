import Foundation

/// The daemon's decisions, and nothing else: what each pipeline's watched triggers say is due
/// (a schedule's slots, an inbox's look, a source's poll: see `WatchedTrigger`; the state knows
/// no trigger by name), which inbox files are claimed once settled, which parked runs wake,
/// which pipelines are paused, and which jobs may start under the queues' priorities, the
/// pipelines' concurrency and the global limit. It takes `DaemonEvent`s and returns `DaemonAction`s (the
/// I/O its driver does) and, from `dispatch()`, the jobs to start; `nextWake()` says when
/// something is next due. It reads no clock and touches no file: tests drive it with instants.
public struct DaemonState: Sendable {
    public let settings: DaemonSettings
    /// Slots older than this at start were missed while the daemon was down.
    public let startedAt: Date
    /// A claiming run's inputs are `root/origin`: the paths it holds.
    let workspaceRoot: String

    public private(set) var manifests: [String: Manifest] = [:]
    /// Pipelines paused by `sluice pause`: their schedule and inbox do nothing, their files wait.
    public internal(set) var paused: Set<String> = []
    /// Each pipeline's watched triggers' watches, by pipeline and trigger key. A trigger that
    /// starts from its last run has none until the ledger answered `readLastSlot`.
    var watches: [String: [String: any Sendable]] = [:]
    var pending: [DaemonTicket] = []
    var sequence = 0
    var busyRuns: Set<String> = []
    var busyPaths: Set<String> = []
    /// Pipelines whose watched folder changed (or a rescan, poll or settle time came): their
    /// triggers are looked at with `TriggerLook.woken`.
    var woken: Set<String> = []
    /// Pipelines resumed since the last tick (`TriggerLook.resumed`).
    var resumedSinceTick: Set<String> = []
    var settleAt: [String: Date] = [:]
    var nextRescan: Date
    var nextPoll: Date
    /// Parked runs (a retry, a wait step) by id, and when they wake.
    var wakeups: [String: Date] = [:]
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
        case let .lastSlotRead(name, trigger, last): lastSlotRead(name, trigger: trigger, last: last)
        case let .inboxesChanged(names, everything):
            if everything { woken.formUnion(manifests.keys) } else { woken.formUnion(names) }
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

    /// New manifests: each pipeline's watched triggers keep their watch when the manifest is
    /// unchanged or the trigger keeps it (`WatchedTrigger.keep`), else start a new one; those
    /// that start from their last run ask the driver for it. A changed pipeline's untimed
    /// triggers (an inbox) are woken.
    mutating func reloaded(_ next: [String: Manifest], changed: Set<String>, at now: Date) -> [DaemonAction] {
        manifests = next
        watches = watches.filter { next[$0.key] != nil }
        let look = TriggerLook(now: now, startedAt: startedAt)
        var actions: [DaemonAction] = []
        for name in next.keys.sorted() {
            let m = next[name]!
            var kept: [String: any Sendable] = [:]
            var readsLastRun: [String] = []
            for (watcher, configuration) in m.triggers.watched {
                if var w = watches[name]?[watcher.key], !changed.contains(name) || watcher.keep(&w, configuration, m, look) {
                    kept[watcher.key] = w
                    continue
                }
                if watcher.startsFromLastRun { readsLastRun.append(watcher.key) } else { kept[watcher.key] = watcher.watch(configuration, m, nil, look) }
            }
            // A changed pipeline's triggers with no time of their own (an inbox) look at once.
            let untimed = m.triggers.watched.contains { w in kept[w.watcher.key].map { w.watcher.nextLook($0) == nil } ?? false }
            if changed.contains(name) && untimed { woken.insert(name) }
            watches[name] = kept
            actions += readsLastRun.map { .readLastSlot(name, trigger: $0) }
        }
        return actions
    }

    /// The ledger's last slot of a pipeline's trigger that starts from it: its watch starts.
    mutating func lastSlotRead(_ name: String, trigger key: String, last: Date?) {
        guard let m = manifests[name], let (watcher, configuration) = m.triggers.watched.first(where: { $0.watcher.key == key }),
              watches[name]?[key] == nil else { return }
        watches[name, default: [:]][key] = watcher.watch(configuration, m, last, TriggerLook(now: startedAt, startedAt: startedAt))
    }

    mutating func setPaused(_ name: String, _ isPaused: Bool, at now: Date) {
        if isPaused { paused.insert(name) } else if paused.remove(name) != nil { resumed(name, at: now) }
    }

    mutating func pausedRead(_ names: Set<String>, at now: Date) {
        for name in paused.subtracting(names) { resumed(name, at: now) }
        paused = names
    }

    /// A resumed pipeline's triggers look at what waited at the next tick.
    mutating func resumed(_ name: String, at now: Date) {
        woken.insert(name)
        resumedSinceTick.insert(name)
    }

    // MARK: Reading

    /// The first time something is due after the last event (nil: nothing; wait to be told).
    public func nextWake() -> Date? {
        guard !stopping else { return nil }
        var next: Date? = nextRescan
        func consider(_ d: Date?) { if let d { next = min(next ?? d, d) } }
        for (name, byKey) in watches {
            for (watcher, _) in manifests[name]?.triggers.watched ?? [] { consider(byKey[watcher.key].flatMap(watcher.nextLook)) }
        }
        for w in wakeups.values { consider(w) }
        for s in settleAt.values { consider(s) }
        consider(nextPrune)
        if settings.watch == .poll { consider(nextPoll) }
        // Pipelines woken already (resumed since the tick): at once.
        if !woken.isEmpty { consider(.distantPast) }
        return next
    }

    /// Jobs running, jobs waiting for a slot, runs parked until their wake time.
    public var counts: (running: Int, pending: Int, waiting: Int) { (dispatcher.total, pending.count, wakeups.count) }

    /// The next fire time of each scheduled pipeline.
    public var nextFires: [String: Date] { nextLooks(of: ScheduleTrigger.key) }

    /// When each pipeline's trigger `key` next looks (its watch's `nextLook`).
    public func nextLooks(of key: String) -> [String: Date] {
        var looks: [String: Date] = [:]
        for (name, byKey) in watches {
            guard let w = byKey[key], let watcher = manifests[name]?.triggers.configured(key)?.registration.watcher else { continue }
            looks[name] = watcher.nextLook(w)
        }
        return looks
    }

    /// Inbox folders to watch, by pipeline (`inbox(pipeline)` gives a pipeline's folder).
    public func inboxFolders(_ inbox: (String) -> String) -> [String: String] {
        Dictionary(uniqueKeysWithValues: manifests.values.filter { $0.triggers.inbox != nil }.map { ($0.name, inbox($0.name)) })
    }
}
