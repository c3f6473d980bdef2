import Yams

/// A step kind, type-erased: how to build it from a manifest node.
public struct StepRegistration: Sendable {
    public typealias Builder = @Sendable (ManifestDecoder, Node, String, inout Diagnostics) throws -> any Step

    public let kind: String
    public let stages: Set<StageName>
    public let documentation: StepDocumentation
    let build: Builder
    /// The keys the kind's `Configuration` asks for when decoded from a node (nil when the
    /// registration was made without it): what the conformance test holds the documentation to.
    public let keysAsked: (@Sendable (ManifestDecoder, Node) -> ConfigurationKeys)?

    public init(kind: String, stages: Set<StageName>, documentation: StepDocumentation, build: @escaping Builder,
                keysAsked: (@Sendable (ManifestDecoder, Node) -> ConfigurationKeys)? = nil) {
        self.kind = kind
        self.stages = stages
        self.documentation = documentation
        self.build = build
        self.keysAsked = keysAsked
    }
}

/// Every step kind the runner knows, by name.
public struct StepRegistry: Sendable {
    public let registrations: [StepRegistration]

    public init(_ registrations: [StepRegistration]) {
        self.registrations = registrations
    }

    /// The kind of this name that may appear in `stage` (`csv` reads in extract, writes in load).
    public subscript(kind: String, stage: StageName) -> StepRegistration? {
        registrations.first { $0.kind == kind && $0.stages.contains(stage) }
    }

    /// Every registration of this name, whatever its stage.
    public func all(_ kind: String) -> [StepRegistration] { registrations.filter { $0.kind == kind } }

    public var kinds: [String] {
        var seen = Set<String>()
        return registrations.map(\.kind).filter { seen.insert($0).inserted }
    }

    public func kinds(in stage: StageName) -> [String] {
        registrations.filter { $0.stages.contains(stage) }.map(\.kind)
    }
}
