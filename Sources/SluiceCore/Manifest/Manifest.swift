import Foundation

/// A pipeline's manifest, parsed and checked: `pipelines/<name>.yaml`.
public struct Manifest: Sendable {
    /// The pipeline's name: the file name without `.yaml`.
    public var name: String
    /// The path of the manifest, relative to the workspace root (`pipelines/ventes.yaml`).
    public var path: String
    /// The manifest's text, kept so that a run can be reprocessed with the version it ran with.
    public var source: String
    /// SHA-256 of `source`, the manifest version a run records.
    public var contentHash: String
    public var description: String?
    public var triggers: Triggers
    /// IANA time zone name; nil means the machine's.
    public var timezone: String?
    /// The locale templates format numbers, money and dates in (`fr-CH`); nil means the machine's.
    public var locale: String? = nil
    /// How runs of this pipeline retry transient failures (defaults filled in).
    public var retry: RetryPolicy
    /// The queue its runs wait in (`default` unless named; queues are declared in sluice.yaml).
    public var queue: String
    /// How many of its runs may go at once, whatever triggered them.
    public var concurrency: Int
    public var stages: [Stage]
    /// Notify steps run once for each run that finally fails (`on-failure:`).
    public var onFailure: [StepInstance]

    public var allSteps: [StepInstance] { stages.flatMap(\.steps) }

    /// The pipeline's time zone (the machine's when the manifest names none).
    public var timeZone: TimeZone { timezone.flatMap(TimeZone.init(identifier:)) ?? .current }
}

public struct Stage: Sendable {
    public var name: StageName
    public var steps: [StepInstance]
}

/// One step as written in a manifest: its kind, the built step and the common keys.
public struct StepInstance: Sendable {
    /// `transform[1].validate`: stable within a manifest version, used in effect keys and messages.
    public var id: String
    public var stage: StageName
    public var kind: String
    public var step: any Step
    /// The name of the dataset this step produces (`as:`), by default its kind.
    public var output: String
    /// The dataset it consumes (`from:`), by default the one the previous step produced.
    public var input: String?
    /// `when:`: the step runs only when this is true.
    public var condition: ExpressionSource?
    /// The step's own `retry:`, which overrides the pipeline's for failures of this step.
    public var retry: RetryPolicy?
    public var location: SourceLocation?
}

/// How runs of a pipeline start.
public struct Triggers: Sendable, Hashable {
    public struct Inbox: Sendable, Hashable {
        /// How long a file's size and modification time must stay unchanged before it is claimed.
        public var settle: DurationValue
        /// File name patterns (`*.csv`); empty means every file that is not hidden or temporary.
        public var patterns: [String]
    }

    public var inbox: Inbox?
    public var manual: Bool
    /// The schedule as written (`daily at 08:00`, `cron "0 9 * * 1-5"`), checked at load.
    public var schedule: String?
    /// What to do about slots missed while the daemon was down.
    public var misfire: MisfirePolicy = .once
    /// Pipelines whose successful runs start a run of this one, with their outputs as inputs.
    public var after: [String] = []
    /// Named events (`order.paid`) that start a run of this one.
    public var events: [String] = []
}

/// Schedule slots missed while the daemon was not running: none, one catch-up run, or every
/// missed slot up to a cap.
public enum MisfirePolicy: Sendable, Hashable, CustomStringConvertible {
    case skip, once
    case all(cap: Int)

    public var description: String {
        switch self {
        case .skip: "skip"
        case .once: "once"
        case let .all(cap): "all (at most \(cap))"
        }
    }
}
