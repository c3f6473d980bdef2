import Foundation
import SluiceCore
import SluiceSteps
import SluiceStore

/// A workspace in a temporary folder with a real SQLite ledger and a test clock, for running
/// pipelines in-process: write manifests, drop files, run, read the outcome.
///
/// ```swift
/// let h = try PipelineHarness()
/// try h.pipeline("ventes", "extract:\n  - csv: {}\nload:\n  - csv: { file: out.csv }\n")
/// try h.drop("ventes", "a.csv", "x\n1\n")
/// _ = try h.runner.runBatch()
/// #expect(h.outbox("ventes", "out.csv") != nil)
/// ```
public struct PipelineHarness: Sendable {
    public let workspace: Workspace
    /// Starts at 2026-11-21T08:00:00Z (a Saturday) and moves only when the test moves it.
    public let clock = TestClock(Date(timeIntervalSince1970: 1_795_248_000))
    public let ledger: SQLiteLedger
    /// The step kinds the runner knows: the product's, unless a test adds its own.
    public var registry: StepRegistry
    /// The runner's own resources, shared by every `runner` this harness makes: one harness is
    /// one runner, as one process of the CLI is.
    public let resources = RunnerResources(crashPoints: CrashPoints(specification: nil))

    public init(registry: StepRegistry = StepKinds.registry) throws {
        workspace = Workspace(root: try TemporaryFolder.make("steps"))
        try FileOperations.createDirectory(workspace.pipelines)
        try FileOperations.createDirectory(workspace.internalDirectory)
        ledger = try SQLiteLedger(path: workspace.ledgerPath)
        self.registry = registry
    }

    /// A runner on this workspace, ledger, registry and clock (file ages too are read on the clock).
    public var runner: Runner {
        var r = Runner(workspace: workspace, ledger: ledger, registry: registry, clock: clock, resources: resources)
        r.fileClock = clock
        return r
    }

    /// Writes `pipelines/<name>.yaml`.
    public func pipeline(_ name: String, _ yaml: String) throws {
        try FileOperations.writeAtomically(yaml, to: workspace.pipelines + "/\(name).yaml")
    }

    /// Drops a file whose modification time is well before the test clock's now.
    public func drop(_ pipeline: String, _ name: String, _ text: String) throws {
        try FileOperations.createDirectory(workspace.inbox(pipeline))
        let path = workspace.inbox(pipeline) + "/" + name
        try FileOperations.writeAtomically(text, to: path)
        try FileManager.default.setAttributes([.modificationDate: clock.now() - 3600], ofItemAtPath: path)
    }

    /// The text of a file in the pipeline's outbox, or nil when there is none.
    public func outbox(_ pipeline: String, _ name: String) -> String? {
        FileManager.default.contents(atPath: workspace.outbox(pipeline) + "/" + name).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The diagnostics of a manifest as `sluice validate` prints them, sorted.
    public func loadErrors(_ yaml: String) -> [String] {
        ManifestLoader(registry: registry).load(source: yaml, path: "pipelines/t.yaml").diagnostics.sorted.map(\.description)
    }
}
