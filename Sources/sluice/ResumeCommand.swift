import ArgumentParser
import Foundation
import SluiceCore

struct ResumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Resume a paused pipeline: the files that waited in its inbox are claimed, its schedule fires again from its next slot.")

    @OptionGroup var options: WorkspaceOptions

    @Argument(help: "The pipeline.")
    var pipeline: String

    func run() throws {
        let control = try WaitingRunAction.control(options)
        let changed = try control.setPaused(pipeline, false)
        print(changed ? "\(pipeline) is resumed" : "\(pipeline) was not paused")
    }
}
