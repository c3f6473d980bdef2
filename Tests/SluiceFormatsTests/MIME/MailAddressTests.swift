import Testing
@testable import SluiceFormats

@Suite("MailAddress")
struct MailAddressTests {
    @Test func namesAnglesAndBareAddresses() {
        let list = MailAddress.parseList("Barry <barry@digicool.com>, \"Dupont, Jean\" <jean@example.com>, solo@example.com")
        #expect(list == [MailAddress(name: "Barry", address: "barry@digicool.com"),
                         MailAddress(name: "Dupont, Jean", address: "jean@example.com"),
                         MailAddress(address: "solo@example.com")])
    }

    @Test func groupsAndComments() {
        let list = MailAddress.parseList("équipe: a@example.com, b@example.com; c@example.com (Chef)")
        #expect(list.map(\.address) == ["a@example.com", "b@example.com", "c@example.com"])
        #expect(list.last?.name == "Chef")
    }

    @Test func theNullSenderKeepsItsName() {
        #expect(MailAddress.parseList("MAILER DAEMON <>") == [MailAddress(name: "MAILER DAEMON", address: "")])
        #expect(MailAddress.parseList("MAILER DAEMON <>").first?.description == "MAILER DAEMON <>")
        #expect(MailAddress.parseList("<>").isEmpty)
        #expect(MailAddress(name: "MAILER DAEMON", address: "").isDeliverable == false)
    }

    @Test func formattingQuotesWhatNeedsIt() {
        #expect(MailAddress(name: "Dupont, Jean", address: "j@x.ch").description == "\"Dupont, Jean\" <j@x.ch>")
        #expect(MailAddress(name: "Zoé Müller", address: "z@x.ch").description == "Zoé Müller <z@x.ch>")
    }

    @Test func deliverability() {
        #expect(MailAddress(address: "a@b.ch").isDeliverable)
        #expect(!MailAddress(address: "a@b.ch\r\nBcc: x@y").isDeliverable)
        #expect(!MailAddress(address: "nobody").isDeliverable)
    }

    @Test func itemsThatAreNotAddressesAreNamed() {
        #expect(MailAddress.itemsWithoutAddress("marie@example.com, paul.example.com") == ["paul.example.com"])
        #expect(MailAddress.itemsWithoutAddress("Dupont <j@x.ch>, team: a@x.ch, b@x.ch;").isEmpty)
    }
}
