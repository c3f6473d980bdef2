import Foundation
import Yams
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
        StepRegistration(kind: kind, stages: stages, documentation: documentation, build: { decoder, node, context, diagnostics in
            let configuration = try decoder.decode(Configuration.self, from: node, context: context, diagnostics: &diagnostics)
            return Self(configuration: configuration)
        }, keysAsked: { decoder, node in
            decoder.keysAsked(by: Configuration.self, from: node)
        })
    }
}

/// Documentation of a step kind, printed by `sluice steps`, written to docs/steps.md and used
/// by `sluice validate`: one spec per kind.
///
/// Its `fields` are the keys the kind's `Configuration` accepts, each declared once: the
/// conformance test decodes every registered kind and fails when a key the configuration asks
/// for is not documented, or a documented key is not asked for (``StepRegistration/keysAsked``).
public struct StepDocumentation: Sendable {
    /// One key of the configuration.
    public struct Field: Sendable {
        /// The key as written in a manifest (`on-invalid`); `<column>` or `(condition)` stand
        /// for a configuration that is not a mapping of fixed keys.
        public var name: String
        public var type: String
        public var required: Bool
        public var defaultValue: String?
        /// A value as it would be written (`"Bearer ${env:HOOK_TOKEN}"`), shown in the docs.
        public var example: String?
        /// How the value holds a secret, if it does: `validate` warns when it is a literal.
        public var secret: SecretField?
        public var summary: String

        public init(_ name: String, _ type: String, required: Bool = false, default defaultValue: String? = nil,
                    example: String? = nil, secret: SecretField? = nil, _ summary: String) {
            self.name = name
            self.type = type
            self.required = required
            self.defaultValue = defaultValue
            self.example = example
            self.secret = secret
            self.summary = summary
        }

        /// Whether the name is a key (not a placeholder such as `<column>`).
        public var isKey: Bool { !(name.hasPrefix("<") || name.hasPrefix("(")) }
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

    /// Secret fields holding a literal in `configuration` (the node under the kind's key):
    /// their path in it (`headers.Authorization`) and the value's node.
    public func literalSecrets(in configuration: Node) -> [(path: [String], node: Node)] {
        guard case let .mapping(m) = configuration else { return [] }
        var found: [(path: [String], node: Node)] = []
        for field in fields {
            guard let secret = field.secret, let value = m.first(where: { $0.key.string == field.name })?.value else { continue }
            found += secret.literals(in: value).map { ([field.name] + $0.path, $0.node) }
        }
        return found
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
