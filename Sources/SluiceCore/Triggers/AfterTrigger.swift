/// `after:` — each successful run of the named pipelines starts a run of this one, with their
/// outputs as its inputs. The runner fires it when a run it follows succeeds.
public struct AfterTrigger: Trigger {
    public typealias Configuration = PipelineNames

    public static let key = "after"
    public static let delivery = TriggerDelivery.fired
    public static let documentation = TriggerDocumentation(
        summary: "Each successful run of the named pipelines starts one run of this one, with the files they published as its inputs. `sluice validate` refuses a name no pipeline has.",
        fields: [.init("after", "a pipeline's name, or a list of names", required: true, "The pipelines this one follows.")],
        example: """
        triggers:
          after: [ventes, stocks]
        """)

    public static func configuration(from input: TriggerInput, diagnostics: inout Diagnostics) -> Configuration? {
        PipelineNames.read(input, what: "'after' names pipelines", diagnostics: &diagnostics)
    }
}
