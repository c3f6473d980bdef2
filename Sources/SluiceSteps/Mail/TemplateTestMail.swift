import Foundation
import SluiceCore
import SluiceFormats
import SluiceMail

/// `sluice template send-test NAME --to ADDRESS`: one message with a template's text and
/// HTML, subject `Test: NAME`, sent through an smtp connection. Not an effect of any run:
/// nothing is recorded, and every call sends.
public enum TemplateTestMail {
    /// Sends it; returns the server's answer. Errors are `StepError`s that say what to fix.
    public static func send(template name: String, to recipient: String, connection: String?, values: TemplateValue,
                            workspace: Workspace, connections: Connections, now: Date = Date()) throws -> String {
        let smtp = try MailServerConnection.named(connection, service: .smtp, in: connections, workspace: workspace)
        guard let from = smtp.from else {
            throw StepError(.configuration, "connection '\(smtp.name)' in connections.yaml has no 'from'", hint: "add from: \"Name <address>\"")
        }
        guard let to = MailAddress.parse(recipient), to.isDeliverable else {
            throw StepError(.configuration, "'\(recipient)' is not an e-mail address")
        }
        let bodies = try TemplateFiles.loadBodies(name, workspace: workspace)
        var m = MIMEComposer(from: from, messageID: "sluice-test-\(UUID().uuidString.lowercased())@" + EmailStep.domain(of: from), date: now)
        m.to = [to]
        m.subject = "Test: \(name)"
        (m.text, m.html) = try bodies.render(values, workspace: workspace)
        let file = NSTemporaryDirectory() + "sluice-test-mail-\(getpid())-\(UUID().uuidString).eml"
        defer { try? FileManager.default.removeItem(atPath: file) }
        do { try m.write(to: file) } catch let e as MIMEComposerError {
            throw StepError(.badInput, "cannot compose the test e-mail: \(e)")
        }
        do {
            let reply = try SMTPClient.send(try smtp.account.smtpRequest(from: from.address, to: [to.address]), messageFile: file)
            return "<\(m.messageID)> \(reply)"
        } catch let e as MailTransportError {
            throw StepError(.effectFailed, "the test e-mail was not sent to \(to.address): \(e)", transient: e.transient)
        }
    }
}
