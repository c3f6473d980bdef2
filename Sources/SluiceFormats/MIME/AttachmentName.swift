import Foundation

/// Safe file names for attachments, from whatever name a sender wrote.
///
/// A safe name is a single path component that every common file system accepts and that
/// no tool mistakes for something else: no directories (`/` or `\`), no NUL, control or
/// bidirectional-control characters, NFC-normalised, no Windows device name (`CON`,
/// `com1.txt`), no trailing dots or spaces, never starting with `.` or `-`, at most
/// 255 bytes of UTF-8 with the extension kept. Names with nothing usable left become
/// `attachment-N` plus an extension guessed from the content type.
public enum AttachmentName {
    /// Longest stored name, in bytes of UTF-8 (NAME_MAX on Linux and macOS).
    /// Below NAME_MAX (255): the runner keeps an input as `.in.<name>`, and uniqueness may add `-N`.
    public static let maxBytes = 240

    /// The safe form of `original` for the attachment at 0-based `index`.
    public static func safe(_ original: String?, index: Int, contentType: String) -> String {
        var name = basename(original ?? "")
        name = String(String.UnicodeScalarView(name.unicodeScalars.compactMap(cleaned)))
        if !name.utf8.allSatisfy({ $0 < 0x80 }) { name = name.precomposedStringWithCanonicalMapping }
        name = trimmed(name)
        if name.isEmpty {
            return "attachment-\(index + 1)" + (guessedExtension(contentType).map { "." + $0 } ?? "")
        }
        // Hidden files and option-like names: `.htaccess` → `_htaccess`, `-rf` → `_rf`.
        if let first = name.first, first == "." || first == "-" { name = "_" + name.dropFirst() }
        if isReservedOnWindows(name) { name = "_" + name }
        return capped(name, maxBytes: maxBytes)
    }

    /// `stem` and `.ext` (the extension with its dot, empty when there is none or it is
    /// implausibly long).
    static func split(_ name: String) -> (stem: Substring, ext: Substring) {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return (name[...], "") }
        let ext = name[dot...]
        guard ext.utf8.count <= 16, ext.utf8.count > 1 else { return (name[...], "") }
        return (name[..<dot], ext)
    }

    /// `name` cut to `maxBytes` of UTF-8 at a character boundary, keeping its extension.
    static func capped(_ name: String, maxBytes: Int) -> String {
        guard name.utf8.count > maxBytes else { return name }
        let (stem, ext) = split(name)
        var out = ""
        let room = maxBytes - ext.utf8.count
        for c in stem {
            if out.utf8.count + String(c).utf8.count > room { break }
            out.append(c)
        }
        out = trimmed(out)
        return out + ext
    }

    /// The last non-empty path component, for both `/` and `\`.
    private static func basename(_ name: String) -> String {
        let parts = name.split(whereSeparator: { $0 == "/" || $0 == "\\" })
        return parts.last.map(String.init) ?? ""
    }

    /// The scalar as it may appear in a stored name: nil for control and bidirectional
    /// control characters, `_` for characters Windows forbids in names.
    private static func cleaned(_ s: Unicode.Scalar) -> Unicode.Scalar? {
        switch s.value {
        case 0x00...0x1F, 0x7F...0x9F: return nil
        case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C: return nil
        case 0x2028, 0x2029, 0xFEFF: return nil
        default: break
        }
        switch s {
        case "<", ">", ":", "\"", "|", "?", "*": return "_"
        default: return s
        }
    }

    /// Without leading spaces and trailing dots and spaces (which Windows drops).
    private static func trimmed(_ name: String) -> String {
        var s = Substring(name)
        while let f = s.first, f == " " { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "." { s = s.dropLast() }
        return String(s)
    }

    private static let reserved: Set<String> = {
        var names: Set<String> = ["CON", "PRN", "AUX", "NUL"]
        for i in 1...9 { names.insert("COM\(i)"); names.insert("LPT\(i)") }
        return names
    }()

    /// `CON`, `nul.txt`, `Com1.tar.gz`: a device name before the first dot, any case.
    static func isReservedOnWindows(_ name: String) -> Bool {
        let head = name.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return reserved.contains(head.trimmingSpaces.uppercased())
    }

    /// A usual extension for well-known content types; nil for unknown ones and for
    /// `application/octet-stream`.
    public static func guessedExtension(_ contentType: String) -> String? {
        extensions[contentType.lowercased()]
    }

    private static let extensions: [String: String] = [
        "text/plain": "txt", "text/html": "html", "text/csv": "csv", "text/calendar": "ics", "text/xml": "xml",
        "application/xml": "xml", "application/json": "json", "application/pdf": "pdf", "application/zip": "zip",
        "application/gzip": "gz", "application/x-gzip": "gz", "application/msword": "doc", "application/vnd.ms-excel": "xls",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
        "application/vnd.oasis.opendocument.spreadsheet": "ods", "application/vnd.oasis.opendocument.text": "odt",
        "image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp", "image/tiff": "tif",
        "image/svg+xml": "svg", "audio/mpeg": "mp3", "video/mp4": "mp4", "message/rfc822": "eml",
        "application/pgp-signature": "asc", "application/pkcs7-signature": "p7s",
    ]
}
