/// What the raw bytes of an OLE2 file tell before FreeXL reads it, so that FreeXL never starts on
/// a file too large, encrypted, or declaring more cells than the limits allow.
///
/// FreeXL allocates every sheet's declared rectangle (its DIMENSION record) while it opens the
/// file, before any call could look at it; so the DIMENSION records are found here by their
/// exact shape (record type 0x0200, its length, row and column bounds in order, the reserved word
/// zero) and their cells added up. A record split across two non-adjacent sectors of the
/// compound file escapes the scan; FreeXL's own cap (65,536 × 256 a sheet) still holds then.
enum XLSPreflight {
    /// Rows and columns a BIFF8 sheet can hold.
    static let maxRows: UInt64 = 65_536
    static let maxColumns: UInt64 = 256

    struct Findings {
        /// Cells the sheets declare, all together.
        var declaredCells: UInt64 = 0
        /// The first declared rectangle beyond what BIFF8 holds, as (rows, columns).
        var impossibleDimension: (rows: UInt64, columns: UInt64)?
        /// A FILEPASS record right after the workbook's BOF: the workbook is encrypted.
        var encrypted = false
    }

    /// Throws an ``XLSXError`` when the file must not be handed to FreeXL.
    static func check(_ file: ReadableFile, limits: XLSLimits) throws {
        if file.size > limits.maxFileBytes {
            throw XLSXError(.limitExceeded, "the .xls file is \(file.size >> 20) MiB, more than the \(limits.maxFileBytes >> 20) MiB this reader accepts; save it as .xlsx, which is read as a stream")
        }
        if file.size < 512 {
            throw XLSXError(.truncated, "the .xls file is cut short (\(file.size) bytes, less than its 512-byte header): it may still be being copied; try again once it is complete")
        }
        let findings = try scan(file)
        if findings.encrypted { throw XLSXFileSignature.encrypted }
        if let d = findings.impossibleDimension {
            throw XLSXError(.corrupt, "the .xls workbook is damaged: a sheet declares \(d.rows) rows × \(d.columns) columns, more than the 65,536 × 256 an Excel 97-2003 sheet holds")
        }
        if findings.declaredCells > limits.maxDeclaredCells {
            throw XLSXError(.limitExceeded, "the .xls sheets declare \(findings.declaredCells) cells together, more than the \(limits.maxDeclaredCells) this reader holds in memory; save the workbook as .xlsx, which is read as a stream")
        }
    }

    /// Scans the whole file in 1 MiB windows (overlapping by a record's length).
    static func scan(_ file: ReadableFile) throws -> Findings {
        var findings = Findings()
        let window = 1 << 20, overlap = 32
        var offset: UInt64 = 0
        while offset < file.size {
            let count = Int(min(UInt64(window + overlap), file.size - offset))
            let bytes = try file.readBytes(count: count, at: offset)
            // Patterns starting in the overlap are seen again in the next window.
            let last = offset + UInt64(window) >= file.size ? bytes.count : window
            scan(bytes, upTo: last, into: &findings)
            offset += UInt64(window)
        }
        return findings
    }

    /// Looks for DIMENSION and BOF + FILEPASS records starting before `limit`.
    static func scan(_ b: [UInt8], upTo limit: Int, into findings: inout Findings) {
        func u16(_ i: Int) -> UInt64 { UInt64(b[i]) | UInt64(b[i + 1]) << 8 }
        func u32(_ i: Int) -> UInt64 { u16(i) | u16(i + 2) << 16 }
        var i = 0
        while i < limit, i + 4 <= b.count {
            defer { i += 1 }
            if b[i] == 0x00, b[i + 1] == 0x02, b[i + 3] == 0x00 {
                // DIMENSION: BIFF8 (14 bytes, 32-bit rows) or BIFF5 (10 bytes, 16-bit rows).
                var rows: (UInt64, UInt64), columns: (UInt64, UInt64)
                if b[i + 2] == 0x0E, i + 18 <= b.count, u16(i + 16) == 0 {
                    rows = (u32(i + 4), u32(i + 8)); columns = (u16(i + 12), u16(i + 14))
                } else if b[i + 2] == 0x0A, i + 14 <= b.count, u16(i + 12) == 0 {
                    rows = (u16(i + 4), u16(i + 6)); columns = (u16(i + 8), u16(i + 10))
                } else { continue }
                guard rows.0 <= rows.1, columns.0 <= columns.1 else { continue }
                if rows.1 > maxRows || columns.1 > maxColumns {
                    if findings.impossibleDimension == nil { findings.impossibleDimension = (rows.1, columns.1) }
                } else {
                    findings.declaredCells += rows.1 * columns.1
                }
            } else if b[i] == 0x09, b[i + 1] == 0x08, i + 8 <= b.count, u16(i + 6) == 0x0005,
                      u16(i + 4) == 0x0600 || u16(i + 4) == 0x0500 {
                // The workbook globals' BOF; FILEPASS (0x002F), when present, follows it.
                let next = i + 4 + Int(u16(i + 2))
                if next + 2 <= b.count, b[next] == 0x2F, b[next + 1] == 0x00 { findings.encrypted = true }
            }
        }
    }
}
