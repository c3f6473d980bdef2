import Foundation

/// The body of a composed message: text and HTML parts, multipart structure, attachments,
/// and the transfer encodings (7bit, quoted-printable, base64).
extension MIMEComposer {
    /// Where composed bytes go: a buffer, flushed to a file when there is one.
    struct Sink {
        let fd: Int32?
        let path: String
        var buffer: [UInt8] = []
        var written: Int64 = 0

        init(fd: Int32?, path: String) {
            self.fd = fd
            self.path = path
        }

        mutating func write(_ text: String) throws { try write(Array(text.utf8)) }

        mutating func write(_ bytes: [UInt8]) throws {
            buffer += bytes
            written += Int64(bytes.count)
            if fd != nil && buffer.count >= 1 << 16 { try flush() }
        }

        mutating func flush() throws {
            guard let fd, !buffer.isEmpty else { return }
            do { try POSIXFile.writeAll(buffer, to: fd, path: path) } catch { throw MIMEComposerError(header: nil, error.message) }
            buffer.removeAll(keepingCapacity: true)
        }
    }

    /// A text part, encoded: its subtype (`plain`, `html`), transfer encoding and bytes.
    struct TextPart {
        var subtype: String
        var encoding: String
        var bytes: [UInt8]

        var headers: String {
            "Content-Type: text/\(subtype); charset=utf-8\r\nContent-Transfer-Encoding: \(encoding)\r\n"
        }
    }

    /// Writes headers and body.
    func write(into sink: inout Sink) throws {
        var header = try messageHeaders()
        var parts: [TextPart] = []
        if let text { parts.append(Self.encodeText(text, subtype: "plain")) }
        if let html { parts.append(Self.encodeText(html, subtype: "html")) }
        if parts.isEmpty { parts.append(Self.encodeText("", subtype: "plain")) }
        let body = parts.count == 1 ? nil : boundary("alt", avoiding: parts)
        if attachments.isEmpty {
            header += body.map { "Content-Type: multipart/alternative; boundary=\"\($0)\"\r\n" } ?? parts[0].headers
            try sink.write(header + "\r\n")
            try writeTexts(parts, boundary: body, into: &sink)
            return
        }
        let mixed = boundary("mixed", avoiding: parts)
        try sink.write(header + "Content-Type: multipart/mixed; boundary=\"\(mixed)\"\r\n\r\n")
        try sink.write("This is a message in MIME format.\r\n")
        try sink.write("--\(mixed)\r\n")
        if let body { try sink.write("Content-Type: multipart/alternative; boundary=\"\(body)\"\r\n\r\n") } else { try sink.write(parts[0].headers + "\r\n") }
        try writeTexts(parts, boundary: body, into: &sink)
        for attachment in attachments {
            try sink.write("\r\n--\(mixed)\r\n")
            try write(attachment, into: &sink)
        }
        try sink.write("\r\n--\(mixed)--\r\n")
    }

    /// One text part as it is, or several as the parts of `multipart/alternative`.
    func writeTexts(_ parts: [TextPart], boundary: String?, into sink: inout Sink) throws {
        guard let boundary else {
            try sink.write(parts[0].bytes)
            return
        }
        for part in parts {
            try sink.write("--\(boundary)\r\n" + part.headers + "\r\n")
            try sink.write(part.bytes)
            try sink.write("\r\n")
        }
        try sink.write("--\(boundary)--\r\n")
    }

    /// An attachment's headers, then its bytes in base64, read 57 × 1024 bytes at a time so
    /// that every line but the last holds exactly 76 characters.
    func write(_ attachment: Attachment, into sink: inout Sink) throws {
        let handle: FileHandle
        let size: Int64
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: attachment.path)
            size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
            handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: attachment.path))
        } catch {
            throw MIMEComposerError(header: nil, "cannot read the attachment '\(attachment.name)' at \(attachment.path): \(error.localizedDescription)")
        }
        defer { try? handle.close() }
        let type = attachment.contentType ?? Self.contentType(forName: attachment.name)
        let fallback = MIMEHeaderEncoding.asciiFallback(attachment.name)
        var header = MIMEHeaderEncoding.parameterized(name: "Content-Type", value: type,
                                                      parameters: MIMEHeaderEncoding.parameter("name", fallback))
        header += MIMEHeaderEncoding.parameterized(name: "Content-Disposition", value: "attachment",
                                                   parameters: MIMEHeaderEncoding.parameter("filename", attachment.name) + ["size=\(size)"])
        header += "Content-Transfer-Encoding: base64\r\n\r\n"
        try sink.write(header)
        let lineBytes = 57
        while true {
            let chunk: Data
            do { chunk = try handle.read(upToCount: lineBytes * 1024) ?? Data() } catch {
                throw MIMEComposerError(header: nil, "cannot read the attachment '\(attachment.name)' at \(attachment.path): \(error.localizedDescription)")
            }
            if chunk.isEmpty { break }
            let bytes = [UInt8](chunk)
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count / 57 * 78 + 80)
            var start = 0
            while start < bytes.count {
                let end = min(start + lineBytes, bytes.count)
                out += Array(Self.base64(bytes[start ..< end]).utf8)
                out += [0x0D, 0x0A]
                start = end
            }
            try sink.write(out)
        }
    }

    // MARK: Boundaries

    /// `=_<kind>_<hash of the message id>`: the same for every attempt of the same message,
    /// different per nesting level, and longer when a text sent as it is happens to hold it.
    func boundary(_ kind: String, avoiding parts: [TextPart]) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in (messageID + "\u{0}" + kind).utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        var candidate = "=_\(kind)_" + String(hash, radix: 16)
        var n = 0
        while parts.contains(where: { $0.encoding == "7bit" && Self.contains($0.bytes, Array(("--" + candidate).utf8)) }) {
            n += 1
            candidate += "_\(n)"
        }
        return candidate
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return false }
        for i in 0 ... (haystack.count - needle.count) where haystack[i] == needle[0] {
            if haystack[i ..< i + needle.count].elementsEqual(needle) { return true }
        }
        return false
    }

    // MARK: Transfer encodings

    /// The text with every line break as CRLF: as it is (`7bit`) when it is ASCII without
    /// control characters and no line passes 998 octets, else quoted-printable.
    static func encodeText(_ text: String, subtype: String) -> TextPart {
        let lines = splitLines(text)
        let plain = lines.allSatisfy { line in
            line.count <= 998 && line.allSatisfy { ($0 >= 0x20 && $0 < 0x7F) || $0 == 0x09 }
        }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + lines.count * 2)
        if plain {
            for line in lines { out += line; out += [0x0D, 0x0A] }
            return TextPart(subtype: subtype, encoding: "7bit", bytes: out)
        }
        for line in lines { appendQuotedPrintable(line, to: &out) }
        return TextPart(subtype: subtype, encoding: "quoted-printable", bytes: out)
    }

    /// Lines of UTF-8, split at CRLF, CR or LF. A final line break does not make an empty line.
    static func splitLines(_ text: String) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var line: [UInt8] = []
        var previousCR = false
        for byte in text.utf8 {
            if byte == 0x0A && previousCR { previousCR = false; continue }
            previousCR = byte == 0x0D
            if byte == 0x0A || byte == 0x0D {
                lines.append(line)
                line = []
            } else {
                line.append(byte)
            }
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines
    }

    /// One line in quoted-printable (RFC 2045 6.7): `=XX` for `=`, control and non-ASCII
    /// bytes and for a space or tab that ends the line; soft breaks (`=` CRLF) keep every
    /// encoded line within 76 characters and never split an `=XX`.
    static func appendQuotedPrintable(_ line: [UInt8], to out: inout [UInt8]) {
        var length = 0
        for (i, byte) in line.enumerated() {
            let last = i == line.count - 1
            let literal = (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "=")) || ((byte == 0x20 || byte == 0x09) && !last)
            let encoded: [UInt8] = literal ? [byte] : [UInt8(ascii: "=")] + Array(MIMEHeaderEncoding.hex(byte).utf8)
            let fitsAsLast = last && length + encoded.count <= 76
            if length + encoded.count > 75 && !fitsAsLast {
                out += [UInt8(ascii: "="), 0x0D, 0x0A]
                length = 0
            }
            out += encoded
            length += encoded.count
        }
        out += [0x0D, 0x0A]
    }

    /// Standard base64 with padding (RFC 4648 4), no line breaks.
    static func base64<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var iterator = bytes.makeIterator()
        while let a = iterator.next() {
            let b = iterator.next()
            let c = iterator.next()
            let n = UInt32(a) << 16 | UInt32(b ?? 0) << 8 | UInt32(c ?? 0)
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(b == nil ? UInt8(ascii: "=") : alphabet[Int(n >> 6 & 63)])
            out.append(c == nil ? UInt8(ascii: "=") : alphabet[Int(n & 63)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The media type of a file, by its extension.
    public static func contentType(forName name: String) -> String {
        let ext = name.split(separator: ".").count > 1 ? String(name.split(separator: ".").last!).lowercased() : ""
        let types = [
            "csv": "text/csv", "txt": "text/plain", "html": "text/html", "htm": "text/html", "xml": "application/xml",
            "json": "application/json", "jsonl": "application/x-ndjson", "pdf": "application/pdf", "zip": "application/zip",
            "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xls": "application/vnd.ms-excel",
            "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif", "ics": "text/calendar",
        ]
        return types[ext] ?? "application/octet-stream"
    }
}
