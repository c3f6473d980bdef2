import Foundation
import SluiceCore

/// What the API reads about the pipelines from the daemon that runs them: the manifests in
/// effect, their next fire times and the manifest files as they are now (with their
/// diagnostics). `Daemon` is one (`DaemonPipelineCatalog`); tests give their own.
public protocol PipelineCatalog: Sendable {
    /// The pipelines in effect, by name (a manifest with errors keeps its previous version).
    func pipelines() -> [String: Manifest]
    /// The next fire time of each scheduled pipeline.
    func nextFires() -> [String: Date]
    /// When each scheduled pipeline last fired; nil when it never did.
    func lastFired(_ pipeline: String) throws -> Date?
    /// Every manifest file of `pipelines/`, loaded and checked now (blocking: files).
    func manifestFiles() -> [ManifestLoader.Loaded]
    /// Whether the manifests have been loaded once.
    func isLoaded() -> Bool
}

/// The catalog of the daemon in this process.
public struct DaemonPipelineCatalog: PipelineCatalog {
    public let daemon: Daemon

    public init(daemon: Daemon) { self.daemon = daemon }

    public func pipelines() -> [String: Manifest] { daemon.pipelines }
    public func nextFires() -> [String: Date] { daemon.nextFires }
    public func lastFired(_ pipeline: String) throws -> Date? { try daemon.runner.lastSlot(pipeline, trigger: ScheduleTrigger.key) }

    public func manifestFiles() -> [ManifestLoader.Loaded] {
        let runner = daemon.runner
        return runner.loader.loadAll(directory: runner.workspace.pipelines, relativeTo: runner.workspace.root)
    }

    public func isLoaded() -> Bool {
        // Loaded once at start: with manifests on disk, some are in effect (or reported broken).
        !daemon.pipelines.isEmpty || manifestFiles().allSatisfy { $0.manifest == nil }
    }
}
