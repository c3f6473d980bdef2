import Foundation

/// Where a run is in its life. Terminal: `succeeded`, `failed`, `duplicate`. A `waiting`
/// run is parked in the ledger until its `wakeAt`: for its next attempt after a transient
/// failure, or at a `wait` step.
public enum RunStatus: String, Sendable, Codable, CaseIterable {
    case claimed, running, waiting, succeeded, failed, duplicate

    public var isTerminal: Bool { self == .succeeded || self == .failed || self == .duplicate }
}

/// One input file of a run.
public struct RunInput: Sendable, Codable, Hashable {
    /// The file's name as it was dropped.
    public var name: String
    public var sha256: String
    public var size: Int64
    /// Where it was found (`inbox/ventes/x.csv`, or the archive folder it was reprocessed from).
    public var origin: String
    /// The name the sender gave, when `name` is a safe name made from it (an e-mail attachment's
    /// `../../Commande été.xlsx` kept as `Commande été.xlsx`).
    public var originalName: String?

    public init(name: String, sha256: String, size: Int64, origin: String, originalName: String? = nil) {
        self.name = name
        self.sha256 = sha256
        self.size = size
        self.origin = origin
        self.originalName = originalName
    }
}

/// Figures for one finished stage.
public struct StageReport: Sendable, Codable, Hashable {
    public struct StepReport: Sendable, Codable, Hashable {
        public var id: String
        public var skipped: Bool
        public var rows: Int?
        public var milliseconds: Int
        public var summary: [String: String]
    }
    public var stage: String
    public var milliseconds: Int
    public var steps: [StepReport]
    /// Datasets at the end of the stage, with their row counts.
    public var datasets: [String: Int]
}

/// An output published to `outbox/<pipeline>/`.
public struct PublishedOutput: Sendable, Codable, Hashable {
    public var name: String
    public var path: String
    public var size: Int64
    public var sha256: String
    public var step: String
}

/// Everything the ledger knows about a run.
public struct RunRecord: Sendable, Codable, Hashable {
    public enum Phase: String, Sendable, Codable {
        case claiming, stages, publishing, archiving, done
    }

    public var id: String
    public var pipeline: String
    public var status: RunStatus
    public var phase: Phase
    /// `inbox`, `manual`, `reprocess`.
    public var trigger: String
    public var createdAt: Date
    public var updatedAt: Date
    public var finishedAt: Date?
    /// The run's date in the pipeline's time zone (`{{run.date}}`), fixed at claim.
    public var runDate: String
    public var runTime: String
    public var manifestHash: String
    public var inputs: [RunInput]
    /// Stages whose checkpoint is committed, in order.
    public var completedStages: [String]
    public var stageReports: [StageReport]
    /// The failure's outputs (rejects) were published.
    public var published: Bool
    /// How many committed stages have had their outputs published.
    public var publishedStages: Int
    public var outputs: [PublishedOutput]
    /// Where the inputs are kept, once archived (relative to the workspace).
    public var archivePath: String?
    public var failure: RunFailure?
    /// Effects already done under this scope are not redone (reprocessing keeps the original's).
    public var effectScope: String
    public var reprocessOf: String?
    /// A run of an input with the same name and other content, which this one corrects.
    public var corrects: String?
    /// The run that already processed the same content.
    public var duplicateOf: String?
    /// Parameters of a manual run.
    public var parameters: [String: String]
    /// Whether a committed stage staged states (`delta`), to commit when the run succeeds.
    public var hasStagedStates: Bool?
    /// The attempt under way (1 for the first; nil means 1). Counted per input, across restarts.
    public var attempt: Int?
    /// A `waiting` run's wake time, and why it waits (`retry` or `wait`).
    public var wakeAt: Date?
    public var waitingFor: String?
    /// The transient failure a run waiting for its retry had.
    public var retryError: RunFailure?
    /// How often the process stopped while this run was under way without a clean shutdown.
    public var interruptions: Int?
    /// A clean shutdown left the run between two stages.
    public var stopped: Bool?
    /// A person asked (`sluice cancel`) to give the waiting run up.
    public var cancelRequested: Bool?
    /// The schedule slot a scheduled run was fired for.
    public var scheduledFor: Date?
    /// What triggered it besides an inbox or a person: `after:<run>` or `event:<name>:<id>`.
    public var triggeredBy: String?
    /// The failed run's `on-failure` steps have run.
    public var failureNotified: Bool?
    /// Where the run is in its life, as the runner last recorded it. Absent in records written
    /// before states were, and in runs made by code that leaves it to the runner: then
    /// `RunLifecycle.state(of:)` reads it from the fields above, which stay as they were.
    public var state: RunState?

    public init(id: String, pipeline: String, trigger: String, now: Date, runDate: String, runTime: String,
                manifestHash: String, inputs: [RunInput]) {
        self.id = id
        self.pipeline = pipeline
        status = .claimed
        phase = .claiming
        self.trigger = trigger
        createdAt = now
        updatedAt = now
        self.runDate = runDate
        self.runTime = runTime
        self.manifestHash = manifestHash
        self.inputs = inputs
        completedStages = []
        stageReports = []
        published = false
        publishedStages = 0
        outputs = []
        effectScope = id
        parameters = [:]
    }
}

/// An effect done or begun: a database write, a webhook, a message.
public struct EffectRecord: Sendable, Codable, Hashable {
    public enum State: String, Sendable, Codable { case started, done }
    public var key: String
    public var run: String
    public var step: String
    public var item: String
    public var state: State
    public var detail: String?
    public var at: Date

    public init(key: String, run: String, step: String, item: String, state: State, detail: String?, at: Date) {
        self.key = key
        self.run = run
        self.step = step
        self.item = item
        self.state = state
        self.detail = detail
        self.at = at
    }
}

public struct RunFilter: Sendable {
    public var pipeline: String?
    public var status: RunStatus?
    public var since: Date?
    public var limit: Int?
    public init(pipeline: String? = nil, status: RunStatus? = nil, since: Date? = nil, limit: Int? = nil) {
        self.pipeline = pipeline
        self.status = status
        self.since = since
        self.limit = limit
    }
}

/// The state store: runs, effects, stored states and manifest versions. SQLite by default.
/// Every write is durable when the call returns, except inside a group: between
/// `beginGroup()` and `commitGroup()` writes are visible to this process at once and become
/// durable together at the commit (a crash before it forgets all of them).
public protocol Ledger: Sendable {
    /// Opens a group; writes until `commitGroup()` are one transaction.
    func beginGroup() throws
    /// Commits the open group durably (nothing when none is open).
    func commitGroup() throws

    func insert(_ run: RunRecord) throws
    func update(_ run: RunRecord) throws
    func run(id: String) throws -> RunRecord?
    func runs(_ filter: RunFilter) throws -> [RunRecord]
    func unfinishedRuns() throws -> [RunRecord]
    /// Whether the run is finished; nil when there is no such run.
    func isFinished(id: String) throws -> Bool?
    /// A run of `pipeline` that succeeded (or is still going) with an input of this SHA-256.
    func runProcessing(pipeline: String, sha256: String) throws -> String?
    /// The latest run of `pipeline` with an input of this name.
    func latestRun(pipeline: String, inputName: String) throws -> RunRecord?

    func storeManifest(hash: String, source: String) throws
    func manifest(hash: String) throws -> String?

    func effect(key: String) throws -> EffectRecord?
    func record(_ effect: EffectRecord) throws
    func effects(run: String) throws -> [EffectRecord]

    /// Records a finished stage: the run's new record, the stage's checkpoint and the effect
    /// records that waited for it, in one transaction.
    func commitStage(_ run: RunRecord, index: Int, checkpoint: [UInt8], effects: [EffectRecord]) throws
    /// The checkpoint of a run's stage `index`, as committed.
    func checkpoint(run: String, index: Int) throws -> [UInt8]?

    /// The state a step stored at the pipeline's last successful run (`delta`).
    func state(pipeline: String, name: String) throws -> Data?
    /// Marks the run finished, commits its staged states and drops its checkpoints, in one transaction.
    func complete(_ run: RunRecord, states: [String: Data]) throws

    /// Inserts a run and the effect records that stand for its creation, in one transaction:
    /// a schedule slot fired, a follower started, an event delivered.
    func insert(_ run: RunRecord, recording effects: [EffectRecord]) throws
    /// The effect of `step` with the latest time (a pipeline's last fired schedule slot).
    func latestEffect(step: String) throws -> EffectRecord?
    /// Reads, changes and writes a run in one transaction; `change` returns false to leave it.
    /// Returns the run as it is afterwards (nil when there is no such run).
    func modify(id: String, _ change: (inout RunRecord) throws -> Bool) throws -> RunRecord?

    /// What pruning decides on, for every run (oldest first), without decoding the documents.
    func runAges() throws -> [RunAge]
    /// Removes finished runs with what serves only them, in one transaction: their records,
    /// their inputs' hashes (a file sent again is then processed as new), any checkpoint left and
    /// the effect records they made. Checked in that transaction: a run goes only when every run
    /// of its effect scope (it and its reprocessings) is finished, before `finishedBefore`, so a
    /// reprocess started since the plan keeps its original and the effect keys it relies on.
    /// Returns the ids removed.
    func removeRuns(ids: [String], finishedBefore: Date) throws -> [String]
    /// Forgets schedule slots fired before `date` (of one pipeline, or of all), keeping each
    /// pipeline's latest: the daemon continues from it. Returns how many were forgotten.
    func forgetScheduleSlots(before date: Date, pipeline: String?) throws -> Int
    /// Gives the space of removed records back to the file system; returns the store's size in
    /// bytes before and after.
    func compact() throws -> (before: Int64, after: Int64)
}

extension Ledger {
    /// The runs made by reprocessing `run` (`sluice reprocess`), oldest first.
    public func reprocessings(of run: RunRecord) throws -> [RunRecord] {
        try runs(RunFilter(pipeline: run.pipeline, since: run.createdAt)).filter { $0.reprocessOf == run.id }
    }
}
