import Foundation

/// An exclusive `flock(2)` on `.sluice/lock`: one runner works a workspace at a time.
/// A second `sluice run` waits for the first; the lock goes with the process, also on kill -9.
public final class WorkspaceLock: Sendable {
    /// Another process holds the lock, and the caller chose not to wait.
    public struct Busy: Error, CustomStringConvertible {
        public var description: String { "another sluice process is working in this workspace" }
    }

    let fd: Int32

    public init(path: String, wait: Bool = true) throws {
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileOperations.Failure(description: "cannot open \(path): \(String(cString: strerror(errno)))") }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard wait else {
                close(fd)
                throw Busy()
            }
            FileHandle.standardError.write(Data("waiting for another sluice process working in this workspace...\n".utf8))
            guard flock(fd, LOCK_EX) == 0 else {
                close(fd)
                throw FileOperations.Failure(description: "cannot lock \(path): \(String(cString: strerror(errno)))")
            }
        }
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
