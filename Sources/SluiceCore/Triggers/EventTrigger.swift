/// `event:` — a named event (`order.paid`, emitted by `sluice emit` or by a source such as
/// `email.received`) starts a run of this one, with the event's parameters and files. The same
/// event id never starts it twice.
public struct EventTrigger: Trigger {
    public typealias Configuration = PipelineNames

    public static let key = "event"
    public static let delivery = TriggerDelivery.fired
    public static let documentation = TriggerDocumentation(
        summary: "A named event starts a run, with the event's parameters (`{{run.params.NAME}}`) and files as inputs: `sluice emit NAME --param K=V --file F`, or a connector that emits events (`email.received`: each new message an `imap` step claims, with its files and `run.params.imap.*`). The same event id starts each listening pipeline once.",
        fields: [.init("event", "an event's name, or a list of names", required: true, "Names such as `order.paid`: letters, digits, `-`, `_` and `.`.")],
        example: """
        triggers:
          event: [order.paid, order.refunded]
        """)

    public static func configuration(from input: TriggerInput, diagnostics: inout Diagnostics) -> Configuration? {
        PipelineNames.read(input, what: "'event' names events such as order.paid", diagnostics: &diagnostics)
    }
}
