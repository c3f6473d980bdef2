import Foundation
import Testing
import SluiceFormats

/// Every message of the shared corpus, read by us and by Python's `email` package
/// (`policy=default`): subject, sender and each attachment's name, type, size and SHA-256
/// must agree, except for the deliberate differences listed here.
///
/// `from` is compared as display text the way Python formats it (see `pythonStyle`): the
/// decoded display name, quoted when it holds an RFC 5322 special, then `<address>`.
@Suite("MIME differential (Python email)")
struct MIMEDifferentialTests {
    /// Where we differ from Python on purpose: `fixture/field` → why.
    static let deliberateDifferences: [String: String] = [
        "cpython__msg_06/from":
            "`addr (Barry A. Warsaw)`: we keep the comment as display name (MailAddress convention); Python drops comments",
        "mikel__attachment_with_base64_encoded_name/attachments[0].filename":
            "bare `filename==?utf-8?B?...?=`: we decode the encoded word (as Thunderbird and mikel/mail do); Python finds no name",
        "mikel__attachment_with_unquoted_name/attachments[0].filename":
            "bare `filename=This is a test.txt`: we read to the `;` (as mikel/mail does); Python stops at the first space",
    ]

    static let names = MIMEFixtures.names(in: MIMEFixtures.directory).map { $0 } +
        MIMEFixtures.names(in: MIMEFixtures.adversarialDirectory).map { "adversarial/" + $0 }

    /// Every compared field where we and Python disagree, listed or not: `fixture/field` → both values.
    static func differences(_ name: String) throws -> [String: String] {
        let url = MIMEFixtures.directory.appendingPathComponent(name + ".eml")
        let expected = try MIMEFixtures.expected(name)
        let store = RecordingStore()
        let message = try MIMEStreamParser.parse(file: url.path, limits: name.contains("many_parts") ? Self.manyParts : MIMELimits(), store: store)
        var found: [String: String] = [:]
        func check(_ field: String, _ ours: String?, _ theirs: String?) {
            if ours != theirs { found["\(name)/\(field)"] = "ours \(ours.debugDescription) python \(theirs.debugDescription)" }
        }
        check("subject", message.subject, expected.subject)
        check("from", message.from.isEmpty ? nil : pythonStyle(message.from), expected.from)
        check("attachments.count", "\(message.attachments.count)", "\(expected.attachments_total ?? expected.attachments.count)")
        for (i, e) in expected.attachments.enumerated() where i < message.attachments.count {
            let a = message.attachments[i]
            check("attachments[\(i)].filename", a.originalName, e.filename)
            check("attachments[\(i)].content_type", a.contentType, e.content_type)
            check("attachments[\(i)].size", "\(a.size)", "\(e.size)")
            check("attachments[\(i)].sha256", store.outputs[i].sha256, e.sha256)
            check("attachments[\(i)].depth", "\(a.depth)", "\(e.depth)")
        }
        return found
    }

    @Test(arguments: names)
    func agreesWithPython(_ name: String) throws {
        let unlisted = try Self.differences(name).filter { Self.deliberateDifferences[$0.key] == nil }
        #expect(unlisted.isEmpty, "\(unlisted.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "\n"))")
    }

    /// The list stays honest: each entry is a difference that really occurs.
    @Test func everyListedDifferenceOccurs() throws {
        var all: [String: String] = [:]
        for name in Self.names { all.merge(try Self.differences(name)) { a, _ in a } }
        for key in Self.deliberateDifferences.keys.sorted() {
            #expect(all[key] != nil, "\(key) is listed but ours and Python's agree")
        }
    }

    /// The 10,000-part fixture is compared whole, with the part limit lifted.
    static let manyParts: MIMELimits = {
        var l = MIMELimits()
        l.maxParts = 20_000
        return l
    }()
}
