import CZlib

/// A stream over one entry's inflated bytes, read in chunks with bounded memory.
///
/// It never trusts the declared size as an allocation size, only as a promise it enforces:
/// inflating past it is an error (`sizeMismatch`), as is reaching the per-entry or per-archive
/// cap from ``ZipReadLimits``. At the end the CRC-32 is checked.
public final class ZipEntryReader {
    /// The entry being read.
    public let entry: ZipEntry
    private let archive: ZipArchiveReader
    private let dataStart: UInt64
    private var compressedRead: UInt64 = 0
    private var produced: UInt64 = 0
    private var crc: UInt = 0
    private var finished = false
    private let stream: UnsafeMutablePointer<z_stream>?
    private let input: UnsafeMutableRawBufferPointer
    private static let inputChunk = 64 << 10

    init(archive: ZipArchiveReader, entry: ZipEntry) throws {
        self.archive = archive
        self.entry = entry
        let limits = archive.limits
        if entry.isEncrypted {
            throw ZipError(.unsupported, "the entry is encrypted; save the file without a password", entry: entry.name)
        }
        if entry.method != 0 && entry.method != 8 {
            throw ZipError(.unsupported, "the entry uses compression method \(entry.method); only stored (0) and deflate (8) are supported", entry: entry.name)
        }
        if entry.uncompressedSize > limits.maxEntryBytes {
            throw ZipError(.limitExceeded, "the entry declares \(entry.uncompressedSize) bytes, more than the limit of \(limits.maxEntryBytes) bytes per entry", entry: entry.name)
        }
        let file = archive.file
        guard entry.localHeaderOffset + 30 <= file.size else {
            throw ZipError(.truncated, "the entry's local header lies past the end of the file: the archive is incomplete", entry: entry.name, offset: entry.localHeaderOffset)
        }
        let header = try file.readBytes(count: 30, at: entry.localHeaderOffset)
        guard header.uint32(at: 0) == 0x0403_4b50 else {
            throw ZipError(.corrupt, "the entry's local header is missing (bad signature)", entry: entry.name, offset: entry.localHeaderOffset)
        }
        let start = entry.localHeaderOffset + 30 + UInt64(header.uint16(at: 26)) + UInt64(header.uint16(at: 28))
        guard start <= file.size, entry.compressedSize <= file.size - start else {
            throw ZipError(.truncated, "the entry's data runs past the end of the file: the archive is incomplete", entry: entry.name, offset: start)
        }
        if entry.method == 0 && entry.compressedSize != entry.uncompressedSize {
            throw ZipError(.sizeMismatch, "the stored entry's sizes disagree (\(entry.compressedSize) vs \(entry.uncompressedSize) bytes)", entry: entry.name)
        }
        dataStart = start
        input = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.inputChunk, alignment: 16)
        if entry.method == 8 {
            let s = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
            s.initialize(to: z_stream())
            if sluice_inflate_init_raw(s) != Z_OK {
                s.deallocate()
                input.deallocate()
                throw ZipError(.io, "zlib could not start inflating", entry: entry.name)
            }
            stream = s
        } else {
            stream = nil
        }
    }

    deinit {
        if let stream {
            inflateEnd(stream)
            stream.deinitialize(count: 1)
            stream.deallocate()
        }
        input.deallocate()
    }

    /// Fills `buffer` with the next inflated bytes; returns how many (0 at the end of the entry).
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if finished || buffer.count == 0 { return 0 }
        let n: Int
        if let stream {
            n = try inflateChunk(stream, into: buffer)
        } else {
            n = try copyStored(into: buffer)
        }
        if n > 0 {
            crc = crc32(crc, buffer.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt32(n))
            produced += UInt64(n)
            try account(UInt64(n))
        }
        if finished { try verifyEnd() }
        return n
    }

    private func account(_ count: UInt64) throws {
        if produced > entry.uncompressedSize {
            throw ZipError(.sizeMismatch, "the entry inflates to more than the \(entry.uncompressedSize) bytes it declares: the file is corrupt or hostile", entry: entry.name)
        }
        archive.totalInflated += count
        if archive.totalInflated > archive.limits.maxTotalBytes {
            throw ZipError(.limitExceeded, "the archive inflates to more than the limit of \(archive.limits.maxTotalBytes) bytes in total (a zip bomb?)", entry: entry.name)
        }
    }

    private func verifyEnd() throws {
        if produced != entry.uncompressedSize {
            throw ZipError(.sizeMismatch, "the entry inflates to \(produced) bytes but declares \(entry.uncompressedSize): the file is corrupt", entry: entry.name)
        }
        if UInt32(truncatingIfNeeded: crc) != entry.crc32 {
            throw ZipError(.checksumMismatch, "the entry's CRC-32 does not match its content: the file is corrupt", entry: entry.name)
        }
    }

    private func copyStored(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let remaining = entry.compressedSize - compressedRead
        if remaining == 0 { finished = true; return 0 }
        let want = Int(min(UInt64(buffer.count), remaining))
        let got = try archive.file.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<want]), at: dataStart + compressedRead)
        if got < want {
            throw ZipError(.truncated, "the entry's data ends early: the archive is incomplete", entry: entry.name)
        }
        compressedRead += UInt64(got)
        if compressedRead == entry.compressedSize { finished = true }
        return got
    }

    private func inflateChunk(_ s: UnsafeMutablePointer<z_stream>, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        s.pointee.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
        s.pointee.avail_out = UInt32(min(buffer.count, Int(UInt32.max)))
        let capacity = Int(s.pointee.avail_out)
        while s.pointee.avail_out > 0 {
            if s.pointee.avail_in == 0 {
                let remaining = entry.compressedSize - compressedRead
                if remaining > 0 {
                    let want = Int(min(UInt64(input.count), remaining))
                    let got = try archive.file.read(into: UnsafeMutableRawBufferPointer(rebasing: input[0..<want]), at: dataStart + compressedRead)
                    if got < want {
                        throw ZipError(.truncated, "the entry's data ends early: the archive is incomplete", entry: entry.name)
                    }
                    compressedRead += UInt64(got)
                    s.pointee.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
                    s.pointee.avail_in = UInt32(got)
                }
            }
            let status = inflate(s, Z_NO_FLUSH)
            if status == Z_STREAM_END { finished = true; break }
            if status == Z_BUF_ERROR {
                if s.pointee.avail_in == 0 && compressedRead == entry.compressedSize {
                    throw ZipError(.truncated, "the entry's compressed data ends before its deflate stream does: the file is incomplete or corrupt", entry: entry.name)
                }
                continue
            }
            if status != Z_OK {
                throw ZipError(.corrupt, "the entry's compressed data is invalid (zlib error \(status))", entry: entry.name)
            }
            // Bound output per entry even when the declared size lies (checked again in account()).
            if produced + UInt64(capacity - Int(s.pointee.avail_out)) > entry.uncompressedSize { break }
        }
        return capacity - Int(s.pointee.avail_out)
    }
}
