import Foundation
import Yams

/// `sluice.yaml` at the workspace root: the daemon's queues, its global limit and how it
/// watches inboxes. Every key is optional.
///
/// ```yaml
/// queues:
///   critical: { priority: 10, workers: 1, reserved: 1 }
///   default:  { priority: 0, workers: 2 }
///   reports:  { priority: 5, workers: 1 }
/// limit: 3                 # runs at once, all queues together (default: the sum of the workers)
/// inbox:
///   watch: inotify         # or poll (network shares, where inotify sees nothing)
///   interval: 2s           # how often to look when polling
///   rescan: 1m             # a full look at every inbox, whatever the watcher said
/// retention:
///   runs: 90d              # finished runs (records and archives) older than this go, once a day
/// ```
public struct DaemonSettings: Sendable, Hashable {
    public struct Queue: Sendable, Hashable {
        public var name: String
        /// Higher goes first when several queues have runs waiting.
        public var priority: Int
        /// Runs of this queue at once.
        public var workers: Int
        /// Slots of the global limit that lower-priority queues may never take.
        public var reserved: Int
    }

    public enum Watch: String, Sendable, Hashable { case inotify, poll }

    public var queues: [String: Queue]
    public var limit: Int
    public var watch: Watch
    public var pollInterval: TimeInterval
    public var rescanInterval: TimeInterval
    /// How long finished runs are kept (`retention: { runs: 90d }`); nil: for ever.
    public var retention: DurationValue? = nil

    public static let standard = DaemonSettings(
        queues: ["critical": Queue(name: "critical", priority: 10, workers: 1, reserved: 1),
                 "default": Queue(name: "default", priority: 0, workers: 2, reserved: 0)],
        limit: 3, watch: .inotify, pollInterval: 2, rescanInterval: 60)

    /// Queues from the highest priority down (by name among equals).
    public var queuesByPriority: [Queue] {
        queues.values.sorted { ($0.priority, $1.name) > ($1.priority, $0.name) }
    }

    /// Reads `sluice.yaml`; a missing file means the standard settings.
    public static func load(path: String, relativePath: String = "sluice.yaml") -> (DaemonSettings, Diagnostics) {
        var settings = DaemonSettings.standard
        var diagnostics = Diagnostics()
        guard let data = FileManager.default.contents(atPath: path) else { return (settings, diagnostics) }
        let file = relativePath
        func at(_ node: Node?) -> SourceLocation {
            SourceLocation(file: file, line: (node?.mark?.line ?? 1), column: (node?.mark?.column ?? 1))
        }
        let root: Node?
        do { root = try Yams.compose(yaml: String(decoding: data, as: UTF8.self)) } catch {
            diagnostics.error("invalid YAML: \(error)", at: SourceLocation(file: file, line: 1, column: 1))
            return (settings, diagnostics)
        }
        guard let root else { return (settings, diagnostics) }
        guard case let .mapping(top) = root else {
            diagnostics.error("sluice.yaml is a mapping with 'queues', 'limit' and 'inbox'", at: at(root))
            return (settings, diagnostics)
        }
        for (key, _) in top where !["queues", "limit", "inbox", "retention"].contains(key.string ?? "") {
            diagnostics.error("unknown key '\(key.string ?? "")'; sluice.yaml knows queues, limit, inbox, retention", at: at(key))
        }
        func count(_ node: Node?, _ what: String, minimum: Int) -> Int? {
            guard let node else { return nil }
            guard let n = node.int, n >= minimum, n <= 1000 else {
                diagnostics.error("'\(what)' is a whole number from \(minimum) to 1000", at: at(node))
                return nil
            }
            return n
        }
        if let queues = top["queues"] {
            if case let .mapping(m) = queues {
                for (key, value) in m {
                    guard let name = key.string, !name.isEmpty else { continue }
                    var q = settings.queues[name] ?? Queue(name: name, priority: 0, workers: 1, reserved: 0)
                    if case let .mapping(fields) = value {
                        for (k, _) in fields where !["priority", "workers", "reserved"].contains(k.string ?? "") {
                            diagnostics.error("unknown key '\(k.string ?? "")' in queue '\(name)'; a queue has priority, workers, reserved", at: at(k))
                        }
                        if let p = fields["priority"] {
                            if let n = p.int { q.priority = n } else { diagnostics.error("'priority' is a whole number (higher goes first)", at: at(p)) }
                        }
                        q.workers = count(fields["workers"], "workers", minimum: 1) ?? q.workers
                        q.reserved = count(fields["reserved"], "reserved", minimum: 0) ?? q.reserved
                    } else if !isNull(value) {
                        diagnostics.error("queue '\(name)' is a mapping, e.g. { priority: 5, workers: 2 }", at: at(value))
                    }
                    settings.queues[name] = q
                }
            } else {
                diagnostics.error("'queues' maps queue names to { priority, workers, reserved }", at: at(queues))
            }
        }
        settings.limit = count(top["limit"], "limit", minimum: 1) ?? settings.queues.values.reduce(0) { $0 + $1.workers }
        if let inbox = top["inbox"] {
            if case let .mapping(m) = inbox {
                for (k, _) in m where !["watch", "interval", "rescan"].contains(k.string ?? "") {
                    diagnostics.error("unknown key '\(k.string ?? "")' in 'inbox'; it has watch, interval, rescan", at: at(k))
                }
                if let w = m["watch"] {
                    if let v = w.string.flatMap(Watch.init(rawValue:)) { settings.watch = v } else {
                        diagnostics.error("'watch' is inotify or poll", at: at(w))
                    }
                }
                for (key, assign) in [("interval", { (s: inout DaemonSettings, v: TimeInterval) in s.pollInterval = v }),
                                      ("rescan", { (s: inout DaemonSettings, v: TimeInterval) in s.rescanInterval = v })] {
                    guard let node = m[key] else { continue }
                    if let d = node.string.flatMap(DurationValue.init(parsing:)), d.milliseconds >= 10 { assign(&settings, d.seconds) } else {
                        diagnostics.error("'\(key)' is a duration such as 2s or 1m", at: at(node))
                    }
                }
            } else {
                diagnostics.error("'inbox' is a mapping with watch, interval, rescan", at: at(inbox))
            }
        }
        settings.retention = readRetention(top["retention"], &diagnostics, at: at)
        return (settings, diagnostics)
    }
}

extension DaemonSettings {
    /// What a manifest names that these settings or the other manifests do not have: an
    /// unknown queue (an error: the daemon does not load it), a pipeline in `after:` that does
    /// not exist (a warning: it may be added later).
    public func check(_ loaded: ManifestLoader.Loaded, among names: Set<String>) -> Diagnostics {
        var diagnostics = Diagnostics()
        guard let m = loaded.manifest else { return diagnostics }
        let lines = m.source.split(separator: "\n", omittingEmptySubsequences: false)
        func at(_ key: String) -> SourceLocation {
            let n = lines.firstIndex { $0.hasPrefix(key + ":") } ?? lines.firstIndex { $0.contains(key + ":") } ?? 0
            return SourceLocation(file: loaded.path, line: n + 1, column: 1)
        }
        if queues[m.queue] == nil {
            diagnostics.error("unknown queue '\(m.queue)'\(Suggestion.didYouMean(m.queue, among: queues.keys)); queues: \(queues.keys.sorted().joined(separator: ", ")) (declare more in sluice.yaml)",
                              at: at("queue"))
        }
        for name in m.triggers.after where !names.contains(name) {
            diagnostics.append(Diagnostic(.warning, "'after: \(name)': there is no pipeline named '\(name)'\(Suggestion.didYouMean(name, among: names))",
                                          at: at("after")))
        }
        return diagnostics
    }
}

/// Which waiting runs may start now: each queue has its workers, the global limit caps all
/// queues together, and slots `reserved` by a queue are never taken by lower-priority ones,
/// so a backlog in `default` never delays `critical`. A pipeline's `concurrency` caps its own
/// runs, whatever started them (schedule, inbox, event).
public struct Dispatcher: Sendable {
    public let settings: DaemonSettings
    public private(set) var runningByQueue: [String: Int] = [:]
    public private(set) var runningByPipeline: [String: Int] = [:]
    public private(set) var total = 0

    public init(settings: DaemonSettings) { self.settings = settings }

    /// Whether a run of `pipeline` in `queue` may start now.
    public func canStart(pipeline: String, queue: String, concurrency: Int) -> Bool {
        guard let q = settings.queues[queue] else { return false }
        guard (runningByPipeline[pipeline] ?? 0) < concurrency, (runningByQueue[queue] ?? 0) < q.workers else { return false }
        let heldBack = settings.queues.values.filter { $0.priority > q.priority }
            .reduce(0) { $0 + max(0, $1.reserved - (runningByQueue[$1.name] ?? 0)) }
        return total < settings.limit - heldBack
    }

    public mutating func started(pipeline: String, queue: String) {
        runningByQueue[queue, default: 0] += 1
        runningByPipeline[pipeline, default: 0] += 1
        total += 1
    }

    public mutating func finished(pipeline: String, queue: String) {
        runningByQueue[queue, default: 1] -= 1
        runningByPipeline[pipeline, default: 1] -= 1
        total -= 1
    }
}
