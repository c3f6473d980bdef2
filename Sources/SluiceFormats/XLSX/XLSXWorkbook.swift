/// An opened xlsx package: its sheets, shared strings and styles, ready to stream any sheet.
///
/// Parts are found through the package relationships (`_rels/.rels` → workbook → sheets), never
/// by assumed paths, so absolute and relative targets, strict-OOXML namespaces, any namespace
/// prefix and packages without sharedStrings or styles parts all read. External relationships are
/// listed in ``externalTargets`` and never followed.
///
/// ```swift
/// let workbook = try XLSXWorkbook(path: "ventes.xlsx")
/// let reader = try workbook.sheet(named: "Ventes")
/// while let row = try reader.nextRow() { print(row.number, row.cells) }
/// ```
public struct XLSXWorkbook {
    /// Every sheet in workbook order (worksheets, chart sheets...), hidden ones included.
    public let sheets: [XLSXSheetInfo]
    /// Whether dates count from 1904-01-01 (`<workbookPr date1904="1">`) rather than 1900.
    public let usesDate1904: Bool
    /// Targets of external relationships in the package and workbook relationships (URLs, paths): reported, never opened.
    public let externalTargets: [String]
    /// The workbook part's name (`xl/workbook.xml`).
    public let workbookPart: String
    /// The limits this workbook enforces.
    public let limits: XLSXLimits

    let archive: ZipArchiveReader
    let sharedStrings: [String]
    let styles: XLSXStyles

    /// Opens the workbook at `path`, reading its relationships, sheet list, shared strings and styles.
    ///
    /// Throws an ``XLSXError``: `.encrypted` for a password-protected workbook, `.notSpreadsheet`
    /// for HTML or CSV renamed .xlsx, `.truncated` for an incomplete file, and so on.
    public init(path: String, limits: XLSXLimits = .init()) throws {
        self.limits = limits
        let file: ReadableFile
        do { file = try ReadableFile(path: path) } catch { throw XLSXError.wrapping(error, part: nil) }
        try XLSXFileSignature.check(file)
        do { archive = try ZipArchiveReader(file: file, limits: limits.zip) } catch { throw XLSXError.wrapping(error, part: nil) }

        let rootRels = try Self.relationships(in: archive, relsPart: "_rels/.rels", source: "", limits: limits, required: true)
        guard let office = rootRels.first(ofType: "officeDocument") else {
            throw XLSXError(.missingPart, "the package's root relationships name no workbook (no officeDocument relationship); the file is not a spreadsheet or is damaged", part: "_rels/.rels")
        }
        workbookPart = office.target
        let workbookRels = try Self.relationships(
            in: archive, relsPart: XLSXRelationships.relsPartName(for: workbookPart), source: workbookPart, limits: limits, required: true)
        externalTargets = (rootRels.all + workbookRels.all).filter(\.isExternal).map(\.target)

        let listing = try Self.readWorkbookPart(archive: archive, part: workbookPart, relationships: workbookRels, limits: limits)
        sheets = listing.sheets
        usesDate1904 = listing.date1904

        if let rel = workbookRels.first(ofType: "sharedStrings"), archive.entry(named: rel.target) != nil {
            sharedStrings = try Self.parse(archive: archive, part: rel.target, limits: limits) { scanner in
                try XLSXSharedStrings(scanner: scanner, limits: limits).strings
            }
        } else {
            sharedStrings = []
        }
        if let rel = workbookRels.first(ofType: "styles"), archive.entry(named: rel.target) != nil {
            styles = try Self.parse(archive: archive, part: rel.target, limits: limits) { try XLSXStyles(scanner: $0) }
        } else {
            styles = .none
        }
    }

    /// A streaming reader over the sheet with this name (exact, then case-insensitive as Excel compares names).
    public func sheet(named name: String) throws -> XLSXSheetReader {
        let info = sheets.first { $0.name == name } ?? sheets.first { $0.name.lowercased() == name.lowercased() }
        guard let info else {
            let names = sheets.map { "\"\($0.name)\"" }.joined(separator: ", ")
            throw XLSXError(.sheetNotFound, "the workbook has no sheet named \"\(name)\"; its sheets are \(names.isEmpty ? "(none)" : names)")
        }
        return try reader(for: info)
    }

    /// A streaming reader over the sheet at this 0-based position in workbook order.
    public func sheet(at index: Int) throws -> XLSXSheetReader {
        guard sheets.indices.contains(index) else {
            let names = sheets.map { "\($0.index): \"\($0.name)\"" }.joined(separator: ", ")
            throw XLSXError(.sheetNotFound, "the workbook has no sheet at index \(index) (indices start at 0); its sheets are \(names.isEmpty ? "(none)" : names)")
        }
        return try reader(for: sheets[index])
    }

    /// The merged cell ranges of the sheet at `index` (read in a separate pass over the sheet).
    public func mergedRanges(forSheetAt index: Int) throws -> [XLSXCellRange] {
        let reader = try sheet(at: index)
        return try reader.readMergedRangesOnly()
    }

    /// The merged cell ranges of the sheet named `name`.
    public func mergedRanges(forSheetNamed name: String) throws -> [XLSXCellRange] {
        let reader = try sheet(named: name)
        return try reader.readMergedRangesOnly()
    }

    private func reader(for info: XLSXSheetInfo) throws -> XLSXSheetReader {
        guard let part = info.partName else {
            throw XLSXError(.missingPart, "sheet \"\(info.name)\" has no relationship to its part in the workbook relationships; the file is damaged", part: workbookPart)
        }
        guard let entry = archive.entry(named: part) else {
            throw XLSXError(.missingPart, "sheet \"\(info.name)\" points to \(part), which is not in the package; the file is damaged", part: part)
        }
        do {
            let stream = try archive.openEntry(entry)
            let scanner = XMLScanner(source: stream, limits: limits.xml)
            return XLSXSheetReader(
                scanner: scanner, part: part, sharedStrings: sharedStrings, styles: styles,
                date1904: usesDate1904, limits: limits, isWorksheet: info.kind == .worksheet || info.kind == .macrosheet)
        } catch {
            throw XLSXError.wrapping(error, part: part)
        }
    }

    // MARK: - Package parts

    private static func parse<T>(archive: ZipArchiveReader, part: String, limits: XLSXLimits,
                                 _ body: (XMLScanner<ZipEntryReader>) throws -> T) throws -> T {
        do {
            guard let entry = archive.entry(named: part) else {
                throw XLSXError(.missingPart, "the package has no part \(part), which its relationships require; the file is damaged", part: part)
            }
            let scanner = XMLScanner(source: try archive.openEntry(entry), limits: limits.xml, initialCapacity: 64 << 10)
            return try body(scanner)
        } catch {
            throw XLSXError.wrapping(error, part: part)
        }
    }

    private static func relationships(in archive: ZipArchiveReader, relsPart: String, source: String,
                                      limits: XLSXLimits, required: Bool) throws -> XLSXRelationships {
        guard archive.entry(named: relsPart) != nil else {
            if !required { return .empty }
            throw XLSXError(.missingPart, "the package has no \(relsPart), so the parts it should name cannot be found; the file is damaged (open and re-save it in Excel or LibreOffice)", part: relsPart)
        }
        return try parse(archive: archive, part: relsPart, limits: limits) {
            try XLSXRelationships(scanner: $0, sourcePart: source)
        }
    }

    private static func readWorkbookPart(archive: ZipArchiveReader, part: String, relationships: XLSXRelationships,
                                         limits: XLSXLimits) throws -> (sheets: [XLSXSheetInfo], date1904: Bool) {
        try parse(archive: archive, part: part, limits: limits) { scanner in
            var sheets: [XLSXSheetInfo] = []
            var date1904 = false
            while true {
                let token = try scanner.next()
                if token == .endOfDocument { break }
                guard token == .startTag else { continue }
                if scanner.localNameIs("workbookPr") {
                    let value = try scanner.attributeString("date1904")?.lowercased()
                    date1904 = value == "1" || value == "true"
                } else if scanner.localNameIs("sheet") {
                    let name = try scanner.attributeString("name") ?? "Sheet\(sheets.count + 1)"
                    let state = try scanner.attributeString("state") ?? "visible"
                    let id = try scanner.attributeString("id", prefixed: true)
                    let rel = id.flatMap { relationships.relationship(id: $0) }
                    let kind: XLSXSheetInfo.Kind
                    switch rel.map({ $0.type.split(separator: "/").last.map(String.init) ?? "" }) {
                    case "worksheet": kind = .worksheet
                    case "chartsheet": kind = .chartsheet
                    case "dialogsheet": kind = .dialogsheet
                    case "xlMacrosheet", "xlIntlMacrosheet": kind = .macrosheet
                    default: kind = .unknown
                    }
                    sheets.append(XLSXSheetInfo(
                        name: name, index: sheets.count,
                        visibility: state == "veryHidden" ? .veryHidden : state == "hidden" ? .hidden : .visible,
                        kind: kind, partName: rel.flatMap { $0.isExternal ? nil : $0.target }))
                } else if scanner.localNameIs("definedNames") || scanner.localNameIs("extLst") || scanner.localNameIs("AlternateContent") {
                    try scanner.skipElement()
                }
            }
            return (sheets, date1904)
        }
    }
}
