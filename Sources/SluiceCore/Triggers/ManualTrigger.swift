import Foundation
import Yams

/// `manual:` — `sluice trigger <pipeline>` (and reprocessing) may start a run, with parameters
/// and files. On unless the manifest says `manual: false`.
public struct ManualTrigger: FiredTrigger {
    /// A manual start is allowed; there is nothing more to configure.
    public struct Configuration: Decodable, Sendable, Hashable {
        public init() {}
        public init(from decoder: any Decoder) throws {
            _ = try decoder.singleValueContainer().decode(Bool.self)
        }
    }

    public static let key = "manual"
    public static let documentation = TriggerDocumentation(
        summary: "`sluice trigger <pipeline> [FILE...] --param NAME=VALUE` starts a run by hand; reprocessing needs it too. On unless the manifest says `manual: false`.",
        fields: [],
        example: """
        triggers:
          schedule: daily at 06:00
          manual: false
        """)

    /// A manual run gets the parameters and files it was given.
    public static func start(_ configuration: Configuration, firing: TriggerFiring) throws -> TriggerStart {
        TriggerStart(parameters: firing.parameters, files: firing.files)
    }

    public static func defaultConfiguration(triggersWritten: Bool) -> Configuration? { Configuration() }

    public static func configuration(from input: TriggerInput, diagnostics: inout Diagnostics) -> Configuration? {
        guard case let .scalar(s) = input.node else {
            diagnostics.error("'manual' is true or false", at: input.location)
            return Configuration()
        }
        return ["false", "no", "off"].contains(s.string) ? nil : Configuration()
    }
}
