import ArgumentParser
import Foundation
import SluiceCore
import SluiceSteps
import SluiceStore

struct RetryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Retry a run waiting for its next attempt now, instead of at its planned time.")

    @OptionGroup var options: WorkspaceOptions

    @Argument(help: "The run's id (`sluice runs --status waiting`).")
    var id: String

    func run() throws {
        let wakeTimes = PipelineTimeZones(workspace: options.workspace)
        try WaitingRunAction(options: options).perform(id, refusal: { r in
            r.status == .waiting && r.waitingFor == "retry" ? nil
                : "run \(r.id) is \(r.status == .waiting ? "at a wait step until \(wakeTimes.describe(r))" : r.status.rawValue), not waiting for a retry"
        }, change: { _ in })
    }
}
