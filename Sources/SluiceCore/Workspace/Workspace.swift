import Foundation

/// One Sluice installation: a folder with `pipelines/`, `inbox/`, `outbox/`, `archive/`
/// and the runner's own `.sluice/`.
public struct Workspace: Sendable, Hashable {
    /// Absolute path of the workspace root.
    public let root: String

    public init(root: String) {
        let url = URL(fileURLWithPath: root).standardizedFileURL
        self.root = url.path
    }

    public var pipelines: String { root + "/pipelines" }
    public var templates: String { root + "/pipelines/templates" }
    public var connectionsFile: String { root + "/connections.yaml" }
    public var internalDirectory: String { root + "/.sluice" }
    public var ledgerPath: String { internalDirectory + "/state.sqlite" }
    public var lockPath: String { internalDirectory + "/lock" }
    /// The SQLite database `database` steps write to when no connection is named.
    public var defaultDatabase: String { root + "/data/sluice.sqlite" }

    public func inbox(_ pipeline: String) -> String { root + "/inbox/" + pipeline }
    public func outbox(_ pipeline: String) -> String { root + "/outbox/" + pipeline }
    public func work(_ run: String) -> String { internalDirectory + "/work/" + run }
    public func archive(_ pipeline: String, date: LocalDate, run: String) -> String {
        let c = date.components
        return root + "/archive/" + pipeline + "/" + pad(c.year, 4) + "/" + pad(c.month, 2) + "/" + pad(c.day, 2) + "/" + run
    }

    /// `path` relative to the root, for messages and run.json.
    public func relative(_ path: String) -> String {
        path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
    }

    /// The root given by `--root`, else `$SLUICE_ROOT`, else the current directory.
    public static func resolve(_ option: String?) -> Workspace {
        if let option { return Workspace(root: option) }
        if let env = ProcessInfo.processInfo.environment["SLUICE_ROOT"], !env.isEmpty { return Workspace(root: env) }
        return Workspace(root: FileManager.default.currentDirectoryPath)
    }
}
