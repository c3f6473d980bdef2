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

extension Manifest {
    /// The configuration of one of its triggers (nil when the pipeline does not have it).
    public subscript<T: Trigger>(_ trigger: T.Type) -> T.Configuration? { triggers[trigger] }
}

/// How runs of a pipeline start: the configuration of each trigger the manifest names (or has
/// by default), by trigger key, read through `TriggerKinds.registry`. The accessors below give
/// the built-in ones typed; a trigger's own file may add its accessor the same way.
public struct Triggers: Sendable {
    /// The configured triggers' configurations, by key.
    var configurations: [String: any Sendable] = [:]
    /// Their registrations, by key: what the daemon does for each.
    var registrations: [String: TriggerRegistration] = [:]

    public init() {}

    /// The configuration of `trigger`, nil when the pipeline does not have it.
    public subscript<T: Trigger>(_ trigger: T.Type) -> T.Configuration? {
        get { configurations[T.key] as? T.Configuration }
        set { set(newValue, of: TriggerRegistration(T.self)) }
    }

    mutating func set(_ configuration: (any Sendable)?, of registration: TriggerRegistration) {
        configurations[registration.key] = configuration
        registrations[registration.key] = configuration == nil ? nil : registration
    }

    /// The pipeline's watched triggers with their configurations, by key order.
    public var watched: [(watcher: TriggerWatcher, configuration: any Sendable)] {
        keys.compactMap { key in registrations[key]?.watcher.map { ($0, configurations[key]!) } }
    }

    /// The registration and configuration of the pipeline's trigger `key`.
    public func configured(_ key: String) -> (registration: TriggerRegistration, configuration: any Sendable)? {
        guard let r = registrations[key], let c = configurations[key] else { return nil }
        return (r, c)
    }

    /// The keys of the triggers the pipeline has, sorted.
    public var keys: [String] { configurations.keys.sorted() }

    public typealias Inbox = InboxTrigger.Configuration

    public var inbox: Inbox? {
        get { self[InboxTrigger.self] }
        set { self[InboxTrigger.self] = newValue }
    }

    /// `sluice trigger` (and reprocessing) may start a run.
    public var manual: Bool {
        get { self[ManualTrigger.self] != nil }
        set { self[ManualTrigger.self] = newValue ? ManualTrigger.Configuration() : nil }
    }

    /// The schedule as written (`daily at 08:00`, `cron "0 9 * * 1-5"`), checked at load.
    public var schedule: String? { self[ScheduleTrigger.self]?.schedule.text }

    /// What to do about slots missed while the daemon was down.
    public var misfire: MisfirePolicy { self[ScheduleTrigger.self]?.misfire ?? .once }

    /// Pipelines whose successful runs start a run of this one, with their outputs as inputs.
    public var after: [String] { self[AfterTrigger.self]?.names ?? [] }

    /// Named events (`order.paid`) that start a run of this one.
    public var events: [String] { self[EventTrigger.self]?.names ?? [] }
}
