/// Text from bytes that should be UTF-8 but may not be: each byte that does not begin or
/// continue a valid sequence becomes one U+FFFD, so the result is deterministic and matches
/// what Python's `surrogateescape` + replacement gives for raw 8-bit mail headers.
enum LossyUTF8 {
    /// The text, and whether any byte had to be replaced.
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> (text: String, replaced: Bool) {
        guard let first = UTF8Validator.firstInvalidOffset(in: bytes, from: 0, to: bytes.count) else {
            return (String(decoding: bytes, as: UTF8.self), false)
        }
        var text = String(decoding: UnsafeBufferPointer(rebasing: bytes[0..<first]), as: UTF8.self)
        var i = first
        while i < bytes.count {
            text.unicodeScalars.append("\u{FFFD}")
            i += 1
            let next = UTF8Validator.firstInvalidOffset(in: bytes, from: i, to: bytes.count) ?? bytes.count
            if next > i {
                text += String(decoding: UnsafeBufferPointer(rebasing: bytes[i..<next]), as: UTF8.self)
                i = next
            }
        }
        return (text, true)
    }

    static func decode(_ bytes: some Collection<UInt8>) -> (text: String, replaced: Bool) {
        if let result = bytes.withContiguousStorageIfAvailable({ decode($0) }) { return result }
        return Array(bytes).withUnsafeBufferPointer { decode($0) }
    }
}
