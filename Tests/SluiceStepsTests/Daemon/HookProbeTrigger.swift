import Foundation
import SluiceCore

/// A test-only fired trigger, shaped as the webhook of the next issue will be: the HTTP server
/// would fire it with the request's parameters. One file, one registration (`registry`), and
/// the daemon untouched: `FiredTriggerTests` fires it and sees the run.
struct HookProbeTrigger: FiredTrigger {
    struct Configuration: Decodable, Sendable, Equatable {
        /// A parameter every firing must carry.
        var require: String
    }

    static let key = "hook-probe"
    static let documentation = TriggerDocumentation(
        summary: "A test trigger fired with parameters.",
        fields: [.init("require", "name", required: true, "A parameter each firing carries.")],
        example: """
        triggers:
          hook-probe: { require: order }
        """)

    struct MissingParameter: Error, CustomStringConvertible {
        var name: String
        var description: String { "a firing of hook-probe carries '\(name)'" }
    }

    static func start(_ configuration: Configuration, firing: TriggerFiring) throws -> TriggerStart {
        guard firing.parameters[configuration.require] != nil else { throw MissingParameter(name: configuration.require) }
        return TriggerStart(parameters: firing.parameters, origin: "hook-probe:\(firing.pipeline)")
    }

    /// The product's triggers and this one.
    static let registry = TriggerRegistry(TriggerKinds.registry.registrations + [TriggerRegistration(HookProbeTrigger.self)])
}
