import Foundation
@testable import SluiceFormats

/// Builds small (often hostile) xlsx packages for tests, part by part.
struct XLSXTestPackage {
    var parts: [(name: String, content: [UInt8])] = []

    /// A minimal valid workbook with one sheet whose `<sheetData>` holds `sheetData`.
    static func workbook(
        sheetData: String,
        sheetExtra: String = "",
        sharedStrings: [String]? = nil,
        styles: String? = nil,
        date1904: Bool = false,
        sheets: [(name: String, state: String?)] = [("Sheet1", nil)]
    ) -> XLSXTestPackage {
        var package = XLSXTestPackage()
        package.add("_rels/.rels", """
            <?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/xl/workbook.xml"/></Relationships>
            """)
        let sheetElements = sheets.enumerated().map { offset, sheet in
            "<sheet name=\"\(sheet.name)\" sheetId=\"\(offset + 1)\"\(sheet.state.map { " state=\"\($0)\"" } ?? "") r:id=\"rId\(offset + 1)\"/>"
        }.joined()
        package.add("xl/workbook.xml", """
            <?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><workbookPr date1904="\(date1904 ? 1 : 0)"/>\
            <sheets>\(sheetElements)</sheets></workbook>
            """)
        var rels = sheets.indices.map {
            "<Relationship Id=\"rId\($0 + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet\($0 + 1).xml\"/>"
        }.joined()
        if sharedStrings != nil {
            rels += #"<Relationship Id="rS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>"#
        }
        if styles != nil {
            rels += #"<Relationship Id="rT" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#
        }
        package.add("xl/_rels/workbook.xml.rels", """
            <?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\(rels)</Relationships>
            """)
        for index in sheets.indices {
            package.add("xl/worksheets/sheet\(index + 1).xml", """
                <?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
                <sheetData>\(index == 0 ? sheetData : "")</sheetData>\(sheetExtra)</worksheet>
                """)
        }
        if let sharedStrings {
            let items = sharedStrings.map { "<si><t xml:space=\"preserve\">\($0)</t></si>" }.joined()
            package.add("xl/sharedStrings.xml", """
                <?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\(items)</sst>
                """)
        }
        if let styles {
            package.add("xl/styles.xml", """
                <?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\(styles)</styleSheet>
                """)
        }
        return package
    }

    mutating func add(_ name: String, _ text: String) { parts.append((name, Array(text.utf8))) }
    mutating func add(_ name: String, bytes: [UInt8]) { parts.append((name, bytes)) }

    mutating func replace(_ name: String, _ text: String) {
        parts.removeAll { $0.name == name }
        add(name, text)
    }

    /// Writes the package as a zip and returns its path.
    func write(level: Int32 = 6) throws -> String {
        let path = XLSXFixtures.temporaryPath("package.xlsx")
        let zip = try ZipArchiveWriter(path: path)
        for part in parts {
            try zip.beginEntry(name: part.name, level: level)
            try zip.write(part.content)
        }
        try zip.finish()
        return path
    }

    /// Opens the package and reads every row of its first sheet.
    func readFirstSheet(limits: XLSXLimits = .init()) throws -> [XLSXRow] {
        let workbook = try XLSXWorkbook(path: try write(), limits: limits)
        return try XLSXFixtures.readAll(workbook.sheet(at: 0))
    }
}
