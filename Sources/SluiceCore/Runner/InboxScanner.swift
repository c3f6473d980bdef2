import Foundation

/// Finds the files in an inbox folder that are ready to claim.
///
/// A file is ready when it is a regular file, not hidden or temporary (`.*`, `*.tmp`,
/// `*.part`, `~$*`), matches the trigger's patterns, and its size and modification time have
/// not changed for the settle time. A file moved in by `rename(2)` keeps its old
/// modification time and is ready at once. A batch run waits for young files instead of
/// skipping them. Symbolic links and FIFOs are never followed: they are claimed as inputs
/// that fail with an explanation, so nothing is left behind silently.
public struct InboxScanner: Sendable {
    public struct Candidate: Sendable, Hashable {
        public var path: String
        public var name: String
        public var size: Int64
        /// Not a regular file: the reason it is refused.
        public var refusal: String?
        /// Has other hard links: its bytes are copied, not renamed.
        public var hardLinked: Bool
    }

    public struct Scan: Sendable {
        public var ready: [Candidate] = []
        public var skipped: [(path: String, reason: String)] = []
    }

    public let directory: String
    public let settings: Triggers.Inbox
    public let clock: any RunClock
    public let maximumWait: TimeInterval

    public init(directory: String, settings: Triggers.Inbox, clock: any RunClock, maximumWait: TimeInterval) {
        self.directory = directory
        self.settings = settings
        self.clock = clock
        self.maximumWait = maximumWait
    }

    public static func isIgnored(_ name: String) -> Bool {
        name.hasPrefix(".") || name.hasSuffix(".tmp") || name.hasSuffix(".part") || name.hasPrefix("~$")
    }

    public func matches(_ name: String) -> Bool {
        settings.patterns.isEmpty || settings.patterns.contains { fnmatch($0, name, 0) == 0 }
    }

    /// The folder's entries that are not hidden or temporary and match the patterns, sorted by
    /// name; the others that do not match are noted as skipped.
    func entries(skipping scan: inout Scan) -> [(name: String, path: String)] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
        var result: [(name: String, path: String)] = []
        for name in names where !Self.isIgnored(name) {
            let path = directory + "/" + name
            if matches(name) { result.append((name, path)) } else {
                scan.skipped.append((path, "does not match the inbox pattern \(settings.patterns.joined(separator: ", "))"))
            }
        }
        return result
    }

    /// The daemon's look at the folder: never waits. Files still being written are left for a
    /// later look, at `settlesAt` (the earliest time one of them can be ready).
    public func readyNow() -> (scan: Scan, settlesAt: Date?) {
        var scan = Scan()
        var settlesAt: Date?
        let settle = settings.settle.seconds
        let now = clock.now()
        for (name, path) in entries(skipping: &scan) {
            var st = stat()
            guard lstat(path, &st) == 0 else { continue }
            if let refusal = Self.refusal(name, st) {
                scan.ready.append(Candidate(path: path, name: name, size: 0, refusal: refusal, hardLinked: false))
                continue
            }
            guard st.st_mode & S_IFMT == S_IFREG else { continue }
            let mtime = Date(timeIntervalSince1970: Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9)
            if now.timeIntervalSince(mtime) >= settle {
                scan.ready.append(Candidate(path: path, name: name, size: Int64(st.st_size), refusal: nil, hardLinked: st.st_nlink > 1))
            } else {
                let ready = max(mtime, now) + settle
                settlesAt = min(settlesAt ?? ready, ready)
            }
        }
        return (scan, settlesAt)
    }

    /// Why an entry that is not a regular file is refused (nil for files and folders).
    static func refusal(_ name: String, _ st: stat) -> String? {
        let type = st.st_mode & S_IFMT
        guard type == S_IFLNK || type == S_IFIFO || type == S_IFSOCK || type == S_IFCHR || type == S_IFBLK else { return nil }
        let what = type == S_IFLNK ? "a symbolic link (links are never followed)" : (type == S_IFIFO ? "a FIFO" : "not a regular file")
        return "\(name) is \(what); drop the file itself"
    }

    /// Ready files, sorted by name; waits (on the clock) for files still being written.
    public func readyFiles() -> Scan {
        var scan = Scan()
        let settle = settings.settle.seconds
        let deadline = clock.now() + maximumWait
        for (name, path) in entries(skipping: &scan) {
            var previous: stat?
            while true {
                var st = stat()
                guard lstat(path, &st) == 0 else { break } // gone meanwhile
                if let refusal = Self.refusal(name, st) {
                    scan.ready.append(Candidate(path: path, name: name, size: 0, refusal: refusal, hardLinked: false))
                    break
                }
                guard st.st_mode & S_IFMT == S_IFREG else { break } // folders are left alone
                let mtime = Date(timeIntervalSince1970: Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9)
                let age = clock.now().timeIntervalSince(mtime)
                let stable = previous.map { $0.st_size == st.st_size && $0.st_mtim.tv_sec == st.st_mtim.tv_sec && $0.st_mtim.tv_nsec == st.st_mtim.tv_nsec } ?? true
                if age >= settle && stable {
                    scan.ready.append(Candidate(path: path, name: name, size: Int64(st.st_size), refusal: nil, hardLinked: st.st_nlink > 1))
                    break
                }
                if clock.now() >= deadline {
                    scan.skipped.append((path, "still being written after \(Int(maximumWait))s; it will be claimed by a later run"))
                    break
                }
                previous = st
                // Look again when the file would have settled (at least 50 ms from now).
                clock.sleep(until: min(deadline, clock.now() + max(0.05, settle - max(age, 0))))
            }
        }
        return scan
    }
}

extension InboxScanner {
    /// How a look at an inbox treats files still being written.
    public enum Settling: Sendable, Equatable {
        /// Waits (on the clock) up to this long for young files to settle (`sluice run`).
        case waitAtMost(TimeInterval)
        /// Never waits: young files are left for a later look, at the time they settle (the daemon).
        case leaveForLater
        /// Takes every file as it is now, whatever its age (`sluice plan`).
        case ignore
    }

    /// The one place a pipeline's inbox scanner is made: nil when the pipeline has no inbox trigger.
    public init?(inboxOf manifest: Manifest, in workspace: Workspace, clock: any RunClock, settling: Settling) {
        guard var settings = manifest.triggers.inbox else { return nil }
        var wait: TimeInterval = 0
        switch settling {
        case let .waitAtMost(seconds): wait = seconds
        case .leaveForLater: break
        case .ignore: settings.settle = DurationValue(milliseconds: 0)
        }
        self.init(directory: workspace.inbox(manifest.name), settings: settings, clock: clock, maximumWait: wait)
    }
}
