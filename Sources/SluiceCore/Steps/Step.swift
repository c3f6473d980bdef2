import Foundation
/// The stages of a pipeline, in the order they run.
public enum StageName: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case extract, transform, load, notify

    public var index: Int { StageName.allCases.firstIndex(of: self)! }
    public static func < (a: StageName, b: StageName) -> Bool { a.index < b.index }
}

/// One step kind: `csv`, `validate`, `database`, `webhook`, ...
///
/// A kind is a `Sendable` struct with its name, a typed `Configuration` decoded from the
/// manifest, its documentation (with a YAML example that the test suite validates), a
/// static `check` run by `sluice validate`, and the work. It is registered by one line in
/// the registration list; the runner never switches on a kind's name.
public protocol Step: Sendable {
    associatedtype Configuration: Decodable & Sendable

    /// The key that names this kind in a manifest.
    static var kind: String { get }
    /// The stages in which this kind may appear.
    static var stages: Set<StageName> { get }
    static var documentation: StepDocumentation { get }

    init(configuration: Configuration)

    /// Static checks, without reading any input: column and dataset references,
    /// expressions, templates. Declares the schema of what the step produces.
    func check(_ context: inout StepCheckContext)

    /// The work. Throws `StepError` for problems a user must fix.
    func run(_ context: StepContext) throws -> StepOutput
}

extension Step {
    public func check(_ context: inout StepCheckContext) {}

    public static var registration: StepRegistration {
        StepRegistration(kind: kind, stages: stages, documentation: documentation) { decoder, node, context, diagnostics in
            let configuration = try decoder.decode(Configuration.self, from: node, context: context, diagnostics: &diagnostics)
            return Self(configuration: configuration)
        }
    }
}

/// Documentation of a step kind, printed by `sluice steps` and included in the README.
public struct StepDocumentation: Sendable {
    public struct Field: Sendable {
        public var name: String
        public var type: String
        public var required: Bool
        public var defaultValue: String?
        public var summary: String

        public init(_ name: String, _ type: String, required: Bool = false, default defaultValue: String? = nil, _ summary: String) {
            self.name = name
            self.type = type
            self.required = required
            self.defaultValue = defaultValue
            self.summary = summary
        }
    }

    public var summary: String
    public var fields: [Field]
    /// A complete step, as it appears in a stage's list (starting with `- kind:`).
    public var example: String
    /// Datasets the step produces besides its main output (`<as>.rejects`, ...).
    public var produces: String?
    public var details: String?

    public init(summary: String, fields: [Field], example: String, produces: String? = nil, details: String? = nil) {
        self.summary = summary
        self.fields = fields
        self.example = example
        self.produces = produces
        self.details = details
    }
}

/// What a step produced.
public struct StepOutput: Sendable {
    /// The main dataset (named by the step's `as:`, else by the step's kind).
    public var dataset: Dataset?
    /// Further datasets, named `<as>.<suffix>` (`rejects`, `inserted`, ...).
    public var extras: [String: Dataset]
    /// Files to publish to `outbox/<pipeline>/`, already written under the step's output folder.
    public var outputs: [AttachedFile]
    /// Figures shown by `sluice show` (rows written, rows rejected, effects done...).
    public var summary: [String: Value]

    public init(dataset: Dataset? = nil, extras: [String: Dataset] = [:], outputs: [AttachedFile] = [], summary: [String: Value] = [:]) {
        self.dataset = dataset
        self.extras = extras
        self.outputs = outputs
        self.summary = summary
    }
}

/// Thrown by a step that parks its run until a time (the `wait` step). The runner records the
/// run as `waiting` and resumes it at `until`, after any number of restarts.
public struct RunParked: Error, Sendable {
    public var until: Date
    public var reason: String

    public init(until: Date, reason: String) {
        self.until = until
        self.reason = reason
    }
}
