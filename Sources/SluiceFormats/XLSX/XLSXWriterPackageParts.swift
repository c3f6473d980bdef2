/// The fixed package parts an ``XLSXWriter`` adds around its sheets: workbook, relationships,
/// content types.
enum XLSXWriterPackageParts {
    private static let declaration: StaticString = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    private static let relationshipsNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    static func workbook(sheetNames: [String]) -> [UInt8] {
        var w = XMLByteWriter(capacity: 1024)
        w.raw(declaration)
        w.raw(#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#)
        w.raw(#"<bookViews><workbookView/></bookViews><sheets>"#)
        for (offset, name) in sheetNames.enumerated() {
            w.raw(#"<sheet name=""#); w.text(name, ooxmlEscapes: false)
            w.raw(#"" sheetId=""#); w.integer(Int64(offset + 1))
            w.raw(#"" r:id="rId"#); w.integer(Int64(offset + 1)); w.raw(#""/>"#)
        }
        w.raw("</sheets></workbook>")
        return w.bytes
    }

    static func workbookRelationships(sheetParts: [String], sharedStrings: Bool) -> [UInt8] {
        var w = XMLByteWriter(capacity: 1024)
        w.raw(declaration)
        w.raw(#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#)
        var id = 0
        func relationship(_ type: String, _ target: String) {
            id += 1
            w.raw(#"<Relationship Id="rId"#); w.integer(Int64(id))
            w.raw(#"" Type=""#); w.text(relationshipsNamespace + "/" + type, ooxmlEscapes: false)
            w.raw(#"" Target=""#); w.text(target, ooxmlEscapes: false); w.raw(#""/>"#)
        }
        for part in sheetParts { relationship("worksheet", String(part.dropFirst("xl/".count))) }
        relationship("styles", "styles.xml")
        if sharedStrings { relationship("sharedStrings", "sharedStrings.xml") }
        w.raw("</Relationships>")
        return w.bytes
    }

    static func contentTypes(sheetParts: [String], sharedStrings: Bool) -> [UInt8] {
        var w = XMLByteWriter(capacity: 1024)
        let spreadsheetML = "application/vnd.openxmlformats-officedocument.spreadsheetml."
        w.raw(declaration)
        w.raw(#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#)
        w.raw(#"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#)
        w.raw(#"<Default Extension="xml" ContentType="application/xml"/>"#)
        func override(_ part: String, _ type: String) {
            w.raw(#"<Override PartName="/"#); w.text(part, ooxmlEscapes: false)
            w.raw(#"" ContentType=""#); w.text(spreadsheetML + type, ooxmlEscapes: false); w.raw(#""/>"#)
        }
        override("xl/workbook.xml", "sheet.main+xml")
        for part in sheetParts { override(part, "worksheet+xml") }
        override("xl/styles.xml", "styles+xml")
        if sharedStrings { override("xl/sharedStrings.xml", "sharedStrings+xml") }
        w.raw("</Types>")
        return w.bytes
    }

    static func rootRelationships() -> [UInt8] {
        var w = XMLByteWriter(capacity: 512)
        w.raw(declaration)
        w.raw(#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#)
        w.raw(#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>"#)
        w.raw("</Relationships>")
        return w.bytes
    }
}

extension XLSXWriter {
    /// Refuses names Excel refuses: empty, over 31 characters, containing `[ ] : * ? / \`,
    /// starting or ending with `'`, `History`, or equal (ignoring case) to an existing sheet's.
    static func validate(sheetName name: String, existing: [String]) throws {
        let problem: String?
        if name.isEmpty || name.allSatisfy({ $0 == " " }) {
            problem = "is empty"
        } else if name.utf16.count > 31 {
            problem = "is longer than 31 characters"
        } else if let bad = name.first(where: { "[]:*?/\\".contains($0) }) {
            problem = "contains '\(bad)', which Excel does not allow in sheet names"
        } else if name.hasPrefix("'") || name.hasSuffix("'") {
            problem = "starts or ends with an apostrophe"
        } else if name.lowercased() == "history" {
            problem = "is reserved by Excel"
        } else if name.unicodeScalars.contains(where: { $0.value < 0x20 }) {
            problem = "contains a control character"
        } else if existing.contains(where: { $0.lowercased() == name.lowercased() }) {
            problem = "is already used by another sheet (names are compared ignoring case)"
        } else {
            problem = nil
        }
        if let problem {
            throw XLSXError(.invalidArgument, "the sheet name \"\(name)\" \(problem); choose another name")
        }
    }

    /// Whether `text` is a plain decimal number: `-?digits[.digits][(e|E)[+-]digits]`.
    static func isDecimalText(_ text: String) -> Bool {
        var iterator = text.utf8.makeIterator()
        var c = iterator.next()
        if c == UInt8(ascii: "-") { c = iterator.next() }
        var digits = 0
        while let d = c, d >= 48, d <= 57 { digits += 1; c = iterator.next() }
        if c == UInt8(ascii: ".") {
            c = iterator.next()
            while let d = c, d >= 48, d <= 57 { digits += 1; c = iterator.next() }
        }
        guard digits > 0 else { return false }
        if c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
            c = iterator.next()
            if c == UInt8(ascii: "+") || c == UInt8(ascii: "-") { c = iterator.next() }
            var exponentDigits = 0
            while let d = c, d >= 48, d <= 57 { exponentDigits += 1; c = iterator.next() }
            guard exponentDigits > 0 else { return false }
        }
        return c == nil
    }

    static func isValidDate(_ year: Int, _ month: Int, _ day: Int) -> Bool {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1 else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= lengths[month - 1]
    }

    static func iso(_ year: Int, _ month: Int, _ day: Int) -> String {
        func pad(_ n: Int, _ width: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }
}
