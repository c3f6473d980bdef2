/// Reads a zip archive from a file: the central directory once, then entries on demand as streams.
///
/// Only the central directory is held in memory; entry content is read with positioned reads and
/// inflated in chunks (see ``ZipEntryReader``). Supports stored and deflated entries, data
/// descriptors and zip64. Entry names are normalised (`\` → `/`, no leading `/`); two entries
/// with the same normalised name are refused, as is any entry whose data would lie outside the file.
public final class ZipArchiveReader {
    /// Every entry, in central-directory order.
    public let entries: [ZipEntry]
    /// The limits this archive enforces.
    public let limits: ZipReadLimits
    let file: ReadableFile
    private let indexByName: [String: Int]
    private let indexByLowercasedName: [String: Int]
    /// Bytes inflated so far by all readers of this archive (checked against `limits.maxTotalBytes`).
    var totalInflated: UInt64 = 0

    /// Opens the archive at `path` and reads its central directory.
    public convenience init(path: String, limits: ZipReadLimits = .init()) throws {
        try self.init(file: ReadableFile(path: path), limits: limits)
    }

    init(file: ReadableFile, limits: ZipReadLimits) throws {
        self.limits = limits
        self.file = file
        entries = try Self.readCentralDirectory(file, limits: limits)
        var byName: [String: Int] = [:]
        var byLowercased: [String: Int] = [:]
        for (index, entry) in entries.enumerated() {
            if byName.updateValue(index, forKey: entry.name) != nil {
                throw ZipError(.duplicateEntry, "the archive holds two entries named \(entry.name); it is malformed or was tampered with", entry: entry.name)
            }
            byLowercased[entry.name.lowercased()] = byLowercased[entry.name.lowercased()] ?? index
        }
        indexByName = byName
        indexByLowercasedName = byLowercased
    }

    /// The size of the archive file in bytes.
    public var fileSize: UInt64 { file.size }

    /// The entry with this name (exact match first, then ASCII case-insensitive as OPC part names are).
    public func entry(named name: String) -> ZipEntry? {
        var key = name
        if key.hasPrefix("/") { key.removeFirst() }
        if let index = indexByName[key] { return entries[index] }
        if let index = indexByLowercasedName[key.lowercased()] { return entries[index] }
        return nil
    }

    /// Opens a stream over the inflated content of `entry`.
    public func openEntry(_ entry: ZipEntry) throws -> ZipEntryReader {
        try ZipEntryReader(archive: self, entry: entry)
    }

    /// Reads the whole inflated content of the named entry (for small parts).
    public func readEntry(named name: String) throws -> [UInt8] {
        guard let entry = entry(named: name) else {
            throw ZipError(.missingEntry, "the archive has no entry named \(name)", entry: name)
        }
        let reader = try openEntry(entry)
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let n = try chunk.withUnsafeMutableBytes { try reader.read(into: $0) }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return bytes
    }

    // MARK: - Central directory

    private static let endOfCentralDirectorySignature: UInt32 = 0x0605_4b50
    private static let zip64LocatorSignature: UInt32 = 0x0706_4b50
    private static let zip64EndSignature: UInt32 = 0x0606_4b50
    private static let centralHeaderSignature: UInt32 = 0x0201_4b50

    private static func readCentralDirectory(_ file: ReadableFile, limits: ZipReadLimits) throws -> [ZipEntry] {
        let size = file.size
        if size < 22 {
            throw ZipError(.truncated, "the file is too short (\(size) bytes) to be a complete zip archive")
        }
        let signature = try file.readBytes(count: 4, at: 0)
        if signature != [0x50, 0x4b, 0x03, 0x04] && signature != [0x50, 0x4b, 0x05, 0x06] {
            throw ZipError(.notAZip, "the file is not a zip archive (it does not start with PK\\x03\\x04)")
        }
        // The end record is in the last 22 + 65535 bytes (its comment is at most 65535 bytes).
        let tailLength = Int(min(size, 22 + 65_535))
        let tailStart = size - UInt64(tailLength)
        let tail = try file.readBytes(count: tailLength, at: tailStart)
        var endIndex = -1
        var i = tailLength - 22
        while i >= 0 {
            if tail[i] == 0x50 && tail[i + 1] == 0x4b && tail.uint32(at: i) == endOfCentralDirectorySignature {
                let commentLength = Int(tail.uint16(at: i + 20))
                if i + 22 + commentLength <= tailLength { endIndex = i; break }
            }
            i -= 1
        }
        if endIndex < 0 {
            throw ZipError(.truncated, "the zip archive has no central directory: the file is incomplete (cut, or still being copied); try again once it is complete")
        }
        let diskNumber = tail.uint16(at: endIndex + 4)
        let directoryDisk = tail.uint16(at: endIndex + 6)
        var entryCount = UInt64(tail.uint16(at: endIndex + 10))
        var directorySize = UInt64(tail.uint32(at: endIndex + 12))
        var directoryOffset = UInt64(tail.uint32(at: endIndex + 16))
        if diskNumber != 0 && diskNumber != 0xFFFF || directoryDisk != 0 && directoryDisk != 0xFFFF {
            throw ZipError(.unsupported, "multi-volume (split) zip archives are not supported")
        }
        // zip64: a locator sits just before the end record.
        let endRecordOffset = tailStart + UInt64(endIndex)
        if endRecordOffset >= 20 {
            let locator = try file.readBytes(count: 20, at: endRecordOffset - 20)
            if locator.uint32(at: 0) == zip64LocatorSignature {
                let zip64EndOffset = locator.uint64(at: 8)
                guard zip64EndOffset + 56 <= size else {
                    throw ZipError(.corrupt, "the zip64 end record points outside the file", offset: zip64EndOffset)
                }
                let record = try file.readBytes(count: 56, at: zip64EndOffset)
                guard record.uint32(at: 0) == zip64EndSignature else {
                    throw ZipError(.corrupt, "the zip64 end record is missing where its locator points", offset: zip64EndOffset)
                }
                entryCount = record.uint64(at: 32)
                directorySize = record.uint64(at: 40)
                directoryOffset = record.uint64(at: 48)
            }
        }
        if entryCount > UInt64(limits.maxEntryCount) {
            throw ZipError(.limitExceeded, "the archive lists \(entryCount) entries, more than the limit of \(limits.maxEntryCount)")
        }
        if directorySize > UInt64(limits.maxCentralDirectoryBytes) {
            throw ZipError(.limitExceeded, "the archive's central directory is \(directorySize) bytes, more than the limit of \(limits.maxCentralDirectoryBytes)")
        }
        guard directoryOffset <= size, directorySize <= size - directoryOffset else {
            throw ZipError(.truncated, "the central directory lies outside the file: the archive is incomplete or corrupt", offset: directoryOffset)
        }
        let directory = try file.readBytes(count: Int(directorySize), at: directoryOffset)
        var entries: [ZipEntry] = []
        entries.reserveCapacity(Int(entryCount))
        var p = 0
        for _ in 0..<entryCount {
            guard p + 46 <= directory.count, directory.uint32(at: p) == centralHeaderSignature else {
                throw ZipError(.corrupt, "the central directory is malformed (bad header signature)", offset: directoryOffset + UInt64(p))
            }
            let flags = directory.uint16(at: p + 8)
            let method = directory.uint16(at: p + 10)
            let crc = directory.uint32(at: p + 16)
            var compressed = UInt64(directory.uint32(at: p + 20))
            var uncompressed = UInt64(directory.uint32(at: p + 24))
            let nameLength = Int(directory.uint16(at: p + 28))
            let extraLength = Int(directory.uint16(at: p + 30))
            let commentLength = Int(directory.uint16(at: p + 32))
            var localOffset = UInt64(directory.uint32(at: p + 42))
            let nameStart = p + 46
            let extraStart = nameStart + nameLength
            let next = extraStart + extraLength + commentLength
            guard next <= directory.count else {
                throw ZipError(.corrupt, "the central directory is malformed (an entry runs past its end)", offset: directoryOffset + UInt64(p))
            }
            var name = String(decoding: directory[nameStart..<extraStart], as: UTF8.self)
            name = normalizedName(name)
            // zip64 extended information: present fields replace the 0xFFFFFFFF placeholders, in order.
            var e = extraStart
            while e + 4 <= extraStart + extraLength {
                let tag = directory.uint16(at: e)
                let length = Int(directory.uint16(at: e + 2))
                let body = e + 4
                guard body + length <= extraStart + extraLength else { break }
                if tag == 0x0001 {
                    var f = body
                    if uncompressed == 0xFFFF_FFFF, f + 8 <= body + length { uncompressed = directory.uint64(at: f); f += 8 }
                    if compressed == 0xFFFF_FFFF, f + 8 <= body + length { compressed = directory.uint64(at: f); f += 8 }
                    if localOffset == 0xFFFF_FFFF, f + 8 <= body + length { localOffset = directory.uint64(at: f); f += 8 }
                }
                e = body + length
            }
            guard localOffset < size, compressed <= size else {
                throw ZipError(.truncated, "entry data lies outside the file: the archive is incomplete or corrupt", entry: name, offset: localOffset)
            }
            entries.append(ZipEntry(
                name: name, method: method, flags: flags, crc32: crc,
                compressedSize: compressed, uncompressedSize: uncompressed, localHeaderOffset: localOffset))
            p = next
        }
        return entries
    }

    /// `\` → `/` (some Windows tools write backslashes) and no leading `/`.
    static func normalizedName(_ raw: String) -> String {
        var name = raw
        if name.utf8.contains(UInt8(ascii: "\\")) {
            name = String(decoding: name.utf8.map { $0 == UInt8(ascii: "\\") ? UInt8(ascii: "/") : $0 }, as: UTF8.self)
        }
        while name.hasPrefix("/") { name.removeFirst() }
        return name
    }
}
