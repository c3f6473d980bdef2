/// Decodes a quoted-printable body (RFC 2045 §6.7) in chunks of any size.
///
/// `=XX` (either case) is a byte, `=` before a line break is a soft break and disappears,
/// and an `=` followed by anything else is kept as written, as Python's `binascii.a2b_qp`
/// does. A lone `=` at the very end is dropped. Trailing whitespace is kept.
struct QuotedPrintableStreamDecoder {
    /// `equalsHex` holds the first digit as written.
    private enum State { case text, equals, equalsHex(UInt8), equalsCR }
    private var state = State.text

    /// Decodes `input`, appending the bytes to `output`.
    mutating func decode(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        var i = 0
        let n = input.count
        while i < n {
            let b = input[i]
            switch state {
            case .text:
                // Copy the run up to the next `=` in one go.
                var j = i
                while j < n && input[j] != 0x3D { j += 1 }
                if j > i { output.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[i..<j])) }
                if j < n { state = .equals }
                i = j + 1
                continue
            case .equals:
                if Self.hexValue(b) != nil { state = .equalsHex(b) }
                else if b == 0x0A { state = .text }
                else if b == 0x0D { state = .equalsCR }
                else { output.append(0x3D); state = .text; continue }
            case .equalsHex(let first):
                if let low = Self.hexValue(b) { output.append(Self.hexValue(first)! << 4 | low); state = .text }
                else { output.append(0x3D); output.append(first); state = .text; continue }
            case .equalsCR:
                state = .text
                if b != 0x0A { continue }
            }
            i += 1
        }
    }

    /// Ends the body: an `=X` left open is kept as written, a lone `=` dropped.
    mutating func finish(into output: inout [UInt8]) {
        if case .equalsHex(let first) = state {
            output.append(0x3D)
            output.append(first)
        }
        state = .text
    }

    static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: return b - 0x30
        case 0x41...0x46: return b - 0x41 + 10
        case 0x61...0x66: return b - 0x61 + 10
        default: return nil
        }
    }
}
