/// Decodes an `x-uuencode` body in chunks of any size: text before the `begin <mode> <name>`
/// line is skipped, each line after it gives `(first character − 32) & 63` bytes from groups
/// of four characters, and an `end` line (or a length-0 line) stops decoding.
///
/// Unlike Python, which returns the raw body when there is no `begin` line, a body without
/// one decodes to nothing (``sawBegin`` stays false and the caller records a defect).
struct UUStreamDecoder {
    private enum State { case beforeBegin, data, ended }
    private var state = State.beforeBegin
    private var line: [UInt8] = []
    private(set) var sawBegin = false

    /// Lines longer than this are cut: a uuencoded line is at most 62 characters.
    private static let maxLine = 1024

    mutating func decode(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        for b in input {
            if b == 0x0A {
                takeLine(into: &output)
            } else if line.count < Self.maxLine {
                line.append(b)
            }
        }
    }

    mutating func finish(into output: inout [UInt8]) {
        if !line.isEmpty { takeLine(into: &output) }
        state = .ended
    }

    private mutating func takeLine(into output: inout [UInt8]) {
        defer { line.removeAll(keepingCapacity: true) }
        if line.last == 0x0D { line.removeLast() }
        switch state {
        case .ended:
            return
        case .beforeBegin:
            // "begin 644 name": the mode must be octal.
            guard line.starts(with: Array("begin ".utf8)) else { return }
            let mode = line.dropFirst(6).prefix { $0 != 0x20 }
            if !mode.isEmpty && mode.allSatisfy({ $0 >= 0x30 && $0 <= 0x37 }) {
                state = .data
                sawBegin = true
            }
        case .data:
            let trimmed = line.drop { $0 == 0x20 || $0 == 0x09 }
            if trimmed.starts(with: Array("end".utf8)) && trimmed.dropFirst(3).allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
                state = .ended
                return
            }
            guard let first = line.first else { return }
            let count = Int((first &- 0x20) & 0x3F)
            if count == 0 { state = .ended; return }
            var produced = 0
            var i = 1
            while produced < count {
                var group: UInt32 = 0
                for k in 0..<4 {
                    // A short line (trailing spaces stripped in transit) reads as zero bits.
                    let c: UInt8 = i + k < line.count ? line[i + k] : 0x20
                    group = group << 6 | UInt32((c &- 0x20) & 0x3F)
                }
                i += 4
                for shift in [16, 8, 0] where produced < count {
                    output.append(UInt8(truncatingIfNeeded: group >> UInt32(shift)))
                    produced += 1
                }
            }
        }
    }
}
