import CZlib
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a zip archive to a file, one entry at a time, streaming each entry's content through
/// deflate with bounded memory.
///
/// Output is deterministic: every entry carries the same fixed timestamp (1980-01-01 00:00) and
/// no extra fields, so the same entries produce the same bytes. Each local header is written
/// first and its CRC and sizes patched in place when the entry ends (no data descriptors).
/// Archives over 4 GiB (zip64) are refused.
public final class ZipArchiveWriter {
    private struct Written {
        var name: [UInt8]
        var method: UInt16
        var crc: UInt32
        var compressedSize: UInt64
        var uncompressedSize: UInt64
        var offset: UInt64
    }

    private var descriptor: Int32
    private let path: String
    private let sync: Bool
    private var written: [Written] = []
    private var offset: UInt64 = 0
    private var output: UnsafeMutableRawBufferPointer
    private var outputCount = 0
    private var stream: UnsafeMutablePointer<z_stream>?
    private var current: Written?
    private var crc: UInt = 0
    private var finished = false
    private static let dosTime: UInt16 = 0
    private static let dosDate: UInt16 = (0 << 9) | (1 << 5) | 1

    /// Creates (or truncates) the file at `path`. With `sync`, `finish()` fsyncs it.
    public init(path: String, sync: Bool = true) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if fd < 0 {
            throw ZipError(.io, "cannot create \(path): \(String(cString: strerror(errno)))")
        }
        descriptor = fd
        self.path = path
        self.sync = sync
        output = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 << 10, alignment: 16)
    }

    deinit {
        if let stream {
            deflateEnd(stream)
            stream.deallocate()
        }
        output.deallocate()
        if descriptor >= 0 { close(descriptor) }
    }

    /// Starts an entry; `level` is the zlib level (0 stores the entry uncompressed).
    public func beginEntry(name: String, level: Int32 = 6) throws {
        guard !finished else { throw ZipError(.io, "the archive is already finished", entry: name) }
        if current != nil { try endEntry() }
        let nameBytes = Array(name.utf8)
        let method: UInt16 = level == 0 ? 0 : 8
        current = Written(name: nameBytes, method: method, crc: 0, compressedSize: 0, uncompressedSize: 0, offset: offset)
        crc = 0
        var header: [UInt8] = []
        header.appendLittleEndian(UInt32(0x0403_4b50))
        header.appendLittleEndian(UInt16(20))
        header.appendLittleEndian(UInt16(nameBytes.contains { $0 >= 0x80 } ? 0x0800 : 0))
        header.appendLittleEndian(method)
        header.appendLittleEndian(Self.dosTime)
        header.appendLittleEndian(Self.dosDate)
        header.append(contentsOf: [UInt8](repeating: 0, count: 12))
        header.appendLittleEndian(UInt16(nameBytes.count))
        header.appendLittleEndian(UInt16(0))
        header.append(contentsOf: nameBytes)
        try emit(header)
        if method == 8 {
            let s = stream ?? {
                let s = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
                s.initialize(to: z_stream())
                return s
            }()
            if stream != nil { deflateEnd(s); s.pointee = z_stream() }
            guard sluice_deflate_init_raw(s, level) == Z_OK else {
                throw ZipError(.io, "zlib could not start deflating", entry: name)
            }
            stream = s
        }
    }

    /// Appends bytes to the current entry.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard current != nil else { throw ZipError(.io, "no entry is open") }
        if bytes.isEmpty { return }
        crc = crc32(crc, bytes.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt32(bytes.count))
        current!.uncompressedSize += UInt64(bytes.count)
        if current!.method == 0 {
            try emit(bytes)
        } else {
            try deflateInput(bytes, flush: Z_NO_FLUSH)
        }
    }

    /// Appends bytes to the current entry.
    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Ends the current entry, patching its local header with the CRC and sizes.
    public func endEntry() throws {
        guard var entry = current else { return }
        if entry.method == 8 { try deflateInput(UnsafeRawBufferPointer(start: nil, count: 0), flush: Z_FINISH) }
        entry.crc = UInt32(truncatingIfNeeded: crc)
        entry.compressedSize = offset - entry.offset - 30 - UInt64(entry.name.count)
        guard entry.compressedSize < 0xFFFF_FFFF, entry.uncompressedSize < 0xFFFF_FFFF, offset < 0xFFFF_FFFF else {
            throw ZipError(.limitExceeded, "the entry is larger than 4 GiB, which this writer does not support (no zip64)", entry: String(decoding: entry.name, as: UTF8.self))
        }
        try flush()
        var patch: [UInt8] = []
        patch.appendLittleEndian(entry.crc)
        patch.appendLittleEndian(UInt32(entry.compressedSize))
        patch.appendLittleEndian(UInt32(entry.uncompressedSize))
        let done = patch.withUnsafeBytes { pwrite(descriptor, $0.baseAddress!, 12, off_t(entry.offset + 14)) }
        if done != 12 { throw ZipError(.io, "cannot write \(path): \(String(cString: strerror(errno)))") }
        written.append(entry)
        current = nil
    }

    /// Writes the central directory and closes the file.
    public func finish() throws {
        if finished { return }
        try endEntry()
        let directoryStart = offset
        for entry in written {
            var header: [UInt8] = []
            header.appendLittleEndian(UInt32(0x0201_4b50))
            header.appendLittleEndian(UInt16(20))
            header.appendLittleEndian(UInt16(20))
            header.appendLittleEndian(UInt16(entry.name.contains { $0 >= 0x80 } ? 0x0800 : 0))
            header.appendLittleEndian(entry.method)
            header.appendLittleEndian(Self.dosTime)
            header.appendLittleEndian(Self.dosDate)
            header.appendLittleEndian(entry.crc)
            header.appendLittleEndian(UInt32(entry.compressedSize))
            header.appendLittleEndian(UInt32(entry.uncompressedSize))
            header.appendLittleEndian(UInt16(entry.name.count))
            header.append(contentsOf: [UInt8](repeating: 0, count: 12))
            header.appendLittleEndian(UInt32(entry.offset))
            header.append(contentsOf: entry.name)
            try emit(header)
        }
        let directorySize = offset - directoryStart
        guard written.count < 0xFFFF, offset < 0xFFFF_FFFF else {
            throw ZipError(.limitExceeded, "the archive is too large for a zip without zip64")
        }
        var end: [UInt8] = []
        end.appendLittleEndian(UInt32(0x0605_4b50))
        end.appendLittleEndian(UInt32(0))
        end.appendLittleEndian(UInt16(written.count))
        end.appendLittleEndian(UInt16(written.count))
        end.appendLittleEndian(UInt32(directorySize))
        end.appendLittleEndian(UInt32(directoryStart))
        end.appendLittleEndian(UInt16(0))
        try emit(end)
        try flush()
        if sync && fsync(descriptor) != 0 && errno != EINVAL {
            throw ZipError(.io, "cannot sync \(path): \(String(cString: strerror(errno)))")
        }
        close(descriptor)
        descriptor = -1
        finished = true
    }

    // MARK: - Output

    private func deflateInput(_ bytes: UnsafeRawBufferPointer, flush mode: Int32) throws {
        guard let s = stream else { return }
        s.pointee.next_in = UnsafeMutablePointer(mutating: bytes.baseAddress?.assumingMemoryBound(to: Bytef.self))
        s.pointee.avail_in = UInt32(bytes.count)
        while true {
            if outputCount == output.count { try flush() }
            s.pointee.next_out = (output.baseAddress! + outputCount).assumingMemoryBound(to: Bytef.self)
            s.pointee.avail_out = UInt32(output.count - outputCount)
            let before = s.pointee.avail_out
            let status = deflate(s, mode)
            let produced = Int(before - s.pointee.avail_out)
            outputCount += produced
            offset += UInt64(produced)
            if status == Z_STREAM_END { return }
            guard status == Z_OK || status == Z_BUF_ERROR else {
                throw ZipError(.io, "zlib failed while deflating (error \(status))")
            }
            if mode == Z_NO_FLUSH && s.pointee.avail_in == 0 && s.pointee.avail_out > 0 { return }
        }
    }

    private func emit(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try emit($0) }
    }

    private func emit(_ bytes: UnsafeRawBufferPointer) throws {
        var rest = bytes
        while !rest.isEmpty {
            if outputCount == output.count { try flush() }
            let n = min(rest.count, output.count - outputCount)
            (output.baseAddress! + outputCount).copyMemory(from: rest.baseAddress!, byteCount: n)
            outputCount += n
            offset += UInt64(n)
            rest = UnsafeRawBufferPointer(rebasing: rest[n...])
        }
    }

    private func flush() throws {
        var done = 0
        while done < outputCount {
            let n = systemWrite(descriptor, output.baseAddress! + done, outputCount - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw ZipError(.io, "cannot write \(path): \(String(cString: strerror(errno)))")
            }
            done += n
        }
        outputCount = 0
    }
}

@inline(__always)
private func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(fd, bytes, count)
    #else
    Darwin.write(fd, bytes, count)
    #endif
}
