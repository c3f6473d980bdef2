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

    @Test(arguments: names)
    func agreesWithPython(_ name: String) throws {
        let url = MIMEFixtures.directory.appendingPathComponent(name + ".eml")
        let expected = try MIMEFixtures.expected(name)
        let store = RecordingStore()
        let message = try MIMEStreamParser.parse(file: url.path, limits: name.contains("many_parts") ? Self.manyParts : MIMELimits(), store: store)
        var mismatches: [String] = []
        func check(_ field: String, _ ours: String?, _ theirs: String?) {
            let key = "\(name)/\(field)"
            if ours != theirs && Self.deliberateDifferences[key] == nil {
                mismatches.append("\(key): ours \(ours.debugDescription) python \(theirs.debugDescription)")
            }
        }
        check("subject", message.subject, expected.subject)
        check("from", message.from.isEmpty ? nil : pythonStyle(message.from), expected.from)
        check("attachments.count", "\(message.attachments.count)", "\(expected.attachments_total ?? expected.attachments.count)")
        for (i, e) in expected.attachments.enumerated() where i < message.attachments.count {
            let a = message.attachments[i]
            let output = store.outputs[i]
            check("attachments[\(i)].filename", a.originalName, e.filename)
            check("attachments[\(i)].content_type", a.contentType, e.content_type)
            check("attachments[\(i)].size", "\(a.size)", "\(e.size)")
            check("attachments[\(i)].sha256", output.sha256, e.sha256)
            check("attachments[\(i)].depth", "\(a.depth)", "\(e.depth)")
        }
        #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
    }

    /// The 10,000-part fixture is compared whole, with the part limit lifted.
    static let manyParts: MIMELimits = {
        var l = MIMELimits()
        l.maxParts = 20_000
        return l
    }()
}
