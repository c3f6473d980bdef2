/// What one part's header fields say about its body: type, encoding, name, disposition.
struct MIMEPartHeaders {
    /// `type/subtype`, lowercased; the default when the field is missing or malformed.
    var contentType: String
    var contentTypeParameters: MIMEParameterizedValue
    /// `attachment`, `inline`... lowercased; nil without a `Content-Disposition`.
    var disposition: String?
    /// RFC 2183 `filename` (RFC 2231 forms included), else `Content-Type` `name`; decoded.
    var fileName: String?
    /// `Content-Transfer-Encoding`, trimmed and lowercased.
    var transferEncoding: String?
    /// `Content-ID` without angle brackets.
    var contentID: String?
    /// Problems with these fields, as defects without a place yet.
    var problems: [(MIMEDefect.Code, String)] = []

    init(_ fields: [MIMEHeader], defaultType: String) {
        let typeField = fields.first("Content-Type").map(MIMEParameterizedValue.parse)
        contentTypeParameters = typeField ?? MIMEParameterizedValue(value: defaultType)
        let type = contentTypeParameters.value
        let halves = type.split(separator: "/", omittingEmptySubsequences: false)
        if halves.count == 2, !halves[0].isEmpty, !halves[1].isEmpty, !type.utf8.contains(0x20) {
            contentType = type
        } else {
            if typeField != nil { problems.append((.malformedHeader, "Content-Type '\(type)' is not type/subtype; read as \(defaultType)")) }
            contentType = defaultType
        }
        let dispositionField = fields.first("Content-Disposition").map(MIMEParameterizedValue.parse)
        disposition = dispositionField.flatMap { $0.value.isEmpty ? nil : $0.value }
        fileName = (dispositionField?["filename"] ?? contentTypeParameters["name"])
            .map { String($0.trimmingSpaces) }
        transferEncoding = fields.first("Content-Transfer-Encoding").map { $0.trimmingSpaces.lowercased() }
        contentID = fields.first("Content-ID").map { Self.unbracketed($0) }
        for field in [typeField, dispositionField].compactMap({ $0 }) {
            for charset in field.unknownCharsets {
                problems.append((.unknownCharset, "parameter in unknown charset '\(charset)', decoded as UTF-8"))
            }
            if field.undecodable { problems.append((.undecodableText, "a parameter has bytes invalid in its charset")) }
        }
    }

    var boundary: String? { contentTypeParameters["boundary"] }
    var charset: MIMECharset { MIMECharset(contentTypeParameters["charset"] ?? "us-ascii") }
    var isMultipart: Bool { contentType.hasPrefix("multipart/") }
    /// A part whose body is a whole message to descend into.
    var isEncapsulatedMessage: Bool {
        contentType == "message/rfc822" || contentType == "message/global" || contentType == "message/news"
    }

    /// `<id@host>` → `id@host`.
    static func unbracketed(_ value: String) -> String {
        var s = value.trimmingSpaces
        if s.hasPrefix("<") { s = s.dropFirst() }
        if let close = s.firstIndex(of: ">") { s = s[..<close] }
        return String(s.trimmingSpaces)
    }
}
