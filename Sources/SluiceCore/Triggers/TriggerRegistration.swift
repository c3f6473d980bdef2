/// A trigger, type-erased: how to read its configuration from `triggers:`.
public struct TriggerRegistration: Sendable {
    public let key: String
    public let companionKeys: [String]
    public let delivery: TriggerDelivery
    public let documentation: TriggerDocumentation
    let defaultConfiguration: @Sendable (Bool) -> (any Sendable)?
    let read: @Sendable (TriggerInput, inout Diagnostics) -> (any Sendable)?

    public init<T: Trigger>(_ trigger: T.Type) {
        key = T.key
        companionKeys = T.companionKeys
        delivery = T.delivery
        documentation = T.documentation
        defaultConfiguration = { T.defaultConfiguration(triggersWritten: $0) }
        read = { input, diagnostics in
            guard let configuration = T.configuration(from: input, diagnostics: &diagnostics) else { return nil }
            T.check(configuration, at: input.location, diagnostics: &diagnostics)
            return configuration
        }
    }

    /// Every key of `triggers:` this trigger reads.
    public var keys: [String] { [key] + companionKeys }
}
