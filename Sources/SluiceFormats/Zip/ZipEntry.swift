/// One file inside a zip archive, as its central directory describes it.
public struct ZipEntry: Sendable, Hashable {
    /// The name with backslashes turned into slashes and any leading slash removed.
    public var name: String
    /// 0 = stored, 8 = deflate.
    public var method: UInt16
    /// General-purpose flag bits (bit 0: encrypted, bit 3: data descriptor).
    public var flags: UInt16
    /// CRC-32 of the uncompressed content, checked when the entry has been read to its end.
    public var crc32: UInt32
    /// Bytes stored in the archive.
    public var compressedSize: UInt64
    /// Bytes the entry declares it inflates to (enforced, never trusted for allocation).
    public var uncompressedSize: UInt64
    /// Offset of the entry's local header in the archive file.
    public var localHeaderOffset: UInt64

    /// Whether the name ends in `/` (a folder entry with no content).
    public var isDirectory: Bool { name.hasSuffix("/") }
    /// Whether the entry is encrypted (flag bit 0).
    public var isEncrypted: Bool { flags & 1 != 0 }
}
