/// Caps that keep a hostile workbook within bounded memory and time. All are configurable.
public struct XLSXLimits: Sendable, Hashable {
    /// Most bytes one part may inflate to (a zip-bomb cap per part).
    public var maxPartBytes: UInt64
    /// Most bytes all parts read may inflate to, together.
    public var maxTotalBytes: UInt64
    /// Most entries the zip may list.
    public var maxEntryCount: Int
    /// Deepest XML element nesting.
    public var maxElementDepth: Int
    /// Longest single XML tag or text run, in bytes.
    public var maxXMLTokenBytes: Int
    /// Longest cell text, in UTF-8 bytes (Excel's own limit is 32,767 characters).
    public var maxCellTextBytes: Int
    /// Most entries in the shared-string table.
    public var maxSharedStrings: Int
    /// Most bytes of text the shared-string table may hold in memory.
    public var maxSharedStringBytes: Int

    public init(
        maxPartBytes: UInt64 = 2 << 30,
        maxTotalBytes: UInt64 = 8 << 30,
        maxEntryCount: Int = 100_000,
        maxElementDepth: Int = 256,
        maxXMLTokenBytes: Int = 16 << 20,
        maxCellTextBytes: Int = 32_767 * 4,
        maxSharedStrings: Int = 20_000_000,
        maxSharedStringBytes: Int = 1 << 30
    ) {
        self.maxPartBytes = maxPartBytes
        self.maxTotalBytes = maxTotalBytes
        self.maxEntryCount = maxEntryCount
        self.maxElementDepth = maxElementDepth
        self.maxXMLTokenBytes = maxXMLTokenBytes
        self.maxCellTextBytes = maxCellTextBytes
        self.maxSharedStrings = maxSharedStrings
        self.maxSharedStringBytes = maxSharedStringBytes
    }

    var zip: ZipReadLimits {
        ZipReadLimits(maxEntryCount: maxEntryCount, maxEntryBytes: maxPartBytes, maxTotalBytes: maxTotalBytes)
    }

    var xml: XMLScannerLimits {
        XMLScannerLimits(maxDepth: maxElementDepth, maxTokenBytes: maxXMLTokenBytes)
    }
}
