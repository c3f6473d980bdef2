import Foundation
import SluiceCore

/// `wait`: parks the run durably, then goes on with the rest of its steps.
public struct WaitStep: Step {
    public struct Configuration: Decodable, Sendable {
        public var spec: WaitSpec

        public init(from decoder: any Decoder) throws {
            let text = try decoder.singleValueContainer().decode(String.self)
            do { spec = try WaitSpec(text) } catch {
                throw ManifestDecodingError(error.description, at: (decoder as? any LocatedDecoder)?.location)
            }
        }
    }

    public static let kind = "wait"
    public static let stages: Set<StageName> = Set(StageName.allCases)
    public static let documentation = StepDocumentation(
        summary: """
        Parks the run in the ledger until a time, then goes on with the next step: a duration (`2d`, `90m`), \
        `until 09:00`, `until 09:00 tomorrow` or `until 09:00 next business day` (Monday to Friday; holidays are \
        not known), in the pipeline's time zone. The wait survives any number of restarts; `sluice runs --status \
        waiting` lists waiting runs with their wake time. When the run wakes, the stage holding the step runs again \
        from its checkpoint: the steps before the wait compute the same datasets again, and their effects are \
        not repeated. A reprocessed run does not wait again.
        """,
        fields: [
            .init("(value)", "duration or until", required: true, "How long, or until when."),
        ],
        example: """
        - wait: until 09:00 next business day
        """)

    let configuration: Configuration
    public init(configuration: Configuration) { self.configuration = configuration }

    public func run(_ context: StepContext) throws -> StepOutput {
        let wake = configuration.spec.wake(from: context.now, in: context.timeZone)
        // The wake time is recorded the first time the step is reached, so a restart keeps it.
        let outcome = try context.effects.perform(step: context.stepID, item: "wake", description: "wait \(configuration.spec)") { _ in
            String(wake.timeIntervalSince1970)
        }
        switch outcome {
        case .planned:
            return StepOutput(dataset: context.input, summary: ["waits-until": .string(wake.iso8601)])
        case let .done(detail), let .alreadyDone(detail):
            let recorded = detail.flatMap(Double.init).map { Date(timeIntervalSince1970: $0) } ?? wake
            if recorded > context.now { throw RunParked(until: recorded, reason: "wait \(configuration.spec)") }
            return StepOutput(dataset: context.input, summary: ["waited-until": .string(recorded.iso8601)])
        }
    }
}
