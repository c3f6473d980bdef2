import Foundation
import Logging
import Synchronization

/// The daemon's driver: it feeds `DaemonState` the events (time passed, files seen, runs
/// ended, commands), does the I/O the state asks for (the ledger, the inboxes, the runner) and
/// starts the jobs it dispatches on the run executor. `tick()` does what is due and returns
/// when to tick next; everything reads the injected clock, so tests drive it without sleeping.
public final class Daemon: Sendable {
    public let runner: Runner
    public let settings: DaemonSettings
    let clock: any RunClock
    let executor: any JobExecutor
    let logger: Logger
    let state: Mutex<DaemonState>
    /// The located errors of each manifest that did not load, as last reported.
    private let manifestErrors = Mutex<[String: Diagnostics]>([:])
    private let wakeHandler = Mutex<@Sendable () -> Void>({})
    /// What `reloadManifests()` of `DaemonControl` does after reading the manifests (the
    /// services resync the watched folders).
    let reloadHandler = Mutex<@Sendable () -> Void>({})
    private let idleWaiters = Mutex<[CheckedContinuation<Void, Never>]>([])
    /// Set at shutdown: nothing new starts, and the runner stops runs at their next checkpoint.
    private let stopping: MutexBox<Bool>

    /// `executor`: by default a pool of threads as large as the global limit, and one for the prune.
    public init(runner: Runner, settings: DaemonSettings, executor: (any JobExecutor)? = nil, logger: Logger = Logger(label: "sluice.daemon")) {
        var r = runner
        r.groupSize = 1
        clock = runner.clock
        self.settings = settings
        self.executor = executor ?? RunExecutor(maximumThreads: settings.limit + 1)
        self.logger = logger
        state = Mutex(DaemonState(settings: settings, startedAt: runner.clock.now(), workspaceRoot: runner.workspace.root))
        let stopping = MutexBox(false)
        self.stopping = stopping
        r.shouldStop = { stopping.withLock { $0 } }
        self.runner = r
    }

    /// Called when something happened that the scheduler should look at (a job ended).
    public var onWake: @Sendable () -> Void {
        get { wakeHandler.withLock { $0 } }
        set { wakeHandler.withLock { $0 = newValue } }
    }

    /// What a reload asked through `DaemonControl` does besides reading the manifests (the
    /// services resync the watched folders).
    public var onReload: @Sendable () -> Void {
        get { reloadHandler.withLock { $0 } }
        set { reloadHandler.withLock { $0 = newValue } }
    }

    // MARK: Manifests

    /// Loads (or reloads) the manifests. A manifest with errors keeps its previous version
    /// running (none, when it never loaded); its located errors are returned and logged.
    @discardableResult
    public func reload() -> [ManifestLoader.Loaded] {
        runner.connectionsCache.withLock { $0 = nil }
        let all = runner.loader.loadAll(directory: runner.workspace.pipelines, relativeTo: runner.workspace.root)
        let current = state.withLock { $0.manifests }
        var broken: [ManifestLoader.Loaded] = []
        var next: [String: Manifest] = [:]
        let names = Set(all.map(\.name))
        manifestErrors.withLock { errors in
            for var loaded in all {
                let problems = settings.check(loaded, among: names)
                if problems.hasErrors {
                    loaded.diagnostics.append(contentsOf: problems)
                    loaded.manifest = nil
                }
                if let m = loaded.manifest {
                    next[m.name] = m
                    errors[m.name] = nil
                } else {
                    if errors[loaded.name] != loaded.diagnostics { broken.append(loaded) }
                    errors[loaded.name] = loaded.diagnostics
                    if let previous = current[loaded.name] { next[loaded.name] = previous }
                }
            }
        }
        let changed = Set(next.filter { current[$0.key]?.contentHash != $0.value.contentHash }.map(\.key))
        runner.routes.set(next)
        let paused = (try? runner.ledger.pauses()) ?? [:]
        send(.pausedRead(Set(paused.keys), at: clock.now()))
        send(.manifestsLoaded(next, changed: changed, at: clock.now()))
        for b in broken {
            for d in b.diagnostics.errors {
                logger.error("\(d)")
                runner.observer.notice(d.description)
            }
            runner.observer.notice(current[b.name] == nil
                ? "\(b.path) has errors; the pipeline does not run until they are fixed"
                : "\(b.path) has errors; the previous version keeps running")
        }
        return broken
    }

    /// The pipelines in effect.
    public var pipelines: [String: Manifest] { state.withLock { $0.manifests } }

    /// Inbox folders to watch, by pipeline.
    public var inboxFolders: [String: String] {
        let ws = runner.workspace
        return state.withLock { $0.inboxFolders { ws.inbox($0) } }
    }

    // MARK: Signals from outside

    /// The watcher saw changes (or a poll is due): look at these inboxes on the next tick.
    public func noteChanges(inboxes: [String], everything: Bool = false) {
        send(.inboxesChanged(inboxes, everything: everything))
    }

    /// Another process changed the ledger (`sluice retry`, `cancel`, `emit`, `pause`): look again.
    public func noteLedgerChanged() { send(.ledgerChanged) }

    // MARK: The tick

    /// Does everything due now and returns the time of the next thing due (nil: nothing is
    /// scheduled; wait for a signal).
    @discardableResult
    public func tick() -> Date? {
        if stopping.withLock({ $0 }) { return nil }
        send(.tick(clock.now()))
        let starting = state.withLock { $0.dispatch() }
        for ticket in starting {
            executor.execute { [self] in finished(ticket, result: perform(ticket.job)) }
        }
        return state.withLock { $0.nextWake() }
    }

    /// Gives the state an event and does what it asks, each action's consequences before the next.
    func send(_ event: DaemonEvent) {
        let actions = state.withLock { $0.handle(event) }
        for action in actions { perform(action) }
    }

    func perform(_ action: DaemonAction) {
        switch action {
        case let .readLastSlot(name, trigger):
            send(.lastSlotRead(pipeline: name, trigger: trigger, last: (try? runner.lastSlot(name, trigger: trigger)) ?? nil))
        case let .startScheduled(manifest, slots, trigger):
            var runs: [RunRecord] = []
            for slot in slots {
                do {
                    if let run = try runner.startScheduled(manifest, slot: slot, trigger: trigger) { runs.append(run) }
                } catch {
                    logger.error("cannot start the \(trigger) run of \(manifest.name) for \(slot.iso8601): \(error)")
                }
            }
            send(.runsReady(runs))
        case let .readLedger(atStart):
            do {
                let open = try runner.ledger.unfinishedRuns()
                let paused = try runner.ledger.pauses()
                send(.ledgerRead(open: open, paused: Set(paused.keys), atStart: atStart, at: clock.now()))
            } catch {
                logger.error("cannot read the ledger: \(error)")
            }
        case let .resume(found, atStart):
            do {
                if let run = try runner.prepareToResume(found, atStart: atStart) {
                    if atStart && found.phase != .claiming && found.stopped != true {
                        runner.observer.notice("resuming \(run.id) (\(run.pipeline)) after an interruption")
                    }
                    send(.runsReady([run]))
                }
            } catch {
                logger.error("cannot resume \(found.id): \(error)")
            }
        case let .wake(id):
            do {
                guard let found = try runner.ledger.run(id: id), let run = try runner.prepareToResume(found, atStart: false) else { return }
                send(.runsReady([run]))
            } catch {
                logger.error("cannot wake \(id): \(error)")
            }
        case let .scan(manifest):
            guard let scanner = InboxScanner(inboxOf: manifest, in: runner.workspace, clock: runner.fileClock, settling: .leaveForLater) else { return }
            let (scan, settles) = scanner.readyNow()
            send(.inboxScanned(pipeline: manifest.name, ready: scan.ready, settlesAt: settles))
        case let .prune(age):
            executor.execute { [self] in
                prune(olderThan: age)
                send(.pruned(at: clock.now()))
                onWake()
            }
        case let .notice(text):
            runner.observer.notice(text)
        }
    }

    /// The daily prune by `retention: { runs: 90d }` in sluice.yaml. Pruning touches finished
    /// runs only, so it goes on beside running ones.
    func prune(olderThan age: DurationValue) {
        do {
            let report = try runner.prune(try runner.prunePlan(olderThan: age))
            if report.removedRuns > 0 {
                logger.info("retention \(age): removed \(report.removedRuns) run(s) finished more than \(age) ago")
                runner.observer.notice("retention \(age): removed \(report.removedRuns) run(s) finished more than \(age) ago and their archives")
            }
        } catch {
            logger.error("cannot prune by the retention of sluice.yaml: \(error)")
            runner.observer.notice("cannot prune by the retention of sluice.yaml: \(error); tried again in a day")
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

    func finished(_ ticket: DaemonTicket, result: RunRecord?) {
        let followed = result?.status == .succeeded && !runner.routes.followers(of: ticket.job.pipeline).isEmpty
        send(.jobFinished(ticket, result: result, startedFollowers: followed, at: clock.now()))
        let waiters = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            guard s.counts.running == 0 else { return [] }
            return idleWaiters.withLock { w in defer { w = [] }; return w }
        }
        for waiter in waiters { waiter.resume() }
        onWake()
    }

    // MARK: Shutdown

    /// Starts nothing new; running runs stop at their next checkpoint.
    public func beginShutdown() {
        stopping.withLock { $0 = true }
        send(.shutdown)
    }

    /// Returns once every started run has stopped or finished.
    public func whenIdle() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let idle = state.withLock { s in
                if s.counts.running == 0 { return true }
                idleWaiters.withLock { $0.append(c) }
                return false
            }
            if idle { c.resume() }
        }
    }

    /// Counts for the log and the tests.
    public var counts: (running: Int, pending: Int, waiting: Int) { state.withLock { $0.counts } }

    /// The next fire time of each scheduled pipeline.
    public var nextFires: [String: Date] { state.withLock { $0.nextFires } }

    /// The pipelines paused, as last read from the ledger.
    public var pausedPipelines: Set<String> { state.withLock { $0.paused } }
}
