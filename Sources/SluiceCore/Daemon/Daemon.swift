import Foundation
import Logging

/// What the daemon starts: a file to claim, a run to drive (resumed, woken, scheduled,
/// started by another pipeline or an event), or a look at a pipeline's sources (a mailbox).
enum DaemonJob: Sendable {
    case claim(InboxScanner.Candidate, Manifest)
    case drive(RunRecord)
    case collect(Manifest)

    var pipeline: String {
        switch self {
        case let .claim(_, m), let .collect(m): m.name
        case let .drive(r): r.pipeline
        }
    }
}

/// Runs jobs: on threads of their own in the daemon, inline in tests.
public protocol JobExecutor: Sendable {
    func execute(_ work: @escaping @Sendable () -> Void)
}

/// One thread per run: the runner is synchronous (blocking file and SQLite calls), and a run
/// never occupies the cooperative pool.
public struct ThreadExecutor: JobExecutor {
    public init() {}
    public func execute(_ work: @escaping @Sendable () -> Void) {
        let t = Thread(block: work)
        t.stackSize = 8 << 20
        t.start()
    }
}

/// Runs each job at once, on the caller's thread (tests).
public struct InlineExecutor: JobExecutor {
    public init() {}
    public func execute(_ work: @escaping @Sendable () -> Void) { work() }
}

/// The daemon's decisions: which schedule slots fire (and which missed ones catch up), which
/// inbox files are claimed, which parked runs wake, and which of all that may start under the
/// queues' and pipelines' limits. `tick()` does what is due and returns when to tick next;
/// everything reads the injected clock, so tests drive it without sleeping.
public final class Daemon: @unchecked Sendable {
    struct Pending {
        var job: DaemonJob
        var queue: String
        var sequence: Int
    }

    struct ScheduleState {
        var text: String
        var clock: ScheduleClock
        var next: Date?
    }

    public let runner: Runner
    public let settings: DaemonSettings
    let clock: any RunClock
    let executor: any JobExecutor
    let logger: Logger
    /// Slots older than this at start were missed while the daemon was down.
    let startedAt: Date

    /// Guards the state below; waited on for the runs to end at shutdown.
    let lock = NSCondition()
    var manifests: [String: Manifest] = [:]
    private var manifestErrors: [String: Diagnostics] = [:]
    private var schedules: [String: ScheduleState] = [:]
    private var pending: [Pending] = []
    private var sequence = 0
    private var busyRuns: Set<String> = []
    private var busyPaths: Set<String> = []
    private var dirtyInboxes: Set<String> = []
    private var settleAt: [String: Date] = [:]
    private var nextRescan: Date
    private var nextPoll: Date
    private var wakeups: [String: Date] = [:]
    /// When each pipeline with a source (a mailbox) is next looked at (Daemon+Sources.swift).
    var polls: [String: Date] = [:]
    /// Pipelines whose sources are being looked at (one look at a time).
    var collecting: Set<String> = []
    /// When `retention:` next prunes (Daemon+Retention.swift); nil without retention or while pruning.
    var nextPrune: Date?
    private var refreshLedger = true
    private var firstRefresh = true
    private var dispatcher: Dispatcher
    /// Set at shutdown: nothing new starts, and the runner stops runs at their next checkpoint.
    private let stopping = MutexBox(false)
    /// Called when something happened that the loop should look at (a job ended).
    public var onWake: @Sendable () -> Void = {}

    public init(runner: Runner, settings: DaemonSettings, executor: any JobExecutor = ThreadExecutor(), logger: Logger = Logger(label: "sluice.daemon")) {
        var r = runner
        r.groupSize = 1
        self.clock = runner.clock
        self.settings = settings
        self.executor = executor
        self.logger = logger
        startedAt = runner.clock.now()
        nextRescan = startedAt
        nextPoll = startedAt
        nextPrune = settings.retention == nil ? nil : startedAt
        dispatcher = Dispatcher(settings: settings)
        r.shouldStop = { [stopping] in stopping.withLock { $0 } }
        self.runner = r
    }

    // MARK: Manifests

    /// Loads (or reloads) the manifests. A manifest with errors keeps its previous version
    /// running (none, when it never loaded); its located errors are returned and logged.
    @discardableResult
    public func reload() -> [ManifestLoader.Loaded] {
        runner.connectionsCache.withLock { $0 = nil }
        let all = runner.loader.loadAll(directory: runner.workspace.pipelines, relativeTo: runner.workspace.root)
        var broken: [ManifestLoader.Loaded] = []
        lock.lock()
        var next: [String: Manifest] = [:]
        let names = Set(all.map(\.name))
        for var loaded in all {
            let problems = settings.check(loaded, among: names)
            if problems.hasErrors {
                loaded.diagnostics.append(contentsOf: problems)
                loaded.manifest = nil
            }
            if let m = loaded.manifest {
                next[m.name] = m
                manifestErrors[m.name] = nil
            } else {
                if manifestErrors[loaded.name] != loaded.diagnostics { broken.append(loaded) }
                manifestErrors[loaded.name] = loaded.diagnostics
                if let previous = manifests[loaded.name] { next[loaded.name] = previous }
            }
        }
        let changed = next.filter { manifests[$0.key]?.contentHash != $0.value.contentHash }.map(\.key)
        manifests = next
        for name in changed where next[name]?.triggers.inbox != nil { dirtyInboxes.insert(name) }
        polls = polls.filter { next[$0.key] != nil }
        for (name, m) in next where !Runner.sources(of: m).isEmpty && (polls[name] == nil || changed.contains(name)) {
            polls[name] = clock.now()
        }
        schedules = schedules.filter { next[$0.key]?.triggers.schedule == $0.value.text && next[$0.key]?.timeZone == $0.value.clock.timeZone }
        let toSchedule = next.values.filter { $0.triggers.schedule != nil && schedules[$0.name] == nil }
        lock.unlock()
        runner.routes.set(next)
        for m in toSchedule {
            guard let text = m.triggers.schedule, let schedule = try? Schedule(text) else { continue }
            let clock = ScheduleClock(cron: schedule.cron, timeZone: m.timeZone)
            let last = (try? runner.lastScheduledSlot(m.name)) ?? nil
            let state = ScheduleState(text: text, clock: clock, next: clock.next(after: last ?? startedAt))
            lock.withLock { schedules[m.name] = state }
        }
        for b in broken {
            for d in b.diagnostics.errors {
                logger.error("\(d)")
                runner.observer.notice(d.description)
            }
            runner.observer.notice(manifests[b.name] == nil
                ? "\(b.path) has errors; the pipeline does not run until they are fixed"
                : "\(b.path) has errors; the previous version keeps running")
        }
        return broken
    }

    /// The pipelines in effect.
    public var pipelines: [String: Manifest] { lock.withLock { manifests } }

    /// Inbox folders to watch.
    public var inboxFolders: [String: String] {
        lock.withLock { Dictionary(uniqueKeysWithValues: manifests.values.filter { $0.triggers.inbox != nil }.map { ($0.name, runner.workspace.inbox($0.name)) }) }
    }

    // MARK: Signals from outside

    /// The watcher saw changes (or a poll is due): look at these inboxes on the next tick.
    public func noteChanges(inboxes: [String], everything: Bool = false) {
        lock.withLock {
            if everything { dirtyInboxes.formUnion(manifests.keys) } else { dirtyInboxes.formUnion(inboxes) }
        }
    }

    /// Another process changed the ledger (`sluice retry`, `cancel`, `emit`): look again.
    public func noteLedgerChanged() { lock.withLock { refreshLedger = true } }

    // MARK: The tick

    /// Does everything due now and returns the time of the next thing due (nil: nothing is
    /// scheduled; wait for a signal).
    @discardableResult
    public func tick() -> Date? {
        let now = clock.now()
        if stopping.withLock({ $0 }) { return nil }
        fireSchedules(now)
        refreshFromLedger(now)
        wakeParkedRuns(now)
        scanInboxes(now)
        pollSources(now)
        applyRetention(now)
        dispatch()
        return lock.withLock { () -> Date? in
            var next: Date? = nextRescan
            func consider(_ d: Date?) { if let d { next = min(next ?? d, d) } }
            for s in schedules.values { consider(s.next) }
            for w in wakeups.values { consider(w) }
            for s in settleAt.values { consider(s) }
            for p in polls.values { consider(p) }
            consider(nextPrune)
            if settings.watch == .poll { consider(nextPoll) }
            return next
        }
    }

    func fireSchedules(_ now: Date) {
        let dueSchedules = lock.withLock { schedules.filter { ($0.value.next ?? .distantFuture) <= now } }
        for (name, state) in dueSchedules.sorted(by: { $0.key < $1.key }) {
            guard let manifest = lock.withLock({ manifests[name] }) else { continue }
            let due = ScheduleTrigger.due(from: state.next, clock: state.clock, now: now, startedAt: startedAt, misfire: manifest.triggers.misfire)
            if due.missed > 0 {
                runner.observer.notice("\(name): \(due.missed) scheduled run\(due.missed == 1 ? "" : "s") missed while sluice was not running; misfire policy \(manifest.triggers.misfire): \(due.caughtUp) caught up")
            }
            for s in due.fire {
                do {
                    if let run = try runner.startScheduled(manifest, slot: s) { enqueue(.drive(run), queue: manifest.queue) }
                } catch {
                    logger.error("cannot start the scheduled run of \(name) for \(s.iso8601): \(error)")
                }
            }
            lock.withLock { schedules[name]?.next = due.next }
        }
    }

    func refreshFromLedger(_ now: Date) {
        let (due, atStart) = lock.withLock { () -> (Bool, Bool) in
            defer { refreshLedger = false; firstRefresh = false }
            return (refreshLedger, firstRefresh)
        }
        guard due else { return }
        let open: [RunRecord]
        do { open = try runner.ledger.unfinishedRuns() } catch {
            logger.error("cannot read the ledger: \(error)")
            return
        }
        for found in open {
            let known = lock.withLock { busyRuns.contains(found.id) || pending.contains { if case let .drive(r) = $0.job { r.id == found.id } else { false } } }
            if known { continue }
            if found.status == .waiting && found.cancelRequested != true {
                lock.withLock { wakeups[found.id] = found.wakeAt ?? now }
                continue
            }
            do {
                if let run = try runner.prepareToResume(found, atStart: atStart) {
                    if atStart && found.phase != .claiming && found.stopped != true {
                        runner.observer.notice("resuming \(run.id) (\(run.pipeline)) after an interruption")
                    }
                    enqueue(.drive(run), queue: queue(of: run.pipeline))
                }
            } catch {
                logger.error("cannot resume \(found.id): \(error)")
            }
        }
    }

    func wakeParkedRuns(_ now: Date) {
        let due = lock.withLock { () -> [String] in
            let ids = wakeups.filter { $0.value <= now }.map(\.key).sorted()
            for id in ids { wakeups[id] = nil }
            return ids
        }
        for id in due {
            do {
                guard let found = try runner.ledger.run(id: id), let run = try runner.prepareToResume(found, atStart: false) else { continue }
                enqueue(.drive(run), queue: queue(of: run.pipeline))
            } catch {
                logger.error("cannot wake \(id): \(error)")
            }
        }
    }

    func scanInboxes(_ now: Date) {
        let (names, targets) = lock.withLock { () -> ([String], [String: Manifest]) in
            if now >= nextRescan {
                dirtyInboxes.formUnion(manifests.keys)
                nextRescan = now + settings.rescanInterval
            }
            if settings.watch == .poll && now >= nextPoll {
                dirtyInboxes.formUnion(manifests.keys)
                nextPoll = now + settings.pollInterval
            }
            for (name, at) in settleAt where at <= now {
                dirtyInboxes.insert(name)
                settleAt[name] = nil
            }
            defer { dirtyInboxes = [] }
            return (dirtyInboxes.sorted(), manifests)
        }
        for name in names {
            guard let manifest = targets[name],
                  let scanner = InboxScanner(inboxOf: manifest, in: runner.workspace, clock: runner.fileClock, settling: .leaveForLater) else { continue }
            let (scan, settles) = scanner.readyNow()
            lock.withLock {
                if let settles { settleAt[name] = min(settleAt[name] ?? settles, settles) }
            }
            for file in scan.ready {
                let fresh = lock.withLock { busyPaths.insert(file.path).inserted }
                if fresh { enqueue(.claim(file, manifest), queue: manifest.queue) }
            }
        }
    }

    func queue(of pipeline: String) -> String {
        lock.withLock { manifests[pipeline]?.queue ?? "default" }
    }

    func enqueue(_ job: DaemonJob, queue: String) {
        lock.withLock {
            sequence += 1
            if case let .drive(run) = job {
                for input in run.inputs where run.phase == .claiming { busyPaths.insert(runner.workspace.root + "/" + input.origin) }
            }
            pending.append(Pending(job: job, queue: settings.queues[queue] == nil ? "default" : queue, sequence: sequence))
        }
    }

    /// Starts what the limits allow: queues by priority, each queue first come, first served.
    func dispatch() {
        let starting = lock.withLock { () -> [Pending] in
            guard !stopping.withLock({ $0 }) else { return [] }
            let priority = Dictionary(uniqueKeysWithValues: settings.queues.values.map { ($0.name, $0.priority) })
            pending.sort { (-(priority[$0.queue] ?? 0), $0.sequence) < (-(priority[$1.queue] ?? 0), $1.sequence) }
            var chosen: [Pending] = []
            var kept: [Pending] = []
            for p in pending {
                let pipeline = p.job.pipeline
                let concurrency = manifests[pipeline]?.concurrency ?? 1
                if dispatcher.canStart(pipeline: pipeline, queue: p.queue, concurrency: concurrency) {
                    dispatcher.started(pipeline: pipeline, queue: p.queue)
                    if case let .drive(run) = p.job { busyRuns.insert(run.id) }
                    chosen.append(p)
                } else {
                    kept.append(p)
                }
            }
            pending = kept
            return chosen
        }
        for p in starting {
            executor.execute { [self] in
                finished(p, result: perform(p.job))
            }
        }
    }

    /// Runs the job; returns the run as it ended (nil when none was created, or on an error).
    func perform(_ job: DaemonJob) -> RunRecord? {
        do {
            var run: RunRecord
            switch job {
            case let .claim(file, manifest):
                guard let claimed = try runner.claim(file, manifest: manifest) else { return nil }
                run = try runner.drive(claimed)
            case let .drive(start):
                run = try runner.drive(start)
            case let .collect(manifest):
                let report = try runner.collect(manifest)
                if !report.created.isEmpty { logger.info("\(manifest.name): \(report.created.count) new item(s) claimed") }
                return nil
            }
            runner.removeWork(of: run)
            return run
        } catch {
            if case .collect = job {
                logger.error("cannot look at the source of \(job.pipeline): \(error)")
                runner.observer.notice("\(job.pipeline): \(error); looked at again in one poll interval")
                return nil
            }
            logger.error("run of \(job.pipeline) stopped: \(error)")
            runner.observer.notice("\(job.pipeline): \(error)")
            return nil
        }
    }

    func finished(_ p: Pending, result: RunRecord?) {
        let followed = result?.status == .succeeded && !runner.routes.followers(of: p.job.pipeline).isEmpty
        lock.withLock {
            dispatcher.finished(pipeline: p.job.pipeline, queue: p.queue)
            switch p.job {
            case let .claim(file, _): busyPaths.remove(file.path)
            case let .collect(m): collecting.remove(m.name)
            case let .drive(run):
                busyRuns.remove(run.id)
                for input in run.inputs { busyPaths.remove(runner.workspace.root + "/" + input.origin) }
            }
            if let result, result.status == .waiting, result.cancelRequested != true {
                wakeups[result.id] = result.wakeAt ?? clock.now()
            }
            // Only a run that started followers (or one that ended unexpectedly) left new work in the ledger.
            if followed || result == nil { refreshLedger = true }
            lock.broadcast()
        }
        onWake()
    }

    // MARK: Shutdown

    /// Starts nothing new; running runs stop at their next checkpoint.
    public func beginShutdown() {
        stopping.withLock { $0 = true }
    }

    /// Blocks until every started run has stopped or finished.
    public func waitUntilIdle() {
        lock.lock()
        while dispatcher.total > 0 { lock.wait() }
        lock.unlock()
    }

    /// Counts for the log and the tests.
    public var counts: (running: Int, pending: Int, waiting: Int) {
        lock.withLock { (dispatcher.total, pending.count, wakeups.count) }
    }

    /// The next fire time of each scheduled pipeline.
    public var nextFires: [String: Date] {
        lock.withLock { schedules.compactMapValues(\.next) }
    }
}
