#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file opened read-only, read with positioned reads (`pread`), closed when released.
final class ReadableFile {
    let descriptor: Int32
    let size: UInt64
    let path: String

    init(path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            let reason = String(cString: strerror(errno))
            throw ZipError(.io, "cannot open \(path): \(reason)")
        }
        var info = stat()
        if fstat(fd, &info) != 0 {
            close(fd)
            throw ZipError(.io, "cannot stat \(path)")
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw ZipError(.io, "\(path) is a folder, not a file")
        }
        descriptor = fd
        size = UInt64(info.st_size)
        self.path = path
    }

    deinit { close(descriptor) }

    /// Reads up to `buffer.count` bytes at `offset`; returns how many were read (fewer only at the end of the file).
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64) throws -> Int {
        var done = 0
        while done < buffer.count {
            let n = pread(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset) + off_t(done))
            if n < 0 {
                if errno == EINTR { continue }
                throw ZipError(.io, "cannot read \(path): \(String(cString: strerror(errno)))", offset: offset)
            }
            if n == 0 { break }
            done += n
        }
        return done
    }

    /// Reads exactly `count` bytes at `offset`, or throws `truncated`.
    func readBytes(count: Int, at offset: UInt64) throws -> [UInt8] {
        if count == 0 { return [] }
        var bytes = [UInt8](repeating: 0, count: count)
        let got = try bytes.withUnsafeMutableBytes { (raw) throws -> Int in
            try read(into: raw, at: offset)
        }
        if got < count {
            throw ZipError(.truncated, "the file ends early: it is incomplete or was cut while being copied", offset: offset)
        }
        return bytes
    }
}
