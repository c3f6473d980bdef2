import ArgumentParser
import Foundation
import Logging
import SluiceCore
import SluiceSteps
import SluiceStore

/// Options every command takes.
struct WorkspaceOptions: ParsableArguments {
    @Option(name: .long, help: "The workspace folder (default: $SLUICE_ROOT, else the current folder).")
    var root: String?

    @Flag(name: .long, help: "Log what the runner does to standard error.")
    var verbose = false

    var workspace: Workspace { Workspace.resolve(root) }

    /// The options of a parsed command, if it takes them (found by reflection, so a new
    /// command needs nothing more than its `@OptionGroup var options: WorkspaceOptions`).
    static func of(_ command: any ParsableCommand) -> WorkspaceOptions? {
        for child in Mirror(reflecting: command).children {
            if let group = child.value as? OptionGroup<WorkspaceOptions> { return group.wrappedValue }
        }
        return nil
    }

    /// The workspace, refused when it has no pipelines/ folder.
    func existingWorkspace() throws -> Workspace {
        let ws = workspace
        guard FileManager.default.fileExists(atPath: ws.pipelines) else {
            throw CommandFailure("\(ws.root) is not a Sluice workspace (no pipelines/ folder); use --root or `sluice init DIR`")
        }
        return ws
    }

    /// A runner over this workspace with the SQLite ledger, holding the workspace lock.
    func runner(observer: any RunObserver = SilentObserver(), waitForLock: Bool = true) throws -> (Runner, WorkspaceLock) {
        let ws = try existingWorkspace()
        try FileOperations.createDirectory(ws.internalDirectory)
        let lock = try WorkspaceLock(path: ws.lockPath, wait: waitForLock)
        let ledger = try SQLiteLedger(path: ws.ledgerPath)
        let runner = Runner(workspace: ws, ledger: ledger, registry: StepKinds.registry, clock: clockFromEnvironment(),
                            logger: Logger(label: "sluice"), observer: observer)
        return (runner, lock)
    }

    /// Read-only access to the ledger (no lock needed: SQLite WAL readers do not block).
    func ledger() throws -> SQLiteLedger {
        let ws = try existingWorkspace()
        guard FileManager.default.fileExists(atPath: ws.ledgerPath) else {
            throw CommandFailure("no runs yet in \(ws.root) (no .sluice/state.sqlite)")
        }
        return try SQLiteLedger(path: ws.ledgerPath)
    }

    /// The run with this id, or the only one whose id starts with it.
    func findRun(_ id: String, in ledger: SQLiteLedger) throws -> RunRecord {
        if let record = try ledger.run(id: id) { return record }
        let matches = try ledger.runs(RunFilter()).filter { $0.id.hasPrefix(id) }
        guard matches.count == 1 else {
            throw CommandFailure(matches.isEmpty ? "no run '\(id)'; `sluice runs` lists them" : "'\(id)' matches \(matches.count) runs; give more of the id")
        }
        return matches[0]
    }
}
