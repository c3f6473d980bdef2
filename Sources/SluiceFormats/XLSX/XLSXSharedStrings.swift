/// The shared-string table (`sharedStrings.xml`), held in memory while sheets are read.
///
/// Each `<si>` is the concatenation of its `<t>` runs (rich text included), phonetic runs
/// (`<rPh>`) excluded, `_xHHHH_` escapes decoded, whitespace kept exactly.
struct XLSXSharedStrings: Sendable {
    var strings: [String] = []

    static let none = XLSXSharedStrings()
    private init() {}

    init<Source: XMLByteSource>(scanner: XMLScanner<Source>, limits: XLSXLimits) throws {
        var current: [UInt8] = []
        var inItem = false
        var totalBytes = 0
        while true {
            switch try scanner.next() {
            case .endOfDocument:
                return
            case .startTag:
                if scanner.localNameIs("si") {
                    current.removeAll(keepingCapacity: true)
                    inItem = !scanner.isSelfClosing
                    if scanner.isSelfClosing { try append(&current, &totalBytes, limits) }
                } else if scanner.localNameIs("rPh") {
                    try scanner.skipElement()
                } else if scanner.localNameIs("t") && inItem {
                    try scanner.appendElementText(to: &current)
                    if current.count > limits.maxCellTextBytes {
                        throw XLSXError(.limitExceeded, "shared string \(strings.count) is longer than \(limits.maxCellTextBytes) bytes (Excel's limit is 32,767 characters)")
                    }
                } else if scanner.localNameIs("sst") && strings.isEmpty {
                    if let count = try scanner.attributeString("uniqueCount").flatMap({ Int($0) }) {
                        strings.reserveCapacity(min(max(count, 0), 1 << 20))
                    }
                }
            case .endTag:
                if scanner.localNameIs("si") && inItem {
                    inItem = false
                    try append(&current, &totalBytes, limits)
                }
            case .text:
                break
            }
        }
    }

    private mutating func append(_ bytes: inout [UInt8], _ totalBytes: inout Int, _ limits: XLSXLimits) throws {
        if strings.count >= limits.maxSharedStrings {
            throw XLSXError(.limitExceeded, "the shared-string table has more than \(limits.maxSharedStrings) entries")
        }
        totalBytes += bytes.count
        if totalBytes > limits.maxSharedStringBytes {
            throw XLSXError(.limitExceeded, "the shared-string table holds more than \(limits.maxSharedStringBytes) bytes of text")
        }
        let text = bytes.withUnsafeBufferPointer { buffer in
            XLSXTextEscapes.mayContainEscape(buffer)
                ? String(decoding: XLSXTextEscapes.decode(buffer), as: UTF8.self)
                : String(decoding: buffer, as: UTF8.self)
        }
        strings.append(text)
    }
}
