import Foundation
import SluiceCore

/// What the API reads and whom it asks to act: the ledger (runs, tokens, idempotency keys,
/// searches), the daemon's catalog of pipelines and its `DaemonControl`. The API never runs a
/// step: starting, retrying, cancelling and pausing all go through `control`.
public struct APIBackend: Sendable {
    public let workspace: Workspace
    public let ledger: any Ledger
    public let search: any RunSearch
    public let tokens: any APITokenStore
    public let triggerKeys: any TriggerKeyStore
    public let control: any DaemonControl
    public let catalog: any PipelineCatalog
    public let clock: any RunClock
    /// Where blocking calls go (the ledger, the manifest files, the control).
    public let calls: BlockingCalls

    public init(workspace: Workspace, ledger: any Ledger & RunSearch & APITokenStore & TriggerKeyStore, control: any DaemonControl,
                catalog: any PipelineCatalog, clock: any RunClock = SystemClock(), calls: BlockingCalls = BlockingCalls()) {
        self.workspace = workspace
        self.ledger = ledger
        search = ledger
        tokens = ledger
        triggerKeys = ledger
        self.control = control
        self.catalog = catalog
        self.clock = clock
        self.calls = calls
    }

    /// Runs a blocking call on the API's threads.
    func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await calls.run(body)
    }

    /// A pipeline name of the path, refused (404) unless a manifest file or a pipeline in
    /// effect has it.
    func pipelineName(_ context: APIRequestContext) async throws -> String {
        let name = try PathNames.parameter("name", of: context, what: "pipeline")
        let catalog = self.catalog
        let known = try await blocking {
            catalog.pipelines()[name] != nil || catalog.manifestFiles().contains { $0.name == name }
        }
        guard known else { throw APIError.notFound("no pipeline named '\(name)'") }
        return name
    }

    /// The run of the path's id, refused (404) unless the ledger has it.
    func run(_ context: APIRequestContext) async throws -> RunRecord {
        let id = try PathNames.parameter("id", of: context, what: "run")
        let ledger = self.ledger
        guard let run = try await blocking({ try ledger.run(id: id) }) else { throw APIError.notFound("no run '\(id)'") }
        return run
    }
}
