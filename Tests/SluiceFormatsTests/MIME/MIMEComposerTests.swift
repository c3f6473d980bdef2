import Foundation
import Testing
@testable import SluiceFormats

@Suite struct MIMEComposerTests {
    static let date = Date(timeIntervalSince1970: 1_795_248_000) // 2026-11-21T08:00:00Z

    func message(_ change: (inout MIMEComposer) -> Void = { _ in }) -> MIMEComposer {
        var m = MIMEComposer(from: MailAddress(name: "Sluice", address: "robot@example.com"), messageID: "sluice-abc@example.com",
                             date: Self.date, timeZone: TimeZone(identifier: "Europe/Zurich")!)
        m.to = [MailAddress(name: "Marie Dupont", address: "marie@example.com")]
        m.subject = "Rapport"
        m.text = "Bonjour"
        change(&m)
        return m
    }

    func text(_ m: MIMEComposer) throws -> String { String(decoding: try m.compose(), as: UTF8.self) }

    func temporaryFile(_ bytes: [UInt8], name: String = "f.bin") throws -> String {
        let dir = NSTemporaryDirectory() + "mime-composer-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/" + name
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    // MARK: Header injection

    static let injections: [(String, @Sendable (inout MIMEComposer) -> Void)] = [
        ("From", { $0.from = MailAddress(name: "Evil\r\nBcc: x@y.z", address: "robot@example.com") }),
        ("From", { $0.from = MailAddress(address: "robot@example.com\nBcc: x@y.z") }),
        ("To", { $0.to = [MailAddress(name: "A\nB", address: "a@example.com")] }),
        ("To", { $0.to = [MailAddress(address: "a@example.com\r\nX: y")] }),
        ("Cc", { $0.cc = [MailAddress(name: "A\0", address: "a@example.com")] }),
        ("Reply-To", { $0.replyTo = [MailAddress(name: "R\r", address: "r@example.com")] }),
        ("Subject", { $0.subject = "Hello\r\nBcc: victim@example.com" }),
        ("Subject", { $0.subject = "Héllo\nX" }),
        ("Subject", { $0.subject = "nul\0here" }),
        ("Message-ID", { $0.messageID = "a@b\r\nX: y" }),
        ("In-Reply-To", { $0.inReplyTo = "a@b\nX: y" }),
        ("References", { $0.references = ["ok@b", "a@b\r\nX: y"] }),
        ("attachment file name", { $0.attachments = [.init(name: "a.csv\r\nContent-Type: text/html", path: "/dev/null")] }),
        ("attachment file name", { $0.attachments = [.init(name: "a\0.csv", path: "/dev/null")] }),
    ]

    @Test(arguments: 0 ..< injections.count)
    func aLineBreakOrNulInAnyHeaderValueIsRefusedNamingTheHeader(_ index: Int) throws {
        let (header, change) = Self.injections[index]
        let m = message(change)
        let error = try #require(throws: MIMEComposerError.self) { try m.compose() }
        #expect(error.header == header)
        #expect(error.description.contains("line break or a NUL"))
    }

    @Test func addressesThatCannotBeSentAreRefused() throws {
        #expect(throws: MIMEComposerError.self) { try message { $0.to = [MailAddress(address: "not an address")] }.compose() }
        #expect(throws: MIMEComposerError.self) { try message { $0.cc = [MailAddress(address: "zoé@exemple.fr")] }.compose() }
        #expect(throws: MIMEComposerError.self) { try message { $0.messageID = "has space@x" }.compose() }
    }

    // MARK: Headers

    @Test func headersInOrderWithoutBcc() throws {
        let m = message {
            $0.cc = [MailAddress(address: "cc@example.com")]
            $0.replyTo = [MailAddress(address: "reply@example.com")]
            $0.inReplyTo = "orig@mail.example.org"
            $0.references = ["first@x", "orig@mail.example.org"]
            $0.priority = .high
        }
        let headers = try m.messageHeaders()
        #expect(headers == """
        Date: Sat, 21 Nov 2026 09:00:00 +0100\r
        From: Sluice <robot@example.com>\r
        Reply-To: reply@example.com\r
        To: Marie Dupont <marie@example.com>\r
        Cc: cc@example.com\r
        Subject: Rapport\r
        Message-ID: <sluice-abc@example.com>\r
        In-Reply-To: <orig@mail.example.org>\r
        References: <first@x> <orig@mail.example.org>\r
        X-Priority: 1 (Highest)\r
        Importance: high\r
        Auto-Submitted: auto-generated\r
        MIME-Version: 1.0\r

        """)
        #expect(!(try text(m)).lowercased().contains("bcc"))
    }

    @Test func withOnlyBlindCopiesTheToHeaderNamesNobody() throws {
        let headers = try message { $0.to = [] }.messageHeaders()
        #expect(headers.contains("To: undisclosed-recipients:;\r\n"))
    }

    @Test func displayNamesAreQuotedOrEncodedAsNeeded() throws {
        let m = message {
            $0.to = [MailAddress(name: "Dupont, Marie", address: "m@example.com"), MailAddress(name: "Zoé Müller", address: "z@example.com"),
                     MailAddress(name: "Say \"hi\"", address: "s@example.com")]
        }
        let headers = try m.messageHeaders()
        #expect(headers.contains("\"Dupont, Marie\" <m@example.com>,"))
        #expect(headers.contains("\"Say \\\"hi\\\"\" <s@example.com>"))
        let to = Self.unfold(headers, "To")
        #expect(Self.decodeEncodedWords(to).contains("Zoé Müller <z@example.com>"))
    }

    @Test(arguments: [
        "Rapport quotidien des ventes – 21.11.2026 ✅",
        "日本語の件名はとても長くなることがあります。それでも正しく折り返されなければなりません。そして復元されます。",
        "=?UTF-8?B?notreally?= plain",
        String(repeating: "x", count: 300),
        "emoji 👩‍👩‍👧‍👦 family and café",
    ])
    func subjectsRoundTripThroughEncodedWordsAndStayWithinLines(_ subject: String) throws {
        let headers = try message { $0.subject = subject }.messageHeaders()
        for line in headers.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 78, "\(line)") }
        let unfolded = Self.unfold(headers, "Subject")
        #expect(Self.decodeEncodedWords(unfolded) == subject)
        #expect(headers.utf8.allSatisfy { $0 < 0x80 })
    }

    @Test func longPlainSubjectsFoldAtSpaces() throws {
        let subject = (1 ... 30).map { "word\($0)" }.joined(separator: " ")
        let headers = try message { $0.subject = subject }.messageHeaders()
        #expect(headers.contains("\r\n word"))
        #expect(Self.unfold(headers, "Subject") == subject)
        #expect(!headers.contains("=?"))
    }

    @Test func theDateIsRFC5322InTheGivenZone() {
        #expect(MIMEHeaderEncoding.date(Self.date, timeZone: TimeZone(identifier: "UTC")!) == "Sat, 21 Nov 2026 08:00:00 +0000")
        #expect(MIMEHeaderEncoding.date(Self.date, timeZone: TimeZone(identifier: "America/St_Johns")!) == "Sat, 21 Nov 2026 04:30:00 -0330")
    }

    // MARK: Bodies

    @Test func everyLineEndsWithCRLF() throws {
        let path = try temporaryFile(Array("a\nb\rc\r\n".utf8), name: "raw.txt")
        let bytes = try message {
            $0.text = "one\ntwo\rthree\r\n.four\n\nfive"
            $0.html = "<p>un</p>\n<p>deux</p>"
            $0.attachments = [.init(name: "raw.txt", path: path)]
        }.compose()
        for (i, b) in bytes.enumerated() {
            if b == 0x0A { #expect(i > 0 && bytes[i - 1] == 0x0D, "bare LF at \(i)") }
            if b == 0x0D { #expect(i + 1 < bytes.count && bytes[i + 1] == 0x0A, "bare CR at \(i)") }
        }
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("\r\n.four\r\n\r\nfive\r\n"), "a line starting with a dot follows a CRLF, so SMTP dot-stuffing sees it")
        #expect(bytes.suffix(2) == [0x0D, 0x0A])
    }

    @Test func longLinesAndNonASCIIBecomeQuotedPrintableWithinLimits() throws {
        let long = String(repeating: "abcdé= ", count: 800) + " "
        let text = try text(message { $0.text = long + "\nend" })
        #expect(text.contains("Content-Transfer-Encoding: quoted-printable"))
        let body = String(text[text.range(of: "\r\n\r\n")!.upperBound...])
        for line in body.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 76, "\(line)") }
        #expect(Self.decodeQuotedPrintable(body) == long + "\r\nend\r\n")
    }

    @Test func shortASCIITextIsSentAsItIs() throws {
        let text = try text(message { $0.text = "Hello\n\nBye" })
        #expect(text.hasSuffix("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\nHello\r\n\r\nBye\r\n"))
    }

    @Test func textAndHTMLMakeAnAlternativeInsideMixedWithAttachments() throws {
        let path = try temporaryFile(Array("x".utf8), name: "a.csv")
        let text = try text(message {
            $0.html = "<p>Bonjour</p>"
            $0.attachments = [.init(name: "a.csv", path: path)]
        })
        let mixed = try #require(text.firstMatch(of: /multipart\/mixed; boundary="([^"]+)"/)?.1)
        let alternative = try #require(text.firstMatch(of: /multipart\/alternative; boundary="([^"]+)"/)?.1)
        #expect(mixed != alternative && mixed.hasPrefix("=_") && alternative.hasPrefix("=_"))
        let plainAt = try #require(text.range(of: "text/plain")).lowerBound
        let htmlAt = try #require(text.range(of: "text/html")).lowerBound
        let csvAt = try #require(text.range(of: "text/csv")).lowerBound
        #expect(plainAt < htmlAt && htmlAt < csvAt)
        #expect(text.hasSuffix("--\(mixed)--\r\n"))
    }

    @Test func aBoundaryNeverOccursInTheContent() throws {
        let first = try text(message { $0.html = "<p/>" })
        let boundary = String(try #require(first.firstMatch(of: /boundary="([^"]+)"/)?.1))
        let tricky = "line\n--\(boundary)\nmore"
        let second = try text(message { $0.text = tricky; $0.html = "<p/>" })
        let other = String(try #require(second.firstMatch(of: /boundary="([^"]+)"/)?.1))
        #expect(other != boundary)
        #expect(second.components(separatedBy: "--" + other).count == 4, "two parts and the close delimiter")
    }

    @Test func theSameMessageComposesToTheSameBytes() throws {
        #expect(try message { $0.html = "<b>x</b>" }.compose() == message { $0.html = "<b>x</b>" }.compose())
    }

    // MARK: Attachments

    @Test(arguments: [0, 1, 56, 57, 58, 57 * 1024, 57 * 1024 + 5, 200_003])
    func attachmentsAreBase64InFullLinesAndDecodeToTheFile(_ size: Int) throws {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0 ..< size).map { _ in UInt8.random(in: 0 ... 255, using: &generator) }
        let path = try temporaryFile(bytes)
        let out = NSTemporaryDirectory() + "composed-\(UUID().uuidString).eml"
        let written = try message { $0.attachments = [.init(name: "f.bin", path: path)] }.write(to: out)
        let text = try String(contentsOfFile: out, encoding: .utf8)
        #expect(Int64(text.utf8.count) == written)
        #expect(text.contains("size=\(size)"))
        let part = try #require(text.components(separatedBy: "Content-Transfer-Encoding: base64\r\n\r\n").last)
        let lines = part.components(separatedBy: "\r\n").prefix { !$0.hasPrefix("--") }.filter { !$0.isEmpty }
        for line in lines.dropLast() { #expect(line.utf8.count == 76) }
        #expect((lines.last?.utf8.count ?? 0) <= 76)
        let decoded = try #require(Data(base64Encoded: lines.joined()))
        #expect([UInt8](decoded) == bytes)
    }

    @Test func nonASCIIFileNamesUseRFC2231WithAPlainFallback() throws {
        let path = try temporaryFile(Array("x".utf8), name: "r.csv")
        let name = "commandes_été_€_" + String(repeating: "é", count: 40) + ".csv"
        let text = try text(message { $0.attachments = [.init(name: name, path: path)] })
        #expect(text.contains("Content-Type: text/csv;\r\n name=\"commandes_"))
        #expect(text.contains("filename*0*=UTF-8''commandes_%C3%A9t%C3%A9_%E2%82%AC_"))
        for line in text.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 78, "\(line)") }
        let disposition = Self.unfold(text, "Content-Disposition")
        var joined = ""
        for match in disposition.matches(of: /filename\*\d+\*=([^;]+)/) { joined += match.1 }
        #expect(joined.hasPrefix("UTF-8''"))
        #expect(String(joined.dropFirst(7)).removingPercentEncoding == name)
    }

    @Test func plainFileNamesAreQuoted() throws {
        let path = try temporaryFile(Array("x".utf8), name: "r.xlsx")
        let text = try text(message { $0.attachments = [.init(name: "rapport \"final\".xlsx", path: path)] })
        #expect(text.contains("Content-Disposition: attachment; filename=\"rapport \\\"final\\\".xlsx\";"))
        #expect(text.contains("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    }

    @Test func aMissingAttachmentIsAnErrorNamingIt() throws {
        let error = try #require(throws: MIMEComposerError.self) {
            try message { $0.attachments = [.init(name: "gone.csv", path: "/nonexistent/gone.csv")] }.compose()
        }
        #expect(error.message.contains("gone.csv"))
    }

    // MARK: Decoders for the checks

    /// The value of the first header called `name` (in any part), unfolded.
    static func unfold(_ text: String, _ name: String) -> String {
        var value: String?
        for line in text.components(separatedBy: "\r\n") {
            if value != nil, line.hasPrefix(" ") || line.hasPrefix("\t") {
                value! += line
            } else if value != nil {
                break
            } else if line.hasPrefix(name + ": ") {
                value = String(line.dropFirst(name.count + 2))
            }
        }
        return value ?? ""
    }

    /// RFC 2047 B words decoded; whitespace between adjacent encoded words dropped.
    static func decodeEncodedWords(_ text: String) -> String {
        var bytes: [UInt8] = []
        var rest = Substring(text)
        var pendingSpace = ""
        while !rest.isEmpty {
            if let match = rest.prefixMatch(of: /=\?UTF-8\?B\?([A-Za-z0-9+\/=]*)\?=/) {
                bytes += [UInt8](Data(base64Encoded: String(match.1)) ?? Data())
                rest = rest[match.range.upperBound...]
                pendingSpace = ""
                if let space = rest.prefixMatch(of: /[ \t]+/), rest[space.range.upperBound...].hasPrefix("=?") {
                    rest = rest[space.range.upperBound...]
                }
            } else {
                bytes += Array(pendingSpace.utf8) + Array(String(rest.first!).utf8)
                rest = rest.dropFirst()
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func decodeQuotedPrintable(_ text: String) -> String {
        var out: [UInt8] = []
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "=") {
                if i + 2 < bytes.count && bytes[i + 1] == 0x0D && bytes[i + 2] == 0x0A { i += 3; continue }
                out.append(UInt8(String(decoding: bytes[i + 1 ... i + 2], as: UTF8.self), radix: 16)!)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

@Test func aSubjectWithALongRunOfSpacesStaysUnder998OctetsPerLine() {
    let header = MIMEHeaderEncoding.unstructured(name: "Subject", value: "a" + String(repeating: " ", count: 1000) + "b")
    #expect(header.split(separator: "\r\n", omittingEmptySubsequences: false).allSatisfy { $0.utf8.count <= 998 })
}
