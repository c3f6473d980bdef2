/// A trigger's reference, as `sluice triggers` and docs/triggers.md print it.
public struct TriggerDocumentation: Sendable {
    public var summary: String
    public var fields: [StepDocumentation.Field]
    /// A complete `triggers:` mapping using the trigger, as it appears in a manifest.
    public var example: String
    public var details: String?

    public init(summary: String, fields: [StepDocumentation.Field], example: String, details: String? = nil) {
        self.summary = summary
        self.fields = fields
        self.example = example
        self.details = details
    }
}
