import Foundation
import Testing
import SluiceCore
@testable import SluiceFormats

@Suite("MIMEStreamParser")
struct MIMEStreamParserTests {
    static let simple = """
        From: =?utf-8?q?J=C3=B6hn?= Doe <john@example.com>
        To: a@example.com, "Dupont, Jean" <jean@example.com>
        To: c@example.com
        Cc: team: d@example.com, e@example.com;
        Reply-To: <replies@example.com>
        Subject: =?utf-8?q?Rapport_quotidien?=
         =?utf-8?q?_-_r=C3=A9sum=C3=A9?= du jour
        Date: Mon, 01 Jan 2024 09:30:00 +0100
        Message-ID: <abc.123@example.com>
        In-Reply-To: <prev@example.com>
        References: <first@example.com>
        \t<prev@example.com>
        MIME-Version: 1.0
        Content-Type: multipart/alternative; boundary="ALT"

        preamble, ignored
        --ALT
        Content-Type: text/plain; charset=iso-8859-1
        Content-Transfer-Encoding: quoted-printable

        Bonjour, voici le r=E9sum=E9.=
         Fin.
        --ALT
        Content-Type: text/html; charset=utf-8

        <p>Bonjour</p>
        --ALT--
        epilogue, ignored

        """

    @Test func topLevelFieldsAndBodies() throws {
        let m = try MIMEFixtures.parse(Self.simple)
        #expect(m.subject == "Rapport quotidien - résumé du jour")
        #expect(m.from == [MailAddress(name: "Jöhn Doe", address: "john@example.com")])
        #expect(m.to.map(\.address) == ["a@example.com", "jean@example.com", "c@example.com"])
        #expect(m.to[1].name == "Dupont, Jean")
        #expect(m.cc.map(\.address) == ["d@example.com", "e@example.com"])
        #expect(m.replyTo.map(\.address) == ["replies@example.com"])
        #expect(m.date == Date(timeIntervalSince1970: 1_704_097_800))
        #expect(m.dateText == "Mon, 01 Jan 2024 09:30:00 +0100")
        #expect(m.messageID == "abc.123@example.com")
        #expect(m.inReplyTo == "prev@example.com")
        #expect(m.references == ["first@example.com", "prev@example.com"])
        #expect(m.textBody == "Bonjour, voici le résumé. Fin.")
        #expect(m.htmlBody == "<p>Bonjour</p>")
        #expect(m.header("subject") == "Rapport quotidien - résumé du jour")
        #expect(m.headers.first { $0.name == "References" }?.rawValue == "<first@example.com>\t<prev@example.com>")
        #expect(m.partCount == 3 && m.maxDepth == 1)
        #expect(m.defects.isEmpty && !m.truncated && m.attachments.isEmpty)
    }

    static func withAttachment(_ body: String, boundaryLine: String = "--B", crlf: Bool = true) -> String {
        let text = """
            Subject: one attachment
            Content-Type: multipart/mixed; boundary=B

            --B
            Content-Type: text/plain

            hello
            --B
            Content-Type: application/octet-stream
            Content-Disposition: attachment; filename="data.bin"

            \(body)
            \(boundaryLine)--

            """
        return crlf ? text.replacingOccurrences(of: "\n", with: "\r\n") : text
    }

    static func attachmentBytes(_ text: String, chunk: Int? = nil) throws -> (MIMEMessage, [UInt8]) {
        let store = RecordingStore(keepBytes: true)
        let m = try MIMEFixtures.parse(text, chunkSize: chunk, store: store)
        return (m, store.outputs.first?.bytes ?? [])
    }

    @Test func theLineBreakBeforeABoundaryBelongsToIt() throws {
        #expect(try Self.attachmentBytes(Self.withAttachment("abc")).1 == Array("abc".utf8))
        #expect(try Self.attachmentBytes(Self.withAttachment("abc\n")).1 == Array("abc\r\n".utf8))
        #expect(try Self.attachmentBytes(Self.withAttachment("abc\n", crlf: false)).1 == Array("abc\n".utf8))
        #expect(try Self.attachmentBytes(Self.withAttachment("a\nb", crlf: false)).1 == Array("a\nb".utf8))
    }

    @Test func boundaryLinesMayHaveTrailingWhitespace() throws {
        let text = Self.withAttachment("abc").replacingOccurrences(of: "--B\r\nContent-Type: application", with: "--B \t\r\nContent-Type: application")
        let (m, bytes) = try Self.attachmentBytes(text)
        #expect(m.attachments.count == 1 && bytes == Array("abc".utf8))
    }

    @Test func linesThatOnlyStartLikeABoundaryAreContent() throws {
        let body = "--Bx\n-- \n--\n-\n---B"
        let (m, bytes) = try Self.attachmentBytes(Self.withAttachment(body, crlf: false))
        #expect(bytes == Array(body.utf8))
        #expect(m.defects.isEmpty)
    }

    @Test func aClosingBoundaryAtTheVeryEndNeedsNoLineBreak() throws {
        var text = Self.withAttachment("abc")
        text.removeLast()  // "\r\n" is one Character
        #expect(text.hasSuffix("--B--"))
        let (m, bytes) = try Self.attachmentBytes(text)
        #expect(bytes == Array("abc".utf8))
        #expect(!m.truncated)
        #expect(m.defects.isEmpty)
    }

    @Test func lfOnlyAndCRLFGiveTheSameAttachment() throws {
        let base64 = "SGVs\nbG8s\nIHdv\ncmxk\nIQ=="
        let (a, bytesA) = try Self.attachmentBytes(Self.withAttachment(base64, crlf: true).replacingOccurrences(of: "application/octet-stream", with: "application/octet-stream\r\nContent-Transfer-Encoding: base64"))
        let (b, bytesB) = try Self.attachmentBytes(Self.withAttachment(base64, crlf: false).replacingOccurrences(of: "application/octet-stream", with: "application/octet-stream\nContent-Transfer-Encoding: base64"))
        #expect(bytesA == Array("Hello, world!".utf8) && bytesA == bytesB)
        #expect(a.textBody == "hello" && b.textBody == "hello")
    }

    @Test func foldedHeadersAndParameters() throws {
        let text = "Subject: a\r\n\tfolded\r\n  subject\r\nContent-Type: multipart/mixed;\r\n\tboundary=\"X\"\r\n\r\n--X\r\nContent-Type: text/plain;\r\n name=\"long\r\n name.txt\"\r\n\r\nx\r\n--X--\r\n"
        let m = try MIMEFixtures.parse(text)
        #expect(m.subject == "a\tfolded  subject")
        #expect(m.attachments.map(\.originalName) == ["long name.txt"])
    }

    @Test func anEnclosingBoundaryEndsInnerParts() throws {
        let text = """
            Content-Type: multipart/mixed; boundary=OUT

            --OUT
            Content-Type: multipart/mixed; boundary=IN

            --IN
            Content-Disposition: attachment; filename=a.txt

            inner
            --OUT
            Content-Disposition: attachment; filename=b.txt

            outer
            --OUT--

            """
        let store = RecordingStore(keepBytes: true)
        let m = try MIMEFixtures.parse(text, store: store)
        #expect(m.attachments.map(\.originalName) == ["a.txt", "b.txt"])
        #expect(store.outputs.map { String(decoding: $0.bytes, as: UTF8.self) } == ["inner", "outer"])
        #expect(m.attachments.allSatisfy { $0.complete })
        #expect(m.defects.map(\.code) == [.closeBoundaryNotFound])
        #expect(m.defects.first?.place == "1")
        #expect(!m.truncated)
    }

    @Test func attachedMessagesAreDescendedInto() throws {
        let text = """
            Content-Type: multipart/mixed; boundary=OUT

            --OUT
            Content-Type: message/rfc822; name=fwd.eml

            From someone@example.com Tue May 10 11:28:07 2005
            Subject: inner
            Content-Type: multipart/mixed; boundary=IN

            --IN
            Content-Type: application/pdf; name=inner.pdf
            Content-Transfer-Encoding: base64

            JVBERi0=
            --IN--
            --OUT--

            """
        let store = RecordingStore(keepBytes: true)
        let m = try MIMEFixtures.parse(text, store: store)
        #expect(m.attachments.map(\.originalName) == ["inner.pdf"])
        #expect(m.attachments.map(\.depth) == [3])
        #expect(m.attachments.map(\.place) == ["1.1"])
        #expect(store.outputs.first?.bytes == Array("%PDF-".utf8))
        #expect(m.partCount == 4 && m.maxDepth == 3)
        #expect(m.subject == nil)
    }

    @Test func digestPartsDefaultToMessages() throws {
        let text = "Content-Type: multipart/digest; boundary=D\n\n--D\n\nSubject: one\nContent-Disposition: attachment; filename=x.txt\n\nbody\n--D--\n"
        let m = try MIMEFixtures.parse(text)
        #expect(m.attachments.map(\.originalName) == ["x.txt"])
        #expect(m.attachments.first?.depth == 2)
    }

    @Test func aMultipartWithoutBoundaryIsReadAsText() throws {
        let m = try MIMEFixtures.parse("Content-Type: multipart/mixed\n\nJust text.\n")
        #expect(m.textBody == "Just text.\n")
        #expect(m.defects.map(\.code) == [.missingBoundary])
    }

    @Test func aMessageWithoutItsClosingBoundaryIsTruncated() throws {
        let text = """
            Subject: cut
            Content-Type: multipart/mixed; boundary=B

            --B
            Content-Type: text/plain

            hello
            --B
            Content-Type: application/pdf
            Content-Transfer-Encoding: base64
            Content-Disposition: attachment; filename=cut.pdf

            JVBERi0xLjQKJcfs
            j6IKMSAwIG9iago8
            """
        for chunk in [nil, 1, 5] {
            let store = RecordingStore(keepBytes: true)
            let m = try MIMEFixtures.parse(text, chunkSize: chunk, store: store)
            #expect(m.truncated)
            #expect(m.defects.map(\.code) == [.truncated])
            #expect(m.attachments.count == 1)
            #expect(m.attachments.first?.complete == false)
            #expect(m.attachments.first?.defects.map(\.code) == [.truncated])
            #expect(store.outputs.count == 1)
            #expect(store.outputs.first?.finishedComplete == false)
            #expect(m.textBody == "hello")
        }
    }

    @Test func limitsBoundTheWork() throws {
        var limits = MIMELimits()
        limits.maxParts = 3
        limits.maxHeaderBytes = 64
        limits.maxBodyTextBytes = 5
        let text = "Subject: " + String(repeating: "x", count: 200) + "\nX-Other: y\nContent-Type: multipart/mixed; boundary=B\n\n"
            + "--B\n\nHello, world\n--B\nContent-Disposition: attachment; filename=1.txt\n\n1\n--B\nContent-Disposition: attachment; filename=2.txt\n\n2\n--B--\n"
        let store = RecordingStore()
        let m = try MIMEFixtures.parse(text, limits: limits, store: store)
        // The oversized header block lost its Content-Type, so the body is one text part.
        #expect(m.defects.map(\.code).contains(.headerTooLong))
        #expect(m.subject?.count == 54)
        let parts = try MIMEFixtures.parse(text.replacingOccurrences(of: String(repeating: "x", count: 200), with: "x"), limits: limits, store: store)
        #expect(parts.attachments.map(\.originalName) == ["1.txt"])
        #expect(parts.defects.map(\.code) == [.bodyTextTooLong, .partLimit])
        #expect(parts.textBody == "Hello")
        #expect(parts.partCount == 4)
    }

    @Test func bigAttachmentsStreamInPieces() throws {
        var payload = [UInt8](repeating: 0, count: 1 << 20)
        for i in payload.indices { payload[i] = UInt8(truncatingIfNeeded: i &* 2654435761 >> 7) }
        let encoded = Data(payload).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        let text = "Content-Type: application/octet-stream; name=big.bin\r\nContent-Transfer-Encoding: base64\r\n\r\n" + encoded + "\r\n"
        let store = RecordingStore()
        let m = try MIMEFixtures.parse(text, chunkSize: 65_536, store: store)
        #expect(m.attachments.first?.size == Int64(payload.count))
        #expect(store.outputs.first?.sha256 == SHA256.hex(payload))
        #expect((store.outputs.first?.writes ?? 0) >= 8)
        #expect(m.partCount == 1 && m.maxDepth == 0 && m.attachments.first?.depth == 0)
    }

    /// Feeding one byte at a time, or a few, gives exactly what one chunk gives.
    @Test(arguments: MIMEFixtures.names(in: MIMEFixtures.directory) + MIMEFixtures.names(in: MIMEFixtures.adversarialDirectory).map { "adversarial/" + $0 })
    func chunkingDoesNotMatter(_ name: String) throws {
        let raw = try [UInt8](Data(contentsOf: MIMEFixtures.directory.appendingPathComponent(name + ".eml")))
        let whole = try MIMEFixtures.summary(raw, chunks: [raw.count])
        for chunk in raw.count > 100_000 ? [4093] : [1, 2, 3, 77, 4096] {
            #expect(try MIMEFixtures.summary(raw, chunks: [chunk]) == whole, "chunk size \(chunk)")
        }
    }

    @Test func usingTheParserAfterFinishIsAnError() throws {
        let parser = MIMEStreamParser(store: nil)
        _ = try parser.finish()
        #expect(throws: MIMEError.self) { try [UInt8(65)].withUnsafeBytes { try parser.feed($0) } }
        #expect(throws: MIMEError.self) { try parser.finish() }
        #expect(throws: MIMEError.self) { try MIMEStreamParser.parse(file: "/nonexistent/message.eml", store: nil) }
    }
}
