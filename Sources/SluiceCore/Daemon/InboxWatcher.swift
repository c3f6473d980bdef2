import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Watches inbox folders and `pipelines/` with inotify and reports which changed. It only
/// says where to look: the daemon then scans the folder, so an event lost (a full queue, a
/// folder replaced) costs at most the wait for the periodic rescan, never a file.
///
/// A file dropped by `rename(2)` gives IN_MOVED_TO; a file written in place gives
/// IN_CLOSE_WRITE, and IN_ATTRIB when its modification time is set afterwards.
public final class InboxWatcher: Sendable {
    public enum Change: Sendable, Hashable {
        case inbox(String)
        case manifests
        /// Events were dropped by the kernel: look everywhere.
        case overflow
    }

    private let fd: Int32
    private let stopPipe: [Int32]
    struct Watches {
        var folders: [Int32: Change] = [:]
        var watched: [String: Int32] = [:]
    }

    private let watches = Mutex(Watches())
    private let handler = Mutex<@Sendable (Set<Change>) -> Void>({ _ in })

    /// Reports nothing until `onChange` is set.
    public init() throws {
        fd = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        guard fd >= 0 else { throw FileOperations.Failure(description: "inotify is not available: \(String(cString: strerror(errno)))") }
        var p: [Int32] = [0, 0]
        guard pipe(&p) == 0 else { throw FileOperations.Failure(description: "cannot create a pipe: \(String(cString: strerror(errno)))") }
        stopPipe = p
    }

    /// What to call with the changes seen (set before `start`).
    public func onChange(_ handle: @escaping @Sendable (Set<Change>) -> Void) {
        handler.withLock { $0 = handle }
    }

    deinit {
        close(fd)
        close(stopPipe[0])
        close(stopPipe[1])
    }

    /// Watches `path` (created when missing) and reports its changes as `change`.
    public func watch(_ path: String, as change: Change) throws {
        try FileOperations.makeDirectory(path)
        let mask: UInt32 = change == .manifests
            ? UInt32(IN_MOVED_TO | IN_CLOSE_WRITE | IN_DELETE | IN_MOVED_FROM | IN_CREATE)
            : UInt32(IN_MOVED_TO | IN_CLOSE_WRITE | IN_ATTRIB | IN_CREATE)
        let wd = inotify_add_watch(fd, path, mask)
        guard wd >= 0 else { throw FileOperations.Failure(description: "cannot watch \(path): \(String(cString: strerror(errno)))") }
        watches.withLock {
            $0.folders[wd] = change
            $0.watched[path] = wd
        }
    }

    /// Stops watching `path`.
    public func unwatch(_ path: String) {
        watches.withLock {
            if let wd = $0.watched.removeValue(forKey: path) {
                inotify_rm_watch(fd, wd)
                $0.folders[wd] = nil
            }
        }
    }

    public var watchedPaths: Set<String> { watches.withLock { Set($0.watched.keys) } }

    /// Starts the reading thread.
    public func start() {
        let t = Thread { [self] in readLoop() }
        t.name = "sluice-inotify"
        t.start()
    }

    /// Stops the reading thread (returns at once; the thread ends after its current read).
    public func stop() {
        var b: UInt8 = 1
        _ = write(stopPipe[1], &b, 1)
    }

    private func readLoop() {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            var fds = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0), pollfd(fd: stopPipe[0], events: Int16(POLLIN), revents: 0)]
            let n = poll(&fds, 2, -1)
            if n < 0 && errno == EINTR { continue }
            if n < 0 || fds[1].revents != 0 { return }
            var changes = Set<Change>()
            while true {
                let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count <= 0 { break }
                var offset = 0
                buffer.withUnsafeBytes { raw in
                    while offset + MemoryLayout<inotify_event>.size <= count {
                        let wd = raw.loadUnaligned(fromByteOffset: offset, as: Int32.self)
                        let mask = raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
                        let length = Int(raw.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
                        if mask & UInt32(IN_Q_OVERFLOW) != 0 {
                            changes.insert(.overflow)
                        } else if let change = watches.withLock({ $0.folders[wd] }) {
                            changes.insert(change)
                        }
                        offset += MemoryLayout<inotify_event>.size + length
                    }
                }
            }
            if !changes.isEmpty { handler.withLock { $0 }(changes) }
        }
    }
}
