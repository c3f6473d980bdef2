#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed file system call: which call, on which path, and the system's reason.
struct POSIXFileFailure: Error, Sendable {
    var operation: String
    var path: String
    var code: Int32

    var message: String {
        let reason = String(cString: strerror(code))
        return "cannot \(operation) '\(path)': \(reason)"
    }
}

/// The few POSIX file calls the CSV and JSON readers and writers need, with EINTR and
/// short reads/writes handled.
enum POSIXFile {
    /// Reads a whole regular file into memory, sized by `fstat` so one allocation usually does.
    static func readAll(path: String) throws(POSIXFileFailure) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw POSIXFileFailure(operation: "open", path: path, code: errno) }
        defer { _ = systemClose(fd) }
        var info = stat()
        if fstat(fd, &info) != 0 { throw POSIXFileFailure(operation: "stat", path: path, code: errno) }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw POSIXFileFailure(operation: "read", path: path, code: EISDIR) }
        let expected = max(Int(info.st_size), 0)
        var failure: Int32 = 0
        var result = [UInt8](unsafeUninitializedCapacity: expected + 1) { buffer, initialized in
            initialized = readFully(fd, into: buffer, failure: &failure)
        }
        if failure != 0 { throw POSIXFileFailure(operation: "read", path: path, code: failure) }
        // The file grew since fstat (or is not a regular file): read the rest in chunks.
        while result.count > expected {
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            let n = chunk.withUnsafeMutableBufferPointer { readFully(fd, into: $0, failure: &failure) }
            if failure != 0 { throw POSIXFileFailure(operation: "read", path: path, code: failure) }
            result.append(contentsOf: chunk[0..<n])
            if n < chunk.count { break }
        }
        return result
    }

    /// Reads until the buffer is full or end of file; returns the bytes read.
    private static func readFully(_ fd: Int32, into buffer: UnsafeMutableBufferPointer<UInt8>, failure: inout Int32) -> Int {
        var count = 0
        while count < buffer.count {
            let n = read(fd, buffer.baseAddress! + count, buffer.count - count)
            if n < 0 {
                if errno == EINTR { continue }
                failure = errno
                return count
            }
            if n == 0 { break }
            count += n
        }
        return count
    }

    /// Opens (creating or truncating) a file for writing with mode 0644.
    static func openForWriting(path: String) throws(POSIXFileFailure) -> Int32 {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if fd < 0 { throw POSIXFileFailure(operation: "create", path: path, code: errno) }
        return fd
    }

    /// Writes every byte, retrying short writes and EINTR.
    static func writeAll(_ bytes: [UInt8], to fd: Int32, path: String) throws(POSIXFileFailure) {
        var failure: Int32 = 0
        bytes.withUnsafeBufferPointer { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += n
            }
        }
        if failure != 0 { throw POSIXFileFailure(operation: "write", path: path, code: failure) }
    }

    static func sync(_ fd: Int32, path: String) throws(POSIXFileFailure) {
        if fsync(fd) != 0 { throw POSIXFileFailure(operation: "fsync", path: path, code: errno) }
    }

    static func closeFile(_ fd: Int32, path: String) throws(POSIXFileFailure) {
        if Self.systemClose(fd) != 0 { throw POSIXFileFailure(operation: "close", path: path, code: errno) }
    }

    static func systemClose(_ fd: Int32) -> Int32 {
        #if canImport(Darwin)
        return Darwin.close(fd)
        #elseif canImport(Musl)
        return Musl.close(fd)
        #else
        return Glibc.close(fd)
        #endif
    }
}
