import Foundation
import Logging

/// Receives progress while runs go, for the CLI's live display.
public protocol RunObserver: Sendable {
    func runStarted(_ run: RunRecord)
    func stageStarted(_ run: RunRecord, stage: StageName)
    func stepFinished(_ run: RunRecord, step: String, rows: Int?)
    func runFinished(_ run: RunRecord)
    func notice(_ message: String)
}

extension RunObserver {
    public func runStarted(_ run: RunRecord) {}
    public func stageStarted(_ run: RunRecord, stage: StageName) {}
    public func stepFinished(_ run: RunRecord, step: String, rows: Int?) {}
    public func runFinished(_ run: RunRecord) {}
    public func notice(_ message: String) {}
}

public struct SilentObserver: RunObserver { public init() {} }

/// What one `sluice run` did.
public struct BatchReport: Sendable {
    public var runs: [RunRecord] = []
    /// Manifests with errors: their pipelines did not run.
    public var brokenManifests: [ManifestLoader.Loaded] = []
    /// Files left in an inbox, with the reason.
    public var skipped: [(file: String, reason: String)] = []
    /// Sources (mailboxes) that could not be read, with the reason; their items wait for the next look.
    public var sourceProblems: [String] = []

    /// Every run succeeded, was a duplicate, or waits for its retry (or at a wait step).
    public var succeeded: Bool {
        brokenManifests.isEmpty && sourceProblems.isEmpty && runs.allSatisfy { $0.status == .succeeded || $0.status == .duplicate || $0.status == .waiting }
    }
}

/// Moves inputs through inbox → work → outbox + archive, one checkpointed stage at a time.
/// Synchronous: blocking file and SQLite calls never run on the cooperative pool.
public struct Runner: Sendable {
    public let workspace: Workspace
    public let ledger: any Ledger
    public let registry: StepRegistry
    public let clock: any RunClock
    public let logger: Logger
    public let observer: any RunObserver
    /// How long a batch run waits for a file that is still being written.
    public var maximumSettleWait: TimeInterval = 600
    /// The clock inbox files' modification times are compared with (the machine's, even
    /// when `clock` is fixed for a test).
    public var fileClock: any RunClock = SystemClock()
    /// Manifests already parsed, by content hash.
    let manifestCache = MutexBox<[String: Manifest]>([:])
    /// connections.yaml, read once per runner (a batch).
    let connectionsCache = MutexBox<Connections?>(nil)
    /// Runs per group commit in a batch (1: every run durable on its own).
    public var groupSize = 100
    let group = GroupCommit()
    /// Asked between two actions of a run: true when the daemon is shutting down, and the run
    /// stops at its next checkpoint, to resume when the daemon starts again.
    public var shouldStop: @Sendable () -> Bool = { false }
    /// Which pipelines follow which, and which listen to which events.
    public let routes = EventRoutes()
    /// What this runner (and its copies) keep apart from every other runner in the process:
    /// sync deferral, crash-point counters, caches, steps' connection pools.
    public let resources: RunnerResources
    /// The triggers manifests may name: the product's, unless a test adds its own.
    public var triggers: TriggerRegistry = TriggerKinds.registry

    public init(workspace: Workspace, ledger: any Ledger, registry: StepRegistry, clock: any RunClock = SystemClock(),
                logger: Logger = Logger(label: "sluice"), observer: any RunObserver = SilentObserver(),
                resources: RunnerResources = RunnerResources()) {
        self.resources = resources
        self.workspace = workspace
        self.ledger = ledger
        self.registry = registry
        self.clock = clock
        self.logger = logger
        self.observer = observer
    }

    /// Loads manifests as runs start: a template file or connection that does not exist, or a
    /// `${env:NAME}` the pipeline needs that is not set, refuses the pipeline (its inbox is
    /// left alone) with the located error.
    public var loader: ManifestLoader {
        ManifestLoader(registry: registry, workspace: ManifestWorkspace(
            templatesDirectory: workspace.templates, connections: connections().0, unsetVariables: .error), triggers: triggers)
    }

    /// Loads every manifest; broken ones are reported, not fatal.
    public func loadManifests() -> (manifests: [String: Manifest], broken: [ManifestLoader.Loaded]) {
        var manifests: [String: Manifest] = [:]
        var broken: [ManifestLoader.Loaded] = []
        for loaded in loader.loadAll(directory: workspace.pipelines, relativeTo: workspace.root) {
            if let m = loaded.manifest {
                manifests[m.name] = m
                manifestCache.withLock { $0[m.contentHash] = m }
            } else {
                broken.append(loaded)
            }
        }
        routes.set(manifests)
        return (manifests, broken)
    }

    public func connections() -> (Connections, Diagnostics) {
        if let cached = connectionsCache.withLock({ $0 }) { return (cached, Diagnostics()) }
        let loaded = Connections.load(path: workspace.connectionsFile, relativePath: "connections.yaml")
        connectionsCache.withLock { $0 = loaded.0 }
        return loaded
    }

    /// Removes work folders of runs the ledger says are finished. A finished run's folder is
    /// normally empty (inputs went to the archive, outputs to the outbox), so this is one
    /// `rmdir`; anything left by a crash or an unpublished attempt goes with it.
    func removeFinishedWork() throws {
        let base = workspace.internalDirectory + "/work"
        for id in (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? [] {
            if try ledger.isFinished(id: id) == false { continue }
            removeWorkFolder(id)
        }
    }

    /// Removes a finished run's work folder (the daemon, after each run).
    public func removeWork(of run: RunRecord) {
        if run.phase == .done { removeWorkFolder(run.id) }
    }

    /// Normally one `rmdir` (a finished run's folder is empty); a tree left by a crash goes too.
    func removeWorkFolder(_ id: String) {
        let path = workspace.work(id)
        if rmdir(path) != 0 && errno != ENOENT { FileOperations.removeTree(path) }
    }

    /// The manifest a run uses: the version it started with, from the ledger.
    func manifestVersion(hash: String, pipeline: String) throws -> Manifest? {
        if let cached = manifestCache.withLock({ $0[hash] }), cached.name == pipeline { return cached }
        guard let source = try ledger.manifest(hash: hash) else { return nil }
        let manifest = loader.load(source: source, path: "pipelines/\(pipeline).yaml").manifest
        if let manifest { manifestCache.withLock { $0[hash] = manifest } }
        return manifest
    }

    func save(_ run: inout RunRecord) throws {
        run.updatedAt = clock.now()
        try ledger.update(run)
    }

    /// The run's date and time in the pipeline's time zone.
    func localTime(_ date: Date, of manifest: Manifest) -> LocalDateTime {
        manifest.timeZone.localDateTime(date)
    }

    /// `20261121-070000-3f9a2c`: when the run is made, in UTC, to the second, then a random
    /// suffix. One basis for every trigger and pipeline, so ids sort by creation time across
    /// time zones and daylight-saving changes (the run's local date is `{{run.date}}`).
    func newRunID() -> String {
        let time = LocalDateTime(epochMilliseconds: Int64((clock.now().timeIntervalSince1970 * 1000).rounded(.down)))
        let d = time.date.components
        return pad(d.year, 4) + pad(d.month, 2) + pad(d.day, 2) + "-" + pad(time.hour, 2) + pad(time.minute, 2)
            + pad(time.second, 2) + "-" + clock.randomSuffix()
    }
}
