import Testing
@testable import SluiceMail
import SluiceTesting

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

@Suite("IMAP session against a scripted server")
struct IMAPSessionScriptedTests {
    static let first = "Subject: one\r\n\r\nS3 OK this line is inside a message\r\n"
    static let second = "Subject: two\r\n\r\n* 9 FETCH (UID 99 BODY[] {3}\r\n"

    func session(_ server: FakeIMAPServer) throws -> IMAPSession {
        try IMAPSession(account: MailAccount(host: "127.0.0.1", port: Int(server.port), tls: .none, username: "u", password: "p",
                                             allowPlain: true, timeout: 5))
    }

    @Test func bodiesAreMatchedToTheirUIDsWhateverTheOrderAndANoKeepsWhatArrived() throws {
        let server = try FakeIMAPServer { command in
            if command.hasPrefix("SELECT") { return ["* 3 EXISTS\r\n", "* OK [UIDVALIDITY 7] ok\r\n", "* OK [UIDNEXT 4] ok\r\n", "OK selected"] }
            guard command.hasPrefix("UID FETCH 1,2,3") else { return ["BAD unexpected"] }
            return ["* 1 FETCH (UID 1 BODY[] {\(Self.first.utf8.count)}\r\n\(Self.first))\r\n",
                    // The UID after the body, and a body holding lines that look like responses.
                    "* 2 FETCH (BODY[] {\(Self.second.utf8.count)}\r\n\(Self.second) UID 2)\r\n",
                    "NO Some messages could not be FETCHed"]
        }
        let s = try session(server)
        #expect(try s.select("INBOX") == IMAPMailboxStatus(uidValidity: 7, uidNext: 4, exists: 3))
        var bodies: [[UInt8]] = []
        let uids = try s.fetchMessages(uids: [1, 2, 3]) { n in
            bodies.append([])
            return { bodies[n].append(contentsOf: $0) }
        }
        #expect(uids == [1, 2])
        #expect(bodies.map { String(decoding: $0, as: UTF8.self) } == [Self.first, Self.second])
        s.logout()
    }

    @Test func aRefusalCarriesTheServersWords() throws {
        let server = try FakeIMAPServer { _ in ["NO [NONEXISTENT] Mailbox doesn't exist: Commandes"] }
        let s = try session(server)
        let error = try #require(throws: MailTransportError.self) { try s.select("Commandes") }
        #expect(error.serverReply?.contains("NONEXISTENT") == true && !error.transient)
    }
}
