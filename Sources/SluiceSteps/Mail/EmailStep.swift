import Foundation
import Logging
import SluiceCore
import SluiceFormats
import SluiceMail

/// `email`: a message rendered from templates, sent over SMTP to each recipient in a
/// transaction of its own, each recorded in the effect ledger.
///
/// One transaction per recipient (to, cc and bcc alike) means a retry after a partial
/// success sends only to those not yet done. Every copy has the same visible headers (To,
/// Cc; never Bcc) and a Message-ID made from its effect key, so a copy sent again after a
/// lost answer carries the same id as the first.
public struct EmailStep: Step {
    public enum Priority: String, Decodable, Sendable { case high, normal, low }

    public struct Configuration: Decodable, Sendable {
        /// An smtp connection in connections.yaml; default: the only one there is.
        public var connection: String?
        /// The sender (a template); default: the connection's `from`.
        public var from: TemplateSource?
        public var to: [TemplateSource]?
        public var cc: [TemplateSource]?
        public var bcc: [TemplateSource]?
        public var replyTo: [TemplateSource]?
        public var subject: TemplateSource?
        /// `pipelines/templates/NAME.txt` and/or `NAME.html`.
        public var template: String?
        public var text: TemplateSource?
        public var html: TemplateSource?
        /// `outputs`, `inputs`, names, globs or name endings (`rejects`).
        public var attach: [String]?
        public var priority: Priority?
        /// A dataset whose first row is the message to answer (the `imap` step's columns).
        public var inReplyTo: String?
        public var timeout: DurationValue?
    }

    public static let kind = "email"
    public static let stages: Set<StageName> = [.notify]
    public static let documentation = StepDocumentation(
        summary: """
        Sends an e-mail over SMTP (TLS: implicit on 465 or STARTTLS, required, on 587) rendered from templates with \
        the run's data, to each recipient in a transaction of its own, recorded in the effect ledger: a retry or a \
        resume never sends twice to a recipient already done. Every copy has the same To and Cc headers (Bcc never \
        appears) and a Message-ID that stays the same on every attempt. A 4xx answer or a lost connection is \
        transient (retried with the pipeline's backoff); a 5xx answer fails the step with the server's words. A \
        line break in any header value (from a template or the data) is refused. In `sluice plan`, the message is \
        written to `<step>.eml` and nothing is sent.
        """,
        fields: [
            .init("connection", "name", default: "the only smtp connection", "An smtp connection in connections.yaml (host, port, tls, username, password, from, ca-file)."),
            .init("from", "template", default: "the connection's from", "The sender, `Name <address>`."),
            .init("to", "list", "Recipients: addresses, templates that render to addresses (`{{commande.items.0.email}}`), or names of recipients connections."),
            .init("cc", "list", "Copies, like `to`."),
            .init("bcc", "list", "Blind copies, like `to`: sent each its own copy, never shown in the headers."),
            .init("reply-to", "list", "Where answers should go."),
            .init("subject", "template", "The subject (required unless `in-reply-to` gives `Re: <subject>`)."),
            .init("template", "name", "pipelines/templates/NAME.txt and/or NAME.html: the text and HTML bodies (the HTML's values escaped for HTML)."),
            .init("text", "template", "The text body, inline (instead of `template`)."),
            .init("html", "template", "The HTML body, inline (with `text`, the message offers both)."),
            .init("attach", "list", "`outputs` (files the run wrote so far), `inputs`, file names, globs (`*.xlsx`), or a name's ending (`rejects` attaches `commandes_rejects.csv`). A name that matches nothing is an error."),
            .init("priority", "high, normal, low", default: "normal", "X-Priority and Importance headers."),
            .init("in-reply-to", "dataset", "Answers the message in the dataset's first row (the imap step's columns): to its reply_to (else from_address) unless `to` is given, subject `Re: <subject>` unless `subject` is given, in the same thread (In-Reply-To, References)."),
            .init("timeout", "duration", default: "the connection's, else 60s", "How long to wait for each answer of the server."),
        ],
        example: """
        - email:
            connection: mail-out
            to: [direction, "Comptabilité <compta@example.com>"]
            bcc: archives@example.com
            subject: "Rapport quotidien - {{run.date}}: {{totaux.Montant.sum}} CHF"
            template: rapport
            attach: outputs
            priority: high
        """,
        details: """
        Answering the e-mail an order came in with, its rejects attached, in the same thread (the `commande` dataset \
        comes from the imap step): `- email: { in-reply-to: commande, template: commande-rejetee, attach: rejects }` \
        with `when: lignes.rejects.rows > 0`. Connections: `mail-out: { type: smtp, host: smtp.example.com, port: 587, \
        tls: starttls, username: robot@example.com, password: "${env:SMTP_PASSWORD}", from: "Sluice <robot@example.com>" }` \
        (`tls: implicit` for 465; `ca-file` for a private CA; `auth: plain|login` to pin a mechanism; `tls: none` only \
        with `allow-plain: true` to a loopback host); a list of addresses: `direction: { type: recipients, addresses: \
        [marie@example.com, paul@example.com] }`. In `on-failure`, the step sees the datasets of the failed run's last \
        checkpoint and the rejects it published. If the connection is lost after the server received the whole \
        message and before it answered, the message is sent again on the retry, with the same Message-ID.
        """)

    let configuration: Configuration
    public init(configuration: Configuration) { self.configuration = configuration }

    public func check(_ context: inout StepCheckContext) {
        let c = configuration
        for t in [c.from, c.subject, c.text, c.html].compactMap({ $0 }) { context.check(t) }
        EmailRecipients.check(c.to, key: "to", context: &context)
        EmailRecipients.check(c.cc, key: "cc", context: &context)
        EmailRecipients.check(c.bcc, key: "bcc", context: &context)
        EmailRecipients.check(c.replyTo, key: "reply-to", context: &context)
        if c.template != nil && (c.text != nil || c.html != nil) { context.error("give 'template', or 'text' and/or 'html', not both") }
        if c.template == nil && c.text == nil && c.html == nil { context.error("give 'template' (a file in pipelines/templates/), or 'text' and/or 'html'") }
        if let t = c.template {
            if TemplateFiles.isPlainName(t) {
                context.requireTemplateFile(t, groups: TemplateFiles.bodyCandidates(t), at: ["template"])
            } else {
                context.error("'\(t)' is not a template name in pipelines/templates/", at: ["template"])
            }
        }
        context.requireConnection(c.connection, type: "smtp", at: c.connection == nil ? [] : ["connection"])
        if c.subject == nil && c.inReplyTo == nil { context.error("give 'subject' (or 'in-reply-to', which answers with 'Re: <subject>')") }
        if c.to == nil && c.cc == nil && c.bcc == nil && c.inReplyTo == nil { context.error("give 'to' (or 'cc', 'bcc', or 'in-reply-to' to answer a message)") }
        for (i, a) in (c.attach ?? []).enumerated() where a.trimmingCharacters(in: .whitespaces).isEmpty { context.error("an empty name", at: ["attach", String(i)]) }
        if let name = c.inReplyTo {
            if let schema = context.datasets[name] {
                if case .known = schema, !EmailThread.columns.contains(where: { schema.column($0) != nil }) {
                    context.error("dataset '\(name)' has none of the columns \(EmailThread.columns.joined(separator: ", ")) of an incoming message", at: ["in-reply-to"])
                }
            } else {
                context.error("unknown dataset '\(name)'\(Suggestion.didYouMean(name, among: context.datasets.keys))", at: ["in-reply-to"])
            }
        }
    }

    public func run(_ context: StepContext) throws -> StepOutput {
        var smtp = try MailServerConnection.named(configuration.connection, service: .smtp, in: context.connections, workspace: context.workspace)
        if let t = configuration.timeout { smtp.account.timeout = t.seconds }
        let message = try compose(context, sender: smtp.from)
        let envelope = try recipients(of: message, context: context)
        let subject = message.composer.subject
        if context.dryRun { return try plan(message.composer, envelope: envelope, context: context) }

        var sent = 0, already = 0
        var failures: [(String, MailTransportError)] = []
        for address in envelope {
            do {
                let outcome = try context.effects.perform(step: context.stepID, item: address.lowercased(),
                                                          description: "send the e-mail '\(subject)' to \(address)") { key in
                    try deliver(message.composer, key: key, to: address, account: smtp.account, context: context)
                }
                if case .alreadyDone = outcome { already += 1 } else { sent += 1 }
            } catch let failure as MailTransportError {
                failures.append((address, failure))
                // Without an answer from the server (connection, TLS), the others would fail the same way.
                if failure.serverReply == nil { break }
            }
        }
        if !failures.isEmpty { throw Self.error(failures, sent: sent + already, of: envelope.count) }
        return StepOutput(dataset: context.input, summary: ["sent": .integer(Int64(sent)), "already-sent": .integer(Int64(already)),
                                                           "recipients": .integer(Int64(envelope.count))])
    }

    /// The message as every recipient gets it, but for its Message-ID.
    struct Message {
        var composer: MIMEComposer
        var bcc: [MailAddress]
    }

    func compose(_ context: StepContext, sender: MailAddress?) throws -> Message {
        let c = configuration
        guard let from = try c.from.map({ try address(context.render($0), key: "from") }) ?? sender else {
            throw StepError(.configuration, "no sender: give the step a 'from', or its connection one", hint: "from: \"Sluice <robot@example.com>\"")
        }
        var thread: EmailThread?
        if let name = c.inReplyTo {
            guard let dataset = context.datasets[name] else {
                throw StepError(.configuration, "in-reply-to: no dataset '\(name)' in this run\(Suggestion.didYouMean(name, among: context.datasets.keys))")
            }
            thread = try EmailThread(dataset: dataset, name: name)
        }
        var m = MIMEComposer(from: from, messageID: "preview@" + Self.domain(of: from), date: context.now, timeZone: context.timeZone)
        m.to = try c.to.map { try EmailRecipients.resolve($0, key: "to", context: context) } ?? thread?.replyAddresses ?? []
        m.cc = try EmailRecipients.resolve(c.cc, key: "cc", context: context)
        m.replyTo = try EmailRecipients.resolve(c.replyTo, key: "reply-to", context: context)
        let bcc = try EmailRecipients.resolve(c.bcc, key: "bcc", context: context)
        m.subject = try c.subject.map { try context.render($0) } ?? thread?.replySubject ?? ""
        if let thread {
            m.inReplyTo = thread.messageID
            m.references = thread.references
            m.autoSubmitted = "auto-replied"
        }
        m.priority = MIMEComposer.Priority(rawValue: (c.priority ?? .normal).rawValue) ?? .normal
        if let name = c.template {
            let bodies = try TemplateFiles.loadBodies(name, workspace: context.workspace)
            // Partials may name any dataset: the values are not narrowed to what the file mentions.
            (m.text, m.html) = try bodies.render(context.templateValuesProvider(nil), workspace: context.workspace)
        } else {
            m.text = try c.text.map { try context.render($0) }
            m.html = try c.html.map { try context.render($0, escaping: .html) }
        }
        m.attachments = try EmailAttachments.select(c.attach ?? [], outputs: context.outputs, inputs: context.inputFiles)
            .map { MIMEComposer.Attachment(name: $0.name, path: $0.path) }
        do { try m.validate() } catch let e as MIMEComposerError {
            throw StepError(.badInput, "cannot compose the e-mail: \(e)", hint: "a value taken by a template must not hold line breaks; clean the data or pick another field")
        }
        return Message(composer: m, bcc: bcc)
    }

    /// Every envelope recipient (to, cc, bcc), each once.
    func recipients(of message: Message, context: StepContext) throws -> [String] {
        var seen: Set<String> = []
        let all = (message.composer.to + message.composer.cc + message.bcc).map(\.address).filter { seen.insert($0.lowercased()).inserted }
        guard !all.isEmpty else {
            throw StepError(.badInput, "the e-mail has no recipient: 'to', 'cc' and 'bcc' gave no address",
                            hint: configuration.inReplyTo != nil ? "the message answered has neither reply_to nor from_address" : "check the templates in 'to'")
        }
        // Checked before anything is sent, so a bad address never stops the recipients after it.
        if let bad = all.first(where: { !MailAccount.isEnvelopeAddress($0) }) {
            throw StepError(.badInput, "'\(bad)' cannot be sent to: an SMTP envelope carries ASCII addresses only, without spaces or brackets",
                            hint: "nothing was sent; correct the address")
        }
        return all
    }

    /// One copy: composed with its Message-ID to a scratch file, sent, removed.
    func deliver(_ base: MIMEComposer, key: String, to address: String, account: MailAccount, context: StepContext) throws -> String {
        var m = base
        m.messageID = key + "@" + Self.domain(of: base.from)
        let file = NSTemporaryDirectory() + "sluice-email-\(getpid())-\(UUID().uuidString).eml"
        defer { try? FileManager.default.removeItem(atPath: file) }
        do { try m.write(to: file) } catch let e as MIMEComposerError {
            throw StepError(.badInput, "cannot compose the e-mail to \(address): \(e)")
        }
        let request = try account.smtpRequest(from: base.from.address, to: [address])
        let reply = try SMTPClient.send(request, messageFile: file)
        context.resources.crashPoints.reached("after-email-accepted")
        context.logger.info("e-mail sent", metadata: ["sluice.mail.to": .string(address), "sluice.mail.id": .string(m.messageID)])
        return "<\(m.messageID)> \(reply)"
    }

    /// `sluice plan`: the message written to `<step>.eml` (with the first recipient's
    /// Message-ID), each delivery listed, nothing sent.
    func plan(_ base: MIMEComposer, envelope: [String], context: StepContext) throws -> StepOutput {
        var m = base
        m.messageID = context.effects.key(step: context.stepID, item: envelope[0]) + "@" + Self.domain(of: base.from)
        let name = context.stepID.map { $0.isLetter || $0.isNumber ? $0 : "-" }.reduce(into: "") { $0.append($1) }
            .split(separator: "-").joined(separator: "-") + ".eml"
        let path = context.outputDirectory + "/" + name
        do { try m.write(to: path) } catch let e as MIMEComposerError { throw StepError(.badInput, "cannot compose the e-mail: \(e)") }
        for address in envelope {
            _ = try context.effects.perform(step: context.stepID, item: address.lowercased(), description: "send the e-mail '\(m.subject)' to \(address)") { _ in nil }
        }
        return StepOutput(dataset: context.input, outputs: [AttachedFile(name: name, path: path)],
                          summary: ["planned": .integer(Int64(envelope.count))])
    }

    func address(_ text: String, key: String) throws -> MailAddress {
        guard let a = MailAddress.parse(text), a.isDeliverable, !text.contains(where: \.isNewline) else {
            throw StepError(.badInput, "'\(key)': '\(text)' is not an e-mail address")
        }
        return a
    }

    /// The right side of Message-IDs: the sender's domain, when it is a plain host name.
    static func domain(of from: MailAddress) -> String {
        let domain = from.address.split(separator: "@").last.map(String.init) ?? ""
        let plain = !domain.isEmpty && domain.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x2E }
        return plain ? domain.lowercased() : "sluice.local"
    }

    /// One error for the recipients that failed: transient only when every failure is.
    static func error(_ failures: [(String, MailTransportError)], sent: Int, of total: Int) -> StepError {
        let transient = failures.allSatisfy { $0.1.transient }
        let lines = failures.count == 1 ? "\(failures[0].1)" : failures.map { "\($0.0): \($0.1)" }.joined(separator: "; ")
        let done = sent > 0 ? " (sent to \(sent) of \(total) recipients; those are not sent again)" : ""
        let hint = transient
            ? "the server or the network refused for now; the run is retried with its backoff"
            : "the server's answer says why: check the address or the connection's settings, then `sluice reprocess` the run to send to the recipients not done"
        return StepError(.effectFailed, "the e-mail was not sent to \(failures.map(\.0).joined(separator: ", "))\(done): \(lines)",
                         hint: hint, transient: transient)
    }
}
