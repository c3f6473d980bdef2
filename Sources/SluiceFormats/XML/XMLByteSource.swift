/// Where an ``XMLScanner`` pulls its bytes from: a zip entry, or bytes in memory.
protocol XMLByteSource: AnyObject {
    /// Fills `buffer` with the next bytes; returns how many (0 at the end).
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

extension ZipEntryReader: XMLByteSource {}

/// An in-memory byte source (tests, small parts).
final class XMLBytesSource: XMLByteSource {
    private let bytes: [UInt8]
    private var position = 0
    /// Most bytes handed out per read, to exercise chunk boundaries in tests.
    private let chunkSize: Int

    init(_ bytes: [UInt8], chunkSize: Int = .max) {
        self.bytes = bytes
        self.chunkSize = max(1, chunkSize)
    }

    convenience init(_ text: String, chunkSize: Int = .max) {
        self.init(Array(text.utf8), chunkSize: chunkSize)
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = min(buffer.count, bytes.count - position, chunkSize)
        if n <= 0 { return 0 }
        bytes.withUnsafeBytes { raw in
            buffer.baseAddress!.copyMemory(from: raw.baseAddress! + position, byteCount: n)
        }
        position += n
        return n
    }
}
