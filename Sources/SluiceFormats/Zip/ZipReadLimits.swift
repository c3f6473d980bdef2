/// Caps that keep a hostile archive (zip bomb, lying headers, millions of entries) within bounded memory and time.
public struct ZipReadLimits: Sendable, Hashable {
    /// Most entries the central directory may list.
    public var maxEntryCount: Int
    /// Largest central directory read into memory.
    public var maxCentralDirectoryBytes: Int
    /// Most bytes one entry may inflate to.
    public var maxEntryBytes: UInt64
    /// Most bytes all entries opened through one archive may inflate to, together.
    public var maxTotalBytes: UInt64

    public init(
        maxEntryCount: Int = 100_000,
        maxCentralDirectoryBytes: Int = 64 << 20,
        maxEntryBytes: UInt64 = 2 << 30,
        maxTotalBytes: UInt64 = 8 << 30
    ) {
        self.maxEntryCount = maxEntryCount
        self.maxCentralDirectoryBytes = maxCentralDirectoryBytes
        self.maxEntryBytes = maxEntryBytes
        self.maxTotalBytes = maxTotalBytes
    }
}
