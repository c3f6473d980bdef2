/// A trigger, type-erased: how to read its configuration from `triggers:`.
public struct TriggerRegistration: Sendable {
    public let key: String
    public let companionKeys: [String]
    public let delivery: TriggerDelivery
    public let documentation: TriggerDocumentation
    /// False for a source, written as a step of the extract stage rather than under `triggers:`.
    public let writtenUnderTriggers: Bool
    /// How the daemon looks after it, for a watched trigger.
    public let watcher: TriggerWatcher?
    /// How a firing becomes a run, for a fired trigger.
    public let firer: TriggerFirer?
    let fromStages: @Sendable ([Stage]) -> (any Sendable)?
    let defaultConfiguration: @Sendable (Bool) -> (any Sendable)?
    let read: @Sendable (TriggerInput, inout Diagnostics) -> (any Sendable)?

    public init<T: Trigger>(_ trigger: T.Type) {
        key = T.key
        companionKeys = T.companionKeys
        delivery = T.delivery
        documentation = T.documentation
        writtenUnderTriggers = T.writtenUnderTriggers
        watcher = (T.self as? any WatchedTrigger.Type).map { TriggerWatcher($0) }
        firer = (T.self as? any FiredTrigger.Type).map { TriggerFirer($0) }
        fromStages = { T.configuration(of: $0) }
        defaultConfiguration = { T.defaultConfiguration(triggersWritten: $0) }
        read = { input, diagnostics in
            guard let configuration = T.configuration(from: input, diagnostics: &diagnostics) else { return nil }
            T.check(configuration, at: input.location, diagnostics: &diagnostics)
            return configuration
        }
    }

    /// Every key of `triggers:` this trigger reads.
    public var keys: [String] { writtenUnderTriggers ? [key] + companionKeys : [] }
}
