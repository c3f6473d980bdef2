import ArgumentParser
import Foundation
import SluiceCore
import SluiceSteps
import SluiceStore

struct CancelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Give up a waiting run: it fails, and its input goes to the archive with the reason.")

    @OptionGroup var options: WorkspaceOptions

    @Argument(help: "The run's id (`sluice runs --status waiting`).")
    var id: String

    func run() throws {
        try WaitingRunAction(options: options).perform(id, .cancel)
    }
}
