/// One pass over the workbook stream's BIFF records before FreeXL reads them: it checks the
/// structure FreeXL relies on without checking (record lengths within the stream and under
/// BIFF's 8,224 bytes, strings within their records, each sheet's size declared once and before
/// its cells, every substream closed, up to the stream's end), and collects the cells FreeXL
/// does not give: formula results (number, text, boolean, error), boolean and error constants.
///
/// FreeXL 1.0.6 can crash on records that break these rules, so a stream that fails the scan is
/// refused as damaged without FreeXL ever seeing it.
struct XLSRecordScan {
    /// The cells FreeXL misses, by FreeXL's sheet index, then by `row << 8 | column` (0-based).
    var cells: [Int: [Int: XLSXCell]] = [:]
    /// Whether a DATEMODE record sets the 1904 system.
    var date1904 = false
    /// Cells the sheets declare together (their DIMENSION records), which FreeXL allocates.
    var declaredCells: UInt64 = 0

    static let maxRecordBytes = 8224

    static func damaged(_ what: String, at offset: Int) -> XLSXError {
        XLSXError(.corrupt, "the .xls workbook is damaged: \(what) (workbook stream, byte \(offset))")
    }

    init(stream b: [UInt8], limits: XLSLimits = .init()) throws {
        func u16(_ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }
        var biff8 = true
        var sheetByOffset: [Int: Int] = [:]
        var sheetCount = 0
        var xfFormats: [Int] = []
        var formatKinds: [Int: XLSXNumberFormat.Kind] = [:]
        var sheet: Int?                   // FreeXL's index of the worksheet being read
        var inSubstream = false, isGlobals = false, dimensionSeen = false, cellSeen = false
        var pendingString: (sheet: Int, key: Int)?
        var nesting = 0                   // substreams open inside the current one (embedded charts)
        var pos = 0

        /// Whether a BIFF string of `count` characters starting with its flags byte at `at` ends by `end`.
        func stringFits(count: Int, flagsAt at: Int, end: Int) -> Bool {
            guard at < end else { return count == 0 }
            let flags = b[at]
            var start = at + 1
            if flags & 0x08 != 0 { start += 2 }
            if flags & 0x04 != 0 { start += 4 }
            return start + count * (flags & 0x01 != 0 ? 2 : 1) <= end
        }

        /// A BIFF8 unicode string (no length field), cut at `end`.
        func string(count: Int, flagsAt at: Int, end: Int) -> String {
            guard at < end else { return "" }
            let flags = b[at]
            var i = at + 1
            if flags & 0x08 != 0 { i += 2 }
            if flags & 0x04 != 0 { i += 4 }
            var out = ""
            var n = 0
            while n < count {
                if flags & 0x01 != 0 {
                    guard i + 2 <= end else { break }
                    var units = [UInt16(b[i]) | UInt16(b[i + 1]) << 8]
                    if UTF16.isLeadSurrogate(units[0]), i + 4 <= end, n + 1 < count {
                        units.append(UInt16(b[i + 2]) | UInt16(b[i + 3]) << 8)
                    }
                    out += String(decoding: units, as: UTF16.self)
                    i += 2 * units.count
                    n += units.count
                } else {
                    guard i < end else { break }
                    out.unicodeScalars.append(Unicode.Scalar(b[i]))
                    i += 1
                    n += 1
                }
            }
            return out
        }

        while pos + 4 <= b.count {
            let type = u16(pos), size = u16(pos + 2)
            if type == 0 && size == 0 { break }   // FreeXL reads this as the end
            guard size <= Self.maxRecordBytes else {
                throw Self.damaged("a record (type 0x\(String(type, radix: 16))) claims \(size) bytes, more than the 8,224 BIFF allows", at: pos)
            }
            let start = pos + 4, end = pos + 4 + size
            guard end <= b.count else { throw Self.damaged("a record runs past the end of the stream", at: pos) }
            func need(_ n: Int) throws {
                if size < n { throw Self.damaged("a record (type 0x\(String(type, radix: 16))) is \(size) bytes, too short for its fields", at: pos) }
            }
            let key = size >= 4 ? u16(start) << 8 | (u16(start + 2) & 0xFF) : 0
            if nesting > 0 && type != 0x0809 && type != 0x000A {
                pos = end
                continue
            }
            switch type {
            case 0x0809:  // BOF
                try need(4)
                if inSubstream {
                    // An embedded chart's substream, nested in its sheet's.
                    nesting += 1
                    guard nesting < 8 else { throw Self.damaged("substreams nest more than 8 deep", at: pos) }
                    break
                }
                let kind = u16(start + 2)
                if pos == 0 {
                    guard kind == 0x0005 else { throw Self.damaged("the stream does not begin with the workbook globals", at: pos) }
                    biff8 = u16(start) == 0x0600
                    isGlobals = true
                } else {
                    isGlobals = false
                    sheet = sheetByOffset[pos]
                    dimensionSeen = false
                    cellSeen = false
                }
                inSubstream = true
            case 0x000A:  // EOF
                if nesting > 0 { nesting -= 1; break }
                inSubstream = false
                sheet = nil
            case 0x002F:  // FILEPASS
                throw XLSXFileSignature.encrypted
            case 0x0085:  // BOUNDSHEET: the offset of the sheet's BOF, its name
                try need(8)
                let offset = Int(u16(start)) | u16(start + 2) << 16
                let count = Int(b[start + 6])
                let fits = biff8 ? stringFits(count: count, flagsAt: start + 7, end: end) : start + 7 + count <= end
                guard fits else { throw Self.damaged("a sheet name runs past its record", at: pos) }
                if sheetByOffset[offset] == nil { sheetByOffset[offset] = sheetCount }
                sheetCount += 1
            case 0x0022:  // DATEMODE
                try need(2)
                date1904 = u16(start) == 1
            case 0x00E0:  // XF: its number format
                try need(4)
                xfFormats.append(u16(start + 2))
            case 0x041E:  // FORMAT
                if biff8 {
                    try need(5)
                    let count = u16(start + 2)
                    guard stringFits(count: count, flagsAt: start + 4, end: end) else { throw Self.damaged("a number format's text runs past its record", at: pos) }
                    formatKinds[u16(start)] = XLSXNumberFormat.kind(formatCode: string(count: count, flagsAt: start + 4, end: end))
                } else {
                    try need(3)
                    let count = Int(b[start + 2])
                    guard start + 3 + count <= end else { throw Self.damaged("a number format's text runs past its record", at: pos) }
                    formatKinds[u16(start)] = XLSXNumberFormat.kind(formatCode: String(decoding: b[(start + 3)..<(start + 3 + count)], as: UTF8.self))
                }
            case 0x0200:  // DIMENSION
                if inSubstream && !isGlobals {
                    guard !dimensionSeen, !cellSeen else { throw Self.damaged("a sheet declares its size twice, or after its first cells", at: pos) }
                    dimensionSeen = true
                    try need(biff8 ? 14 : 10)
                    // FreeXL holds the whole declared rectangle (last row, last column), filled or not.
                    let rows = biff8 ? UInt64(u16(start + 4)) | UInt64(u16(start + 6)) << 16 : UInt64(u16(start + 2))
                    let columns = UInt64(u16(start + (biff8 ? 10 : 6)))
                    guard rows <= 65_536, columns <= 256 else {
                        throw Self.damaged("a sheet declares \(rows) rows × \(columns) columns, more than the 65,536 × 256 an Excel 97-2003 sheet holds", at: pos)
                    }
                    declaredCells += rows * columns
                    if declaredCells > limits.maxDeclaredCells {
                        throw XLSXError(.limitExceeded, "the .xls sheets declare more than \(limits.maxDeclaredCells) cells together, more than this reader holds in memory; save the workbook as .xlsx, which is read as a stream")
                    }
                }
            case 0x0203: try need(14); cellSeen = true                        // NUMBER
            case 0x027E: try need(10); cellSeen = true                        // RK
            case 0x00FD: try need(10); cellSeen = true                        // LABELSST
            case 0x0201: try need(6); cellSeen = true                         // BLANK
            case 0x00BD, 0x00BE:                                              // MULRK, MULBLANK
                try need(6); cellSeen = true
            case 0x0204, 0x00D6:                                              // LABEL, RSTRING
                try need(8)
                cellSeen = true
                let count = u16(start + 6)
                let fits = biff8 ? stringFits(count: count, flagsAt: start + 8, end: end) : start + 8 + count <= end
                guard fits else { throw Self.damaged("a text cell runs past its record", at: pos) }
            case 0x0205:  // BOOLERR
                try need(8)
                cellSeen = true
                if let sheet {
                    cells[sheet, default: [:]][key] = b[start + 7] == 0 ? .bool(b[start + 6] != 0) : .error(Self.errorText(b[start + 6]))
                }
            case 0x0006:  // FORMULA: its cached result
                try need(20)
                cellSeen = true
                pendingString = nil
                guard let sheet else { break }
                if b[start + 12] == 0xFF && b[start + 13] == 0xFF {
                    switch b[start + 6] {
                    case 0: pendingString = (sheet, key)
                    case 1: cells[sheet, default: [:]][key] = .bool(b[start + 8] != 0)
                    case 2: cells[sheet, default: [:]][key] = .error(Self.errorText(b[start + 8]))
                    default: break
                    }
                } else {
                    var bits: UInt64 = 0
                    for k in 0..<8 { bits |= UInt64(b[start + 6 + k]) << (8 * UInt64(k)) }
                    let value = Double(bitPattern: bits)
                    let xf = u16(start + 4)
                    let format = xf < xfFormats.count ? xfFormats[xf] : 0
                    let kind = formatKinds[format] ?? XLSXNumberFormat.builtInKind(id: format)
                    let cell = kind == .number ? nil : XLSXDateConversion.cell(serial: value, kind: kind, date1904: date1904)
                    if let cell = cell ?? (value.isFinite ? XLSXCell.number(SpreadsheetNumber.text(of: value)) : nil) { cells[sheet, default: [:]][key] = cell }
                }
            case 0x0207:  // STRING: the text result of the formula before it
                if let pending = pendingString {
                    try need(2)
                    let count = u16(start)
                    let text = biff8 ? string(count: count, flagsAt: start + 2, end: end)
                        : String(decoding: b[(start + 2)..<min(end, start + 2 + count)], as: UTF8.self)
                    cells[pending.sheet, default: [:]][pending.key] = .string(text)
                    pendingString = nil
                }
            default:
                break
            }
            pos = end
        }
        // FreeXL reads to the stream's end, so records after the last sheet are checked too.
        if inSubstream {
            throw XLSXError(.truncated, "the .xls workbook stream ends inside a sheet: the file is cut short or damaged (it may still be being copied; try again once it is complete)")
        }
    }

    /// Excel's text for a BIFF error code.
    static func errorText(_ code: UInt8) -> String {
        switch code {
        case 0x00: "#NULL!"
        case 0x07: "#DIV/0!"
        case 0x0F: "#VALUE!"
        case 0x17: "#REF!"
        case 0x1D: "#NAME?"
        case 0x24: "#NUM!"
        case 0x2A: "#N/A"
        default: "#GETTING_DATA"
        }
    }
}
