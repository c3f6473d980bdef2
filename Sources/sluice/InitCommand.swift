import ArgumentParser
import Foundation
import SluiceCore
import SluiceFormats
import SluiceSteps

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create a new workspace with one commented example pipeline.")

    @Argument(help: "The folder to create (may exist, but must not hold a pipelines/ folder).")
    var directory: String

    func run() throws {
        let ws = Workspace(root: directory)
        if FileManager.default.fileExists(atPath: ws.pipelines) {
            throw CommandFailure("\(ws.pipelines) already exists; not overwriting a workspace")
        }
        try WorkspaceTemplate.create(in: ws)
        print("created \(ws.root)")
        print("  pipelines/example.yaml   a commented example pipeline")
        print("  inbox/example/           drop a .csv here, then run: sluice run --root \(directory)")
    }
}
