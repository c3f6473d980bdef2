/// The `Content-Transfer-Encoding` of one part, undone as its body streams through.
struct TransferDecoder {
    enum Kind: Sendable, Equatable {
        /// `7bit`, `8bit`, `binary`, and anything unknown: bytes as they are.
        case identity
        case base64
        case quotedPrintable
        case uuencode
    }

    let kind: Kind
    private var base64 = Base64StreamDecoder()
    private var quotedPrintable = QuotedPrintableStreamDecoder()
    private var uuencode = UUStreamDecoder()

    init(_ kind: Kind) { self.kind = kind }

    /// The decoder for a header value (`base64`, `Quoted-Printable`, `x-uuencode`...);
    /// `known` is false for a value that is none of the RFC 2045 ones.
    static func kind(forHeader value: String?) -> (kind: Kind, known: Bool) {
        guard let value else { return (.identity, true) }
        switch value.trimmingSpaces.lowercased() {
        case "base64": return (.base64, true)
        case "quoted-printable": return (.quotedPrintable, true)
        case "x-uuencode", "uuencode", "x-uue", "uue": return (.uuencode, true)
        case "7bit", "8bit", "binary", "": return (.identity, true)
        default: return (.identity, false)
        }
    }

    /// Decodes `input`, appending the bytes to `output`.
    mutating func decode(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        switch kind {
        case .identity: output.append(contentsOf: input)
        case .base64: base64.decode(input, into: &output)
        case .quotedPrintable: quotedPrintable.decode(input, into: &output)
        case .uuencode: uuencode.decode(input, into: &output)
        }
    }

    /// Ends the body, appending any last bytes; returns a defect message when the encoding
    /// was broken.
    mutating func finish(into output: inout [UInt8]) -> (MIMEDefect.Code, String)? {
        switch kind {
        case .identity:
            return nil
        case .base64:
            base64.finish()
            let p = base64.problems
            guard !p.isEmpty else { return nil }
            var what: [String] = []
            if p.contains(.invalidCharacters) { what.append("characters outside the base64 alphabet or misplaced padding were skipped") }
            if p.contains(.dataAfterPadding) { what.append("data after the final padding was dropped") }
            if p.contains(.danglingCharacter) { what.append("a last lone character was dropped") }
            return (.invalidBase64, what.joined(separator: "; "))
        case .quotedPrintable:
            quotedPrintable.finish(into: &output)
            return nil
        case .uuencode:
            uuencode.finish(into: &output)
            return uuencode.sawBegin ? nil : (.invalidUUEncode, "no `begin` line: nothing decoded")
        }
    }
}
