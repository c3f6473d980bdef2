import Testing
@testable import SluiceMail

@Test func aTransportErrorShowsTheServersReply() {
    let e = MailTransportError("the server refused the recipient", serverReply: "550 5.1.1 unknown user", transient: false)
    #expect(e.description == "the server refused the recipient: 550 5.1.1 unknown user")
}
