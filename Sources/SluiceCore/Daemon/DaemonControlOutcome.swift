import Foundation

/// What a control command did.
public struct DaemonControlOutcome: Sendable {
    /// The runs it created or changed.
    public var runs: [RunRecord]
    /// The daemon that takes them up; nil when none runs (the caller drives them itself).
    public var daemon: pid_t?
    /// Manifests with errors met on the way (they receive nothing until fixed).
    public var broken: [ManifestLoader.Loaded] = []

    public init(runs: [RunRecord], daemon: pid_t?, broken: [ManifestLoader.Loaded] = []) {
        self.runs = runs
        self.daemon = daemon
        self.broken = broken
    }
}
