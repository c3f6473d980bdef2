/// The cell styles a writer has used, interned in order of first use, written as `styles.xml`.
///
/// Open for the documents issue: add fields to ``Style`` (fills, borders, alignment) and their
/// tables here; cells keep referring to styles by the index ``index(of:)`` returns.
struct XLSXWriterStyleTable: Sendable {
    /// One cell format: a font weight and a number format code (nil = General).
    struct Style: Hashable, Sendable {
        var bold = false
        var numberFormat: String?
    }

    static let dateFormat = "yyyy-mm-dd"
    static let dateTimeFormat = "yyyy-mm-dd hh:mm:ss"

    private(set) var styles: [Style] = [Style()]
    private var indexByStyle: [Style: Int] = [Style(): 0]
    private var numberFormats: [String] = []
    private var numberFormatIDs: [String: Int] = [:]

    /// The `s` index of `style`, adding it on first use.
    mutating func index(of style: Style) -> Int {
        if let index = indexByStyle[style] { return index }
        let index = styles.count
        styles.append(style)
        indexByStyle[style] = index
        if let code = style.numberFormat, numberFormatIDs[code] == nil {
            numberFormatIDs[code] = 164 + numberFormats.count
            numberFormats.append(code)
        }
        return index
    }

    /// The `styles.xml` part.
    func xml() -> [UInt8] {
        var w = XMLByteWriter(capacity: 2048)
        w.raw(#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#)
        w.raw("\n")
        w.raw(#"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#)
        if !numberFormats.isEmpty {
            w.raw(#"<numFmts count=""#); w.integer(Int64(numberFormats.count)); w.raw(#"">"#)
            for (offset, code) in numberFormats.enumerated() {
                w.raw(#"<numFmt numFmtId=""#); w.integer(Int64(164 + offset))
                w.raw(#"" formatCode=""#); w.text(code, ooxmlEscapes: false); w.raw(#""/>"#)
            }
            w.raw("</numFmts>")
        }
        w.raw(#"<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>"#)
        w.raw(#"<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>"#)
        w.raw(#"<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>"#)
        w.raw(#"<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"#)
        w.raw(#"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#)
        w.raw(#"<cellXfs count=""#); w.integer(Int64(styles.count)); w.raw(#"">"#)
        for style in styles {
            let format = style.numberFormat.flatMap { numberFormatIDs[$0] } ?? 0
            w.raw(#"<xf numFmtId=""#); w.integer(Int64(format))
            w.raw(style.bold ? #"" fontId="1""# : #"" fontId="0""#)
            w.raw(#" fillId="0" borderId="0" xfId="0""#)
            if format != 0 { w.raw(#" applyNumberFormat="1""#) }
            if style.bold { w.raw(#" applyFont="1""#) }
            w.raw("/>")
        }
        w.raw("</cellXfs>")
        w.raw(#"<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>"#)
        w.raw("</styleSheet>")
        return w.bytes
    }
}
