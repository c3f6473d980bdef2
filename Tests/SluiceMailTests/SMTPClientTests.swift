import Foundation
import SluiceFormats
import Testing
@testable import SluiceMail
import SluiceTesting

@Suite struct SMTPClientTests {
    static let account = MailAccount(host: "127.0.0.1", port: 25, tls: .none, allowPlain: true, timeout: 10)

    func account(_ server: FakeSMTPServer) -> MailAccount {
        var a = Self.account
        a.port = Int(server.port)
        return a
    }

    /// A composed message with lines that start with dots, written to a file.
    func messageFile(text: String = "Bonjour\n.hidden line\n..two dots\n.\nend", subject: String = "Test") throws -> String {
        var m = MIMEComposer(from: MailAddress(address: "robot@example.com"), messageID: "sluice-1@example.com", date: Date(timeIntervalSince1970: 0))
        m.to = [MailAddress(address: "marie@example.com")]
        m.subject = subject
        m.text = text
        let path = try TemporaryFolder.file("message.eml", label: "smtp-client")
        try m.write(to: path)
        return path
    }

    // MARK: Against a scripted server

    @Test func theMessageIsDotStuffedOnTheWireAndArrivesIntact() throws {
        let server = try FakeSMTPServer()
        let file = try messageFile()
        let reply = try SMTPClient.send(try account(server).smtpRequest(from: "robot@example.com", to: ["marie@example.com", "paul@example.com"]), messageFile: file)
        #expect(reply.code == 250 && reply.description.contains("queued as FAKE1"))
        let got = try #require(server.messages.first)
        #expect(got.mailFrom == "MAIL FROM:<robot@example.com>" || got.mailFrom.hasPrefix("MAIL FROM:<robot@example.com>"))
        #expect(got.recipients.count == 2)
        let wire = String(decoding: got.raw, as: UTF8.self)
        #expect(wire.contains("\r\n..hidden line\r\n"))
        #expect(wire.contains("\r\n...two dots\r\n"))
        #expect(wire.contains("\r\n..\r\nend\r\n"))
        // Undoing the stuffing gives back the file, byte for byte.
        let unstuffed = wire.replacingOccurrences(of: "\r\n.", with: "\r\n")
        #expect(Array(unstuffed.utf8) == [UInt8](try Data(contentsOf: URL(fileURLWithPath: file))))
    }

    @Test func aRefusedRecipientIsPermanentWithTheServersAnswer() throws {
        let server = try FakeSMTPServer(replies: ["RCPT": "550 5.1.1 <nobody@example.com>: Recipient address rejected"])
        let error = try #require(throws: MailTransportError.self) {
            try SMTPClient.send(try account(server).smtpRequest(from: "robot@example.com", to: ["nobody@example.com"]), messageFile: try messageFile())
        }
        #expect(!error.transient)
        #expect(error.serverReply == "550 5.1.1 <nobody@example.com>: Recipient address rejected")
        #expect(error.message.contains("RCPT TO:<nobody@example.com>"))
    }

    @Test func aTemporaryRefusalOfTheDataIsTransient() throws {
        let server = try FakeSMTPServer(replies: ["END": "451 4.3.0 Try again later"])
        let error = try #require(throws: MailTransportError.self) {
            try SMTPClient.send(try account(server).smtpRequest(from: "robot@example.com", to: ["marie@example.com"]), messageFile: try messageFile())
        }
        #expect(error.transient)
        #expect(error.serverReply == "451 4.3.0 Try again later")
    }

    @Test func aConnectionLostAfterTheFinalDotIsTransientAndSaysTheMessageMayHaveArrived() throws {
        let server = try FakeSMTPServer(dropAfterDot: true)
        let error = try #require(throws: MailTransportError.self) {
            try SMTPClient.send(try account(server).smtpRequest(from: "robot@example.com", to: ["marie@example.com"]), messageFile: try messageFile())
        }
        #expect(error.transient)
        #expect(error.message.contains("may have been delivered"), "\(error)")
        #expect(server.messages.count == 1)
    }

    @Test func aRefusedConnectionIsTransient() throws {
        var a = Self.account
        a.port = 9
        let error = try #require(throws: MailTransportError.self) {
            try SMTPClient.send(try a.smtpRequest(from: "robot@example.com", to: ["marie@example.com"]), messageFile: try messageFile())
        }
        #expect(error.transient)
        #expect(error.message.contains("127.0.0.1:9"))
    }

    // MARK: Requests, without a server

    @Test func implicitTLSUsesSMTPSAndStartTLSIsRequired() throws {
        let implicit = try MailAccount(host: "mail.example.com", port: 465, tls: .implicit, username: "u", password: "p")
            .smtpRequest(from: "a@example.com", to: ["b@example.com"])
        #expect(implicit.url == "smtps://mail.example.com:465" && !implicit.requireTLS)
        #expect(implicit.mailFrom == "<a@example.com>" && implicit.recipients == ["<b@example.com>"])
        #expect(implicit.loginOptions == "AUTH=PLAIN;AUTH=LOGIN", "PLAIN or LOGIN unless one is pinned")
        let starttls = try MailAccount(host: "mail.example.com", port: 587, tls: .starttls, authMechanism: "login")
            .smtpRequest(from: "a@example.com", to: ["b@example.com"])
        #expect(starttls.url == "smtp://mail.example.com:587" && starttls.requireTLS && starttls.loginOptions == "AUTH=LOGIN")
        let v6 = try MailAccount(host: "::1", port: 2525, tls: .none, allowPlain: true).smtpRequest(from: "a@example.com", to: ["b@example.com"])
        #expect(v6.url == "smtp://[::1]:2525" && !v6.requireTLS)
    }

    @Test(arguments: [
        (MailAccount(host: "mail.example.com", port: 25, tls: .none, allowPlain: true), "only allowed to a loopback address"),
        (MailAccount(host: "127.0.0.1", port: 25, tls: .none), "needs allow-plain: true"),
        (MailAccount(host: "10.0.0.1", port: 25, tls: .none, allowPlain: true), "only allowed to a loopback address"),
        (MailAccount(host: "mail.example.com/x", port: 465, tls: .implicit), "is not a host name"),
        (MailAccount(host: "mail.example.com", port: 0, tls: .implicit), "not between 1 and 65535"),
        (MailAccount(host: "mail.example.com", port: 465, tls: .implicit, authMechanism: "CRAM-MD5"), "not supported"),
    ])
    func accountsThatMustNotBeUsedAreRefusedClearly(_ account: MailAccount, _ expected: String) throws {
        let error = try #require(throws: MailTransportError.self) { try account.smtpRequest(from: "a@example.com", to: ["b@example.com"]) }
        #expect(!error.transient)
        #expect(error.message.contains(expected), "\(error.message)")
    }

    @Test func envelopeAddressesAreChecked() throws {
        let a = MailAccount(host: "mail.example.com", port: 465, tls: .implicit)
        #expect(throws: MailTransportError.self) { try a.smtpRequest(from: "a@example.com", to: ["b@example.com>\r\nRCPT TO:<c@x"]) }
        #expect(throws: MailTransportError.self) { try a.smtpRequest(from: "a@example.com", to: []) }
        #expect(throws: MailTransportError.self) { try a.smtpRequest(from: "nobody", to: ["b@example.com"]) }
    }

    @Test func loopbackAddresses() {
        for host in ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]", "::ffff:127.0.0.1"] { #expect(MailAccount.isLoopback(host), "\(host)") }
        for host in ["128.0.0.1", "127.0.0.1.example.com", "example.com", "0.0.0.0", "::2", "1270.0.0.1"] { #expect(!MailAccount.isLoopback(host), "\(host)") }
    }

    @Test func thePasswordIsNeverPrinted() throws {
        let a = MailAccount(host: "mail.example.com", port: 587, tls: .starttls, username: "robot", password: "hunter2")
        let request = try a.smtpRequest(from: "a@example.com", to: ["b@example.com"])
        #expect(!a.description.contains("hunter2") && a.description.contains("robot"))
        #expect(!request.description.contains("hunter2") && !"\(request)".contains("hunter2"))
    }

    // MARK: Replies and their classification

    @Test func multiLineRepliesAreParsed() {
        let replies = SMTPReply.parse("220 mx ESMTP\r\n250-mx\r\n250-PIPELINING\r\n250 AUTH PLAIN LOGIN\r\n550-5.1.1 unknown\r\n550 5.1.1 user\r\n")
        #expect(replies.map(\.code) == [220, 250, 550])
        #expect(replies[1].lines == ["mx", "PIPELINING", "AUTH PLAIN LOGIN"])
        #expect(replies[2].description == "550 5.1.1 unknown / 5.1.1 user")
    }

    @Test(arguments: [
        // (libcurl code, replies, transient)
        (55, "250 ok\r\n451 4.7.1 greylisted\r\n221 bye\r\n", true),
        (55, "250 ok\r\n552 5.3.4 message too big\r\n221 bye\r\n", false),
        (67, "535 5.7.8 authentication failed\r\n", false),
        (67, "454 4.7.0 temporary authentication failure\r\n", true),
        (7, "", true),
        (28, "220 hi\r\n", true),
        (56, "250 ok\r\n354 go\r\n", true),
        (60, "", false),
        (64, "220 hi\r\n250 mx\r\n", false),
        (35, "", true),
    ])
    func failuresAreClassified(_ code: Int, _ received: String, _ transient: Bool) {
        let transcript = SMTPTranscript(replies: SMTPReply.parse(received), lastCommand: "RCPT TO:<b@example.com>", uploadedWholeMessage: true)
        let failure = transcript.failure(curlCode: code, curlMessage: "libcurl says so", account: MailAccount(host: "mx.example.com", port: 587, tls: .starttls))
        #expect(failure.transient == transient, "\(failure)")
        if let reply = transcript.decisiveReply, reply.code >= 400 { #expect(failure.serverReply == reply.description) }
        #expect(failure.description.contains("mx.example.com"))
    }
}
