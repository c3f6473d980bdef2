/// Decodes a base64 body (RFC 2045 §6.8) in chunks of any size, leniently.
///
/// Line breaks are skipped. Like Python's `email` package (and most mail readers) it skips
/// characters outside the alphabet, ignores `=` where no group is open, stops at the
/// padding that ends a group (anything after it is dropped), and keeps the bytes of an
/// incomplete last group. Everything but line breaks and a missing final padding is
/// reported through ``problems``, so the caller can record an `invalidBase64` defect.
struct Base64StreamDecoder {
    /// What was wrong with the input so far; empty for clean base64.
    struct Problems: OptionSet, Sendable {
        let rawValue: UInt8
        static let invalidCharacters = Problems(rawValue: 1)
        static let dataAfterPadding = Problems(rawValue: 2)
        static let danglingCharacter = Problems(rawValue: 4)
    }

    private var accumulator: UInt32 = 0
    private var position = 0
    private var pads = 0
    private var ended = false
    private(set) var problems: Problems = []

    /// Decodes `input`, appending the bytes to `output`.
    mutating func decode(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        guard !input.isEmpty else { return }
        if ended {
            if !problems.contains(.dataAfterPadding) && input.contains(where: { Self.table[Int($0)] < 64 }) {
                problems.insert(.dataAfterPadding)
            }
            return
        }
        Self.table.withUnsafeBufferPointer { table in
            var acc = accumulator, pos = position
            var i = 0
            let n = input.count
            while i < n {
                // Four alphabet characters in a row: the common case.
                if pos == 0 && i + 4 <= n {
                    let a = table[Int(input[i])], b = table[Int(input[i + 1])], c = table[Int(input[i + 2])], d = table[Int(input[i + 3])]
                    if (a | b | c | d) < 64 {
                        let v = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                        output.append(UInt8(truncatingIfNeeded: v >> 16))
                        output.append(UInt8(truncatingIfNeeded: v >> 8))
                        output.append(UInt8(truncatingIfNeeded: v))
                        i += 4
                        continue
                    }
                }
                let v = table[Int(input[i])]
                i += 1
                if v < 64 {
                    if pads > 0 { problems.insert(.invalidCharacters); pads = 0 }
                    switch pos {
                    case 0: acc = UInt32(v); pos = 1
                    case 1: output.append(UInt8(truncatingIfNeeded: (acc << 2) | UInt32(v >> 4))); acc = UInt32(v & 0x0F); pos = 2
                    case 2: output.append(UInt8(truncatingIfNeeded: (acc << 4) | UInt32(v >> 2))); acc = UInt32(v & 0x03); pos = 3
                    default: output.append(UInt8(truncatingIfNeeded: (acc << 6) | UInt32(v))); acc = 0; pos = 0
                    }
                } else if v == Self.pad {
                    if pos >= 2 {
                        pads += 1
                        if pos + pads >= 4 {
                            ended = true
                            if input[i...].contains(where: { table[Int($0)] < 64 || table[Int($0)] == Self.invalid }) {
                                problems.insert(.dataAfterPadding)
                            }
                            break
                        }
                    } else {
                        problems.insert(.invalidCharacters)
                    }
                } else if v == Self.invalid {
                    problems.insert(.invalidCharacters)
                }
            }
            accumulator = acc
            position = pos
        }
    }

    /// Ends the body: a single character left over (six bits) cannot make a byte.
    mutating func finish() {
        if !ended && position == 1 { problems.insert(.danglingCharacter) }
        ended = true
    }

    private static let pad: UInt8 = 0xFE
    private static let lineBreak: UInt8 = 0xFD
    private static let invalid: UInt8 = 0xFF

    /// Byte → 6-bit value, or `pad`, `lineBreak`, `invalid`.
    private static let table: [UInt8] = {
        var t = [UInt8](repeating: invalid, count: 256)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        for (i, c) in alphabet.enumerated() { t[Int(c)] = UInt8(i) }
        t[Int(UInt8(ascii: "="))] = pad
        t[0x0A] = lineBreak
        t[0x0D] = lineBreak
        return t
    }()
}
