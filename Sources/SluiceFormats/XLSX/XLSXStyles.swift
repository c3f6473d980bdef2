/// What the reader needs from `styles.xml`: for each cell style (`s` attribute), whether its number
/// format shows a date, a time, a date and time or a duration.
struct XLSXStyles: Sendable {
    /// Indexed by a cell's `s` attribute (the `cellXfs` entry).
    var kinds: [XLSXNumberFormat.Kind] = []

    /// Styles with no date formats (a package without a styles part).
    static let none = XLSXStyles()

    @inline(__always)
    func kind(ofStyle index: Int) -> XLSXNumberFormat.Kind {
        index >= 0 && index < kinds.count ? kinds[index] : .number
    }

    /// Reads `<numFmts>` and `<cellXfs>` from a styles part.
    init<Source: XMLByteSource>(scanner: XMLScanner<Source>) throws {
        var custom: [Int: XLSXNumberFormat.Kind] = [:]
        var inCellXfs = false
        while true {
            switch try scanner.next() {
            case .endOfDocument:
                return
            case .startTag:
                if scanner.localNameIs("numFmt") {
                    if let id = try scanner.attributeString("numFmtId").flatMap({ Int($0) }),
                       let code = try scanner.attributeString("formatCode") {
                        custom[id] = XLSXNumberFormat.kind(formatCode: code)
                    }
                } else if scanner.localNameIs("cellXfs") {
                    inCellXfs = !scanner.isSelfClosing
                } else if scanner.localNameIs("xf") && inCellXfs {
                    let id = try scanner.attributeString("numFmtId").flatMap { Int($0) } ?? 0
                    kinds.append(custom[id] ?? XLSXNumberFormat.builtInKind(id: id))
                    try scanner.skipElement()
                } else if scanner.localNameIs("cellStyleXfs") || scanner.localNameIs("fonts")
                            || scanner.localNameIs("fills") || scanner.localNameIs("borders")
                            || scanner.localNameIs("dxfs") || scanner.localNameIs("colors") || scanner.localNameIs("extLst") {
                    try scanner.skipElement()
                }
            case .endTag:
                if scanner.localNameIs("cellXfs") { inCellXfs = false }
            case .text:
                break
            }
        }
    }

    private init() {}
}
