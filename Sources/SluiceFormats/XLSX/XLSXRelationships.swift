/// One `<Relationship>` of an OPC `.rels` part, with its target resolved to a part name.
struct XLSXRelationship: Sendable, Hashable {
    var id: String
    /// The full type URI (transitional or strict namespace).
    var type: String
    /// The resolved part name (`xl/worksheets/sheet1.xml`), or the raw target when external.
    var target: String
    /// `TargetMode="External"`: a URL or path outside the package, never followed.
    var isExternal: Bool

    /// Whether the type's last path segment is `name` (`officeDocument`, `worksheet`, `sharedStrings`),
    /// so transitional and strict OOXML namespaces both match.
    func hasType(_ name: String) -> Bool {
        type.hasSuffix("/" + name)
    }
}

/// The relationships of one package part, read from its `.rels` part.
struct XLSXRelationships: Sendable {
    var all: [XLSXRelationship] = []

    func first(ofType name: String) -> XLSXRelationship? {
        all.first { !$0.isExternal && $0.hasType(name) }
    }

    func relationship(id: String) -> XLSXRelationship? {
        all.first { $0.id == id }
    }

    /// The `.rels` part name for `partName`: `xl/workbook.xml` → `xl/_rels/workbook.xml.rels`; the package root → `_rels/.rels`.
    static func relsPartName(for partName: String) -> String {
        guard let slash = partName.lastIndex(of: "/") else { return "_rels/\(partName).rels" }
        return "\(partName[..<slash])/_rels/\(partName[partName.index(after: slash)...]).rels"
    }

    /// Reads a `.rels` part whose source part is `sourcePart` ("" for the package root).
    init<Source: XMLByteSource>(scanner: XMLScanner<Source>, sourcePart: String) throws {
        while true {
            let token = try scanner.next()
            if token == .endOfDocument { break }
            guard token == .startTag, scanner.localNameIs("Relationship") else { continue }
            let id = try scanner.attributeString("Id") ?? ""
            let type = try scanner.attributeString("Type") ?? ""
            let target = try scanner.attributeString("Target") ?? ""
            let external = (try scanner.attributeString("TargetMode"))?.lowercased() == "external"
            all.append(XLSXRelationship(
                id: id, type: type,
                target: external ? target : Self.resolve(target: target, from: sourcePart),
                isExternal: external))
        }
    }

    /// Resolves a relationship target against its source part: absolute (`/xl/x.xml`) from the
    /// package root, relative from the source part's folder; `.`/`..` applied, `\` read as `/`,
    /// `%XX` decoded.
    static func resolve(target: String, from sourcePart: String) -> String {
        var path = percentDecoded(target).replacingBackslashes()
        if let hash = path.firstIndex(of: "#") { path = String(path[..<hash]) }
        var segments: [Substring]
        if path.hasPrefix("/") {
            segments = []
        } else {
            segments = sourcePart.split(separator: "/", omittingEmptySubsequences: false)
            segments.removeLast()
        }
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            if segment == "." { continue }
            if segment == ".." { if !segments.isEmpty { segments.removeLast() }; continue }
            segments.append(segment)
        }
        return segments.filter { !$0.isEmpty }.joined(separator: "/")
    }

    private static func percentDecoded(_ text: String) -> String {
        guard text.contains("%") else { return text }
        var out: [UInt8] = []
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "%"), i + 2 < bytes.count,
               let value = UInt8(String(decoding: bytes[(i + 1)...(i + 2)], as: UTF8.self), radix: 16) {
                out.append(value)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private init() {}
    static let empty = XLSXRelationships()
}

extension String {
    func replacingBackslashes() -> String {
        guard utf8.contains(UInt8(ascii: "\\")) else { return self }
        return String(decoding: utf8.map { $0 == UInt8(ascii: "\\") ? UInt8(ascii: "/") : $0 }, as: UTF8.self)
    }
}
