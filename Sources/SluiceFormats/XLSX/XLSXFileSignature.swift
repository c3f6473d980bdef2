/// Recognises what a file is from its first bytes, so a file that is not a workbook is refused
/// with a reason a person understands (never dispatching on the extension alone).
enum XLSXFileSignature {
    /// The start of every OLE2 compound file (an Excel 97-2003 .xls, an encrypted .xlsx, a .doc).
    static let ole2: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]

    /// Throws an ``XLSXError`` naming what the file looks like unless it starts like a zip.
    static func check(_ file: ReadableFile) throws {
        if try format(of: file) == .xls {
            throw XLSXError(.legacyFormat, "this is a legacy Excel 97-2003 workbook (.xls, OLE2), not .xlsx; open it in Excel or LibreOffice and save it as .xlsx")
        }
    }

    /// Which reader the content calls for: a zip is an xlsx, an OLE2 file without an encrypted
    /// package an .xls. Throws an ``XLSXError`` for an empty file, an encrypted workbook and
    /// anything else (named for what it looks like: HTML, CSV, text renamed .xlsx or .xls).
    static func format(of file: ReadableFile) throws -> SpreadsheetFormat {
        if file.size == 0 {
            throw XLSXError(.truncated, "the file is empty (0 bytes): it may still be being written; try again once it is complete")
        }
        let head = try file.readBytes(count: Int(min(file.size, 4096)), at: 0)
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) || head.starts(with: [0x50, 0x4B, 0x05, 0x06]) { return .xlsx }
        if head.starts(with: ole2) {
            if try containsEncryptedPackage(file) { throw encrypted }
            return .xls
        }
        throw XLSXError(.notSpreadsheet, describeNonWorkbook(head, named: file.path))
    }

    /// A password-protected workbook, xlsx or xls alike.
    static var encrypted: XLSXError {
        XLSXError(.encrypted, "this workbook is password-protected; save it without a password (File › Info › Protect Workbook › Encrypt with Password, clear it) and drop it again")
    }

    /// Whether an OLE2 file holds an `EncryptedPackage` stream (how Office stores an encrypted .xlsx).
    private static func containsEncryptedPackage(_ file: ReadableFile) throws -> Bool {
        let needle = Array("EncryptedPackage".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        let scanned = Int(min(file.size, 8 << 20))
        let bytes = try file.readBytes(count: scanned, at: 0)
        guard bytes.count >= needle.count else { return false }
        var i = 0
        while i <= bytes.count - needle.count {
            if bytes[i] == needle[0] && bytes[i + 2] == needle[2] && Array(bytes[i..<(i + needle.count)]) == needle { return true }
            i += 1
        }
        return false
    }

    private static func describeNonWorkbook(_ head: [UInt8], named path: String) -> String {
        // Named for what the person called it: "renamed .xls" for a file named .xls.
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let dot = name.lastIndex(of: ".").map { String(name[$0...]).lowercased() }
        let renamed = dot.map { [".xls", ".xlsx", ".xlsm"].contains($0) ? $0 : ".xlsx" } ?? ".xlsx"
        let workbook = renamed == ".xls" ? "an Excel workbook" : "an xlsx workbook"
        if head.count >= 4, head[0] == 0x09, [0x00, 0x02, 0x04].contains(head[1]), head[3] == 0x00 {
            return "this file is an Excel 2.x–4.0 worksheet (BIFF2–4, older than Excel 97), which Sluice does not read; open it in Excel or LibreOffice and save it as .xlsx"
        }
        var start = 0
        if head.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        while start < head.count, [0x20, 0x09, 0x0A, 0x0D].contains(head[start]) { start += 1 }
        let text = String(decoding: head[start...].prefix(512), as: UTF8.self).lowercased()
        if text.hasPrefix("<") {
            if text.contains("<html") || text.hasPrefix("<!doctype html") || text.contains("<table") {
                return "this file is an HTML page renamed \(renamed) (web applications often export HTML as \"Excel\"), not \(workbook); open it in Excel or LibreOffice and save it as .xlsx"
            }
            if text.contains("urn:schemas-microsoft-com:office:spreadsheet") {
                return "this file is an Excel 2003 XML spreadsheet renamed \(renamed), not \(workbook); open it in Excel or LibreOffice and save it as .xlsx"
            }
            return "this file is an XML or HTML document renamed \(renamed), not \(workbook) (an xlsx is a zip archive, an .xls an OLE2 compound file)"
        }
        let sample = head[start...].prefix(1024)
        let printable = sample.filter { $0 >= 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }.count
        if !sample.isEmpty && printable == sample.count {
            let separators = sample.filter { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: ";") || $0 == 0x09 }.count
            if separators > 0 {
                return "this file is text (CSV or tab-separated) renamed \(renamed), not \(workbook); read it with the csv step (its pattern naming this file) or save it as .xlsx"
            }
            return "this file is plain text renamed \(renamed), not \(workbook)"
        }
        let hex = head.prefix(4).map { String($0, radix: 16, uppercase: true) }.joined(separator: " ")
        return "this file is not \(workbook): an xlsx is a zip archive starting with PK, an .xls an OLE2 file starting with D0 CF 11 E0; this one starts with bytes \(hex)"
    }
}
