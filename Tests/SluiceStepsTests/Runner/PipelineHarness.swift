import Foundation
import SluiceCore
import SluiceStore
import SluiceSteps

/// A temporary workspace with a real SQLite ledger and a test clock, for running
/// pipelines in-process.
struct PipelineHarness {
    let workspace: Workspace
    let clock = TestClock(Date(timeIntervalSince1970: 1_795_248_000)) // 2026-11-21T07:00:00Z
    let ledger: SQLiteLedger
    var registry = StepKinds.registry

    init() throws {
        let root = NSTemporaryDirectory() + "sluice-steps-\(UUID().uuidString)"
        workspace = Workspace(root: root)
        try FileOperations.createDirectory(workspace.pipelines)
        try FileOperations.createDirectory(workspace.internalDirectory)
        ledger = try SQLiteLedger(path: workspace.ledgerPath)
    }

    var runner: Runner {
        var r = Runner(workspace: workspace, ledger: ledger, registry: registry, clock: clock)
        r.fileClock = clock
        return r
    }

    func pipeline(_ name: String, _ yaml: String) throws {
        try FileOperations.writeAtomically(yaml, to: workspace.pipelines + "/\(name).yaml")
    }

    /// Drops a file whose modification time is well before the test clock's now.
    func drop(_ pipeline: String, _ name: String, _ text: String) throws {
        try FileOperations.createDirectory(workspace.inbox(pipeline))
        let path = workspace.inbox(pipeline) + "/" + name
        try FileOperations.writeAtomically(text, to: path)
        try FileManager.default.setAttributes([.modificationDate: clock.now() - 3600], ofItemAtPath: path)
    }

    func outbox(_ pipeline: String, _ name: String) -> String? {
        FileManager.default.contents(atPath: workspace.outbox(pipeline) + "/" + name).map { String(decoding: $0, as: UTF8.self) }
    }

    func loadErrors(_ yaml: String) -> [String] {
        ManifestLoader(registry: StepKinds.registry).load(source: yaml, path: "pipelines/t.yaml").diagnostics.sorted.map(\.description)
    }
}
