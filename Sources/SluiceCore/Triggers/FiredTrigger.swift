import Foundation

/// A trigger something outside fires with parameters (`sluice trigger`, and next the HTTP
/// server's webhook): `start` turns one firing into the run to create, or refuses it.
/// `Daemon.fire` does the rest for any such trigger, by key.
public protocol FiredTrigger: Trigger {
    static func start(_ configuration: Configuration, firing: TriggerFiring) throws -> TriggerStart
}

extension FiredTrigger {
    public static var delivery: TriggerDelivery { .fired }
}

/// One firing of a trigger: what the caller handed over.
public struct TriggerFiring: Sendable {
    public var pipeline: String
    public var parameters: [String: String]
    /// Files to copy into the run (never moved).
    public var files: [String]
    public var now: Date

    public init(pipeline: String, parameters: [String: String] = [:], files: [String] = [], now: Date) {
        self.pipeline = pipeline
        self.parameters = parameters
        self.files = files
        self.now = now
    }
}

/// The run a firing creates.
public struct TriggerStart: Sendable, Equatable {
    public var parameters: [String: String]
    public var files: [String]
    /// Where it came from, kept with the run (`webhook:orders`); nil: nothing to say.
    public var origin: String?

    public init(parameters: [String: String], files: [String] = [], origin: String? = nil) {
        self.parameters = parameters
        self.files = files
        self.origin = origin
    }
}
