import Foundation
import Yams

/// A way runs of a pipeline start, written under `triggers:` in a manifest: what a step kind
/// is to a stage. A trigger has its key, a typed configuration read from the manifest with
/// located errors, its documentation (`sluice triggers`, docs/triggers.md) with an example the
/// test suite validates, and the work of turning its arrivals into runs: a `WatchedTrigger`
/// says what is due for a pipeline at an instant and when to look next (an inbox's ready files,
/// a schedule's slots, a source's poll), a `FiredTrigger` turns a firing into the run to create.
///
/// Adding a trigger is one file (a type conforming to this protocol), one line in
/// `TriggerKinds.registry`, and one test.
public protocol Trigger: Sendable {
    /// What the manifest says of this trigger, defaults filled in.
    associatedtype Configuration: Decodable & Sendable & Equatable

    /// The key under `triggers:` (`inbox`, `schedule`).
    static var key: String { get }
    /// Further keys of `triggers:` that belong to this trigger's configuration (the schedule's
    /// `misfire:`); they are refused without the main key.
    static var companionKeys: [String] { get }
    /// How its arrivals reach the daemon.
    static var delivery: TriggerDelivery { get }
    static var documentation: TriggerDocumentation { get }

    /// The configuration when the manifest does not name this trigger: `written` tells whether
    /// the manifest has a `triggers:` mapping at all (a manifest without one is an inbox
    /// pipeline that may also be run by hand).
    static func defaultConfiguration(triggersWritten: Bool) -> Configuration?

    /// Reads the configuration from the manifest; nil when the manifest turns the trigger off
    /// (`inbox: false`) or when it is in error (the errors are in `diagnostics`).
    static func configuration(from input: TriggerInput, diagnostics: inout Diagnostics) -> Configuration?

    /// False for a source: it is written as a step of the extract stage (`- imap: ...`), and its
    /// configuration comes from the built steps (`configuration(of:)`), not from `triggers:`.
    static var writtenUnderTriggers: Bool { get }

    /// The configuration a source reads from the pipeline's built stages (nil: none).
    static func configuration(of stages: [Stage]) -> Configuration?

    /// Checks of a read configuration beyond its shape, located at the trigger's key.
    static func check(_ configuration: Configuration, at location: SourceLocation?, diagnostics: inout Diagnostics)
}

extension Trigger {
    public static var companionKeys: [String] { [] }
    public static var writtenUnderTriggers: Bool { true }
    public static func configuration(of stages: [Stage]) -> Configuration? { nil }
    public static func defaultConfiguration(triggersWritten: Bool) -> Configuration? { nil }
    public static func check(_ configuration: Configuration, at location: SourceLocation?, diagnostics: inout Diagnostics) {}

    /// Decodes the configuration from the trigger's node, unknown keys reported.
    public static func configuration(from input: TriggerInput, diagnostics: inout Diagnostics) -> Configuration? {
        do {
            return try input.decoder.decode(Configuration.self, from: input.node, context: "in trigger '\(key)'", diagnostics: &diagnostics)
        } catch {
            diagnostics.append(decodingDiagnostic(error, path: input.decoder.file))
            return nil
        }
    }
}
