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
        try WaitingRunAction(options: options).perform(id, .retryNow, wakeText: wakeTimes.describe)
    }
}
