import Foundation
import Logging

/// A step that brings its pipeline's inputs in from outside the workspace: a mailbox today.
///
/// Before runs are driven (each `sluice run`, and every `pollInterval` in the daemon) the
/// runner asks the pipeline's source steps for new items. The source writes each item's files
/// under `stagingDirectory` and offers a batch of items to `claim`, which creates each item's
/// run and records the item's keys in the ledger, durably, before it returns. Only then does
/// the source acknowledge the items where they came from (an IMAP `\Seen`), so a crash in
/// between leaves an item claimed once and acknowledged at the next look, never lost.
///
/// To the daemon a pipeline's source steps are one watched trigger, `SourceTrigger` (key
/// `source`, registered in `TriggerKinds` and documented by `sluice triggers`): its
/// configuration is read from these steps, it asks for a poll (`TriggerWork.collectSources`)
/// every `pollInterval`, a paused pipeline's are left alone, and a look is a job in the
/// pipeline's queue on the run executor, under the same limits as its runs; the runs it creates
/// are then found in the ledger. A REST or CMS source is one more step conforming to this.
public protocol InputSource: Sendable {
    /// How often the daemon looks for new items.
    var pollInterval: TimeInterval { get }
    /// Looks for new items and offers them to `claim` in batches, at most as many as the step
    /// allows; `claim` answers with one outcome per item, in order.
    func collect(_ context: SourceContext, claim: ([CollectedItem]) throws -> [ClaimOutcome]) throws -> CollectReport
    /// Told once a run this source created has ended, to report back where the item came from
    /// (move the message to a folder, flag it). Failures here are logged, not fatal.
    func runEnded(_ run: RunRecord, context: SourceContext) throws
}

/// One item found by a source: the files of one run, and the keys that make it unique.
public struct CollectedItem: Sendable {
    /// Ledger keys of the item. The first is its identity (a Message-ID): a second item with
    /// the same identity is a repeat and gets no run. The others (a mailbox UID) are recorded
    /// too, so the source can skip what it has already seen without fetching it again.
    public var keys: [EffectRecord]
    /// The run's input files, written under the staging directory; the runner moves them into the run.
    public var files: [(name: String, path: String)]
    /// Values the run's steps find in `run.params`.
    public var parameters: [String: String]
    /// Where the item came from, kept with the run (`imap:orders/INBOX/1795262177/42`).
    public var origin: String
    /// The run's trigger (`imap`).
    public var trigger: String
    /// For files stored under a safe name: the name they came with, by stored name.
    public var originalNames: [String: String]
    /// An event emitted once the item's run is created (`email.received`), with the item's
    /// parameters and files: pipelines with `triggers: { event: ... }` get a run each.
    public var event: String?

    public init(keys: [EffectRecord], files: [(name: String, path: String)], parameters: [String: String], origin: String, trigger: String,
                originalNames: [String: String] = [:], event: String? = nil) {
        self.event = event
        self.keys = keys
        self.files = files
        self.originalNames = originalNames
        self.parameters = parameters
        self.origin = origin
        self.trigger = trigger
    }
}

/// What became of an offered item.
public enum ClaimOutcome: Sendable {
    /// A run was created and is durable.
    case created(RunRecord)
    /// The item's identity was claimed before, by this run; nothing new was created.
    case repeated(of: String)
}

/// What one look at a source found.
public struct CollectReport: Sendable {
    public var created: [RunRecord] = []
    /// Items left for the next look (the step's cap, or an item that could not be taken now).
    public var deferred = 0

    public init() {}
}

/// What a source can use while it looks.
public struct SourceContext: Sendable {
    public var pipeline: String
    /// `extract[0].imap`
    public var stepID: String
    public var workspace: Workspace
    public var connections: Connections
    /// A private folder for the files of items not yet claimed; emptied after each look.
    public var stagingDirectory: String
    public var logger: Logger
    public var now: Date
    /// A ledger record by key, if there is one.
    public var recorded: @Sendable (String) throws -> EffectRecord?
    /// Records a key that belongs to no run (an item the filters left out, a repeat's UID).
    public var record: @Sendable (EffectRecord) throws -> Void
    public var notice: @Sendable (String) -> Void

    public init(pipeline: String, stepID: String, workspace: Workspace, connections: Connections, stagingDirectory: String,
                logger: Logger, now: Date, recorded: @escaping @Sendable (String) throws -> EffectRecord?,
                record: @escaping @Sendable (EffectRecord) throws -> Void,
                notice: @escaping @Sendable (String) -> Void) {
        self.pipeline = pipeline
        self.stepID = stepID
        self.workspace = workspace
        self.connections = connections
        self.stagingDirectory = stagingDirectory
        self.logger = logger
        self.now = now
        self.recorded = recorded
        self.record = record
        self.notice = notice
    }
}
