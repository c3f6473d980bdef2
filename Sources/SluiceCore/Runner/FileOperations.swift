import Foundation

/// Durable file operations: write-temp, fsync, rename, fsync the directory.
///
/// The calls that sync take the runner's `SyncDeferral`: while its group commit defers syncs,
/// they skip their fsyncs, and `SyncDeferral.syncFileSystems` makes everything written since
/// durable at once, before the ledger commits the group that names it. Without one (nil),
/// every sync happens at once.
public enum FileOperations {
    /// `syncfs(2)` on every file system holding `paths`: one call per file system flushes
    /// every file, folder entry and database log written so far.
    public static func syncFileSystems(_ paths: [String]) throws {
        var done: Set<UInt64> = []
        for path in paths {
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { if errno == ENOENT { continue }; throw fail("cannot open", path) }
            defer { close(fd) }
            var st = stat()
            guard fstat(fd, &st) == 0 else { throw fail("cannot stat", path) }
            guard done.insert(UInt64(st.st_dev)).inserted else { continue }
            guard linuxSyncfs(fd) == 0 else { throw fail("cannot sync the file system of", path) }
        }
    }

    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    static func fail(_ what: String, _ path: String) -> Failure {
        Failure(description: "\(what) \(path): \(String(cString: strerror(errno)))")
    }

    public static func createDirectory(_ path: String) throws {
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw Failure(description: "cannot create folder \(path): \(error.localizedDescription)")
        }
    }

    /// `mkdir -p` with plain system calls: cheap when the folder (or most of its parents) exists.
    public static func makeDirectory(_ path: String) throws {
        if mkdir(path, 0o755) == 0 || errno == EEXIST { return }
        guard errno == ENOENT else { throw fail("cannot create folder", path) }
        try makeDirectory((path as NSString).deletingLastPathComponent)
        if mkdir(path, 0o755) != 0 && errno != EEXIST { throw fail("cannot create folder", path) }
    }

    public static func fsync(path: String, deferral: SyncDeferral? = nil) throws {
        if deferral?.isDeferring == true { return }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw fail("cannot open", path) }
        defer { close(fd) }
        guard Glibc.fsync(fd) == 0 else { throw fail("cannot fsync", path) }
    }

    public static func fsyncDirectory(of path: String, deferral: SyncDeferral? = nil) throws {
        try fsync(path: (path as NSString).deletingLastPathComponent, deferral: deferral)
    }

    /// Writes `bytes` to `path` without syncing: for files in a run's work folder, which the
    /// runner fsyncs before the checkpoint that names them.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw fail("cannot create", path) }
        defer { close(fd) }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, bytes.count - written) }
            if n < 0 { throw fail("cannot write", path) }
            written += n
        }
    }

    /// Writes `bytes` to `path` atomically and durably.
    public static func writeAtomically(_ bytes: [UInt8], to path: String, deferral: SyncDeferral? = nil) throws {
        let temp = path + ".tmp-\(getpid())"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw fail("cannot create", temp) }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, bytes.count - written) }
            if n < 0 { close(fd); throw fail("cannot write", temp) }
            written += n
        }
        if deferral?.isDeferring != true {
            guard Glibc.fsync(fd) == 0 else { close(fd); throw fail("cannot fsync", temp) }
        }
        close(fd)
        guard rename(temp, path) == 0 else { throw fail("cannot rename into", path) }
        try fsyncDirectory(of: path, deferral: deferral)
    }

    public static func writeAtomically(_ text: String, to path: String, deferral: SyncDeferral? = nil) throws {
        try writeAtomically(Array(text.utf8), to: path, deferral: deferral)
    }

    /// `rename(2)`, then fsync both directories (or neither, when the caller syncs them).
    public static func move(_ from: String, to: String, sync: Bool = true, deferral: SyncDeferral? = nil) throws {
        guard rename(from, to) == 0 else { throw fail("cannot move \(from) to", to) }
        if sync {
            try fsyncDirectory(of: to, deferral: deferral)
            try fsyncDirectory(of: from, deferral: deferral)
        }
    }

    /// Puts an independent copy of `source` at `destination` (never a hard link: the source may
    /// be a file a person goes on editing): copied under a temporary name, fsynced, renamed.
    public static func copyDurably(_ source: String, to destination: String, deferral: SyncDeferral? = nil) throws {
        let temp = (destination as NSString).deletingLastPathComponent + "/.sluice-copy-" + (destination as NSString).lastPathComponent
        unlink(temp)
        do { try FileManager.default.copyItem(atPath: source, toPath: temp) } catch {
            throw Failure(description: "cannot copy \(source): \(error.localizedDescription)")
        }
        try fsync(path: temp, deferral: deferral)
        try move(temp, to: destination, deferral: deferral)
    }

    /// Puts a copy of `source` at `destination` atomically: hard link when possible, else copy;
    /// then rename over the destination (reprocessing uses it to bring archived inputs into a
    /// new run). Repeating it is harmless; the temporary name is fixed, so one left by a crash is
    /// replaced by the next attempt.
    ///
    /// The source must already be durable (a hard link adds a name, not data); the destination's
    /// folder is fsynced unless `syncDirectory` is false.
    public static func placeCopy(_ source: String, to destination: String, syncDirectory: Bool = true,
                                 deferral: SyncDeferral? = nil) throws {
        var a = stat(), b = stat()
        if stat(source, &a) == 0, stat(destination, &b) == 0, a.st_dev == b.st_dev, a.st_ino == b.st_ino { return }
        let temp = (destination as NSString).deletingLastPathComponent + "/.sluice-copy-" + (destination as NSString).lastPathComponent
        unlink(temp)
        if link(source, temp) != 0 {
            do { try FileManager.default.copyItem(atPath: source, toPath: temp) } catch {
                throw Failure(description: "cannot copy \(source) to \(temp): \(error.localizedDescription)")
            }
            try fsync(path: temp, deferral: deferral)
        }
        guard rename(temp, destination) == 0 else { throw fail("cannot place a copy at", destination) }
        if syncDirectory { try fsyncDirectory(of: destination, deferral: deferral) }
    }

    /// SHA-256 and size of a file, read in 1 MiB chunks.
    public static func sha256(path: String) throws -> (String, Int64) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw fail("cannot open", path) }
        defer { close(fd) }
        var hasher = SHA256()
        var size: Int64 = 0
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = read(fd, buffer.baseAddress, buffer.count)
            if n < 0 { throw fail("cannot read", path) }
            if n == 0 { break }
            hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0 ..< n]))
            size += Int64(n)
        }
        return (SHA256.hexString(hasher.finalize()), size)
    }

    public static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    public static func removeTree(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    public static func readBytes(_ path: String) throws -> [UInt8] {
        guard let d = FileManager.default.contents(atPath: path) else { throw Failure(description: "cannot read \(path)") }
        return [UInt8](d)
    }
}

/// `syncfs(2)` (glibc declares it only under `_GNU_SOURCE`, which the Glibc module does not set).
@_silgen_name("syncfs")
private func linuxSyncfs(_ fd: Int32) -> Int32
