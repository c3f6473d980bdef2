import ArgumentParser
import Foundation
import SluiceCore

struct PauseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pause",
        abstract: "Pause a pipeline: its schedule skips its slots and its inbox is left alone (files wait) until `sluice resume`.",
        discussion: "Kept in the ledger, so it holds across restarts of sluice serve. Runs already started go on; `sluice schedule` shows the pipeline as paused.")

    @OptionGroup var options: WorkspaceOptions

    @Argument(help: "The pipeline.")
    var pipeline: String

    func run() throws {
        let control = try WaitingRunAction.control(options)
        let changed = try control.setPaused(pipeline, true)
        print(changed ? "\(pipeline) is paused; `sluice resume \(pipeline)` picks up its files again" : "\(pipeline) was already paused")
    }
}
