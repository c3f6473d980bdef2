import Testing
@testable import SluiceMail

@Suite("IMAP pieces that need no server")
struct IMAPPiecesTests {
    @Test func mailboxNamesUseModifiedUTF7() throws {
        #expect(IMAPMailboxName.encode("Traité") == "Trait&AOk-")
        #expect(IMAPMailboxName.encode("A&B") == "A&-B")
        #expect(IMAPMailboxName.encode("日本語") == "&ZeVnLIqe-")
        #expect(try IMAPMailboxName.quoted("Erreurs \"mail\"") == "\"Erreurs \\\"mail\\\"\"")
        #expect(throws: MailTransportError.self) { try IMAPMailboxName.quoted("x\r\nA1 DELETE INBOX") }
    }

    @Test func literalsAndResponseCodes() {
        #expect(IMAPSession.literalCount("* 1 FETCH (UID 7 BODY[] {1234}") == 1234)
        #expect(IMAPSession.literalCount("* 1 FETCH (UID 7 BODY[] {12+}") == 12)
        #expect(IMAPSession.literalCount("* OK [UIDNEXT 5] next") == nil)
        #expect(IMAPSession.code("UIDVALIDITY", in: "OK [UIDVALIDITY 3857529045] UIDs valid") == 3857529045)
    }

    @Test func plainConnectionsNeedPermissionAndLoopback() {
        let remote = MailAccount(host: "mail.example.com", port: 143, tls: .none, allowPlain: true)
        #expect(throws: MailTransportError.self) { try remote.checkTransport() }
        let unasked = MailAccount(host: "127.0.0.1", port: 143, tls: .none)
        #expect(throws: MailTransportError.self) { try unasked.checkTransport() }
        #expect((try? MailAccount(host: "127.0.0.1", port: 143, tls: .none, allowPlain: true).checkTransport()) != nil)
    }
}
