import Foundation
import SluiceCore
import SluiceFormats
import SluiceMail

/// `imap` (extract): a mailbox as the pipeline's input. Each new message becomes one run whose
/// input files are the message (`message.eml`) and its attachments; in the run, the step gives
/// the message itself as a one-row dataset.
public struct IMAPStep: Step, InputSource {
    public struct Configuration: Decodable, Sendable {
        public var connection: String
        public var mailbox: String?
        /// `unseen` (default), `new` (UIDs above the highest this pipeline has claimed) or `all`.
        public var select: String?
        public var from: String?
        public var to: String?
        public var subject: String?
        /// A date (`2026-11-01`) or a duration back from now (`7d`).
        public var since: String?
        /// Globs on attachment names or content types; messages with none are left alone.
        public var attachments: [String]?
        public var processed: String?
        public var failed: String?
        public var flagFailed: Bool?
        public var batch: Int?
        public var maxMessages: Int?
        public var poll: DurationValue?
    }

    public static let kind = "imap"
    public static let stages: Set<StageName> = [.extract]
    public static let documentation = StepDocumentation(
        summary: """
        Fetches messages from a mailbox (IMAPS or STARTTLS; see the connections file). Each new message becomes one \
        run: its input files are `message.eml` (the whole message, kept in the archive) and its attachments, stored \
        under safe names (the original names are kept as metadata). Messages are fetched without being marked \
        seen; a message is marked `\\Seen` only once its run is recorded on disk. The ledger keeps each message's \
        account, mailbox, UIDVALIDITY, UID and Message-ID, so a message is processed once, also after the server \
        renumbers the mailbox or delivers the same message again. In the run, the step gives the message as one \
        row: account, mailbox, uid, message_id, date, from, from_address, from_name, to, cc, reply_to, subject, \
        in_reply_to, references, text, html, attachments.
        """,
        fields: [
            .init("connection", "name", required: true, "An account of type imap in connections.yaml."),
            .init("mailbox", "name", default: "INBOX", "The mailbox to read (any language: `Commandes reçues`)."),
            .init("select", "unseen | new | all", default: "unseen", "Which messages: unread ones, those above the highest UID this pipeline has claimed, or every one."),
            .init("from", "text or /regex/", "Only messages whose sender contains this text (case-insensitive) or matches the regex."),
            .init("to", "text or /regex/", "Only messages whose To or Cc contains or matches this."),
            .init("subject", "text or /regex/", "Only messages whose subject contains or matches this."),
            .init("since", "date or duration", example: "7d", "Only messages received on or after this date (`2026-11-01`), or within this long (`7d`)."),
            .init("attachments", "list of globs", example: "[\"*.xlsx\", \"*.csv\"]", "Only these attachments become inputs (`*.xlsx`, `application/pdf`); a message with none of them is left alone."),
            .init("processed", "mailbox", "Move a message here once its run succeeded (created if missing)."),
            .init("failed", "mailbox", "Move a message here when its run failed."),
            .init("flag-failed", "bool", default: "true", "Flag (\\Flagged) a message whose run failed."),
            .init("batch", "number", default: "50", "Messages fetched per request."),
            .init("max-messages", "number", default: "200", "Messages claimed per look; the rest wait for the next one."),
            .init("poll", "duration", default: "1m", "How often `sluice serve` looks at the mailbox."),
        ],
        example: """
        - imap:
            connection: orders-mail
            mailbox: INBOX
            subject: /^(Commande|Order)/
            attachments: ["*.xlsx"]
            processed: Traité
            failed: Erreurs
          as: message
        """,
        details: """
        Messages the filters leave out stay unread in the mailbox and are not fetched again (until the filters \
        change). A message that arrived without its closing MIME boundary fails its run with the reason; the \
        incomplete attachment is never passed on.
        """)

    static let messageFile = "message.eml"
    static let schema: [Column] = ["account", "mailbox", "uid", "message_id", "date", "from", "from_address", "from_name", "to", "cc",
                                    "reply_to", "subject", "in_reply_to", "references", "text", "html", "attachments"].map {
        Column($0, $0 == "uid" || $0 == "attachments" ? .integer : $0 == "date" ? .datetime : .string)
    }

    let configuration: Configuration
    public init(configuration: Configuration) { self.configuration = configuration }

    public var pollInterval: TimeInterval { configuration.poll.map { Double($0.milliseconds) / 1000 } ?? 60 }
    var mailbox: String { configuration.mailbox ?? "INBOX" }
    var batch: Int { max(1, configuration.batch ?? 50) }
    var maxMessages: Int { max(1, configuration.maxMessages ?? 200) }

    public func check(_ context: inout StepCheckContext) {
        if let s = configuration.select, !["unseen", "new", "all"].contains(s) {
            context.error("select is unseen, new or all, not '\(s)'", at: ["select"])
        }
        for (key, value) in [("from", configuration.from), ("to", configuration.to), ("subject", configuration.subject)] {
            if let v = value, case .failure(let e) = MessageFilter.Match.parse(v) { context.error("\(key): \(e)", at: [key]) }
        }
        if let s = configuration.since, MessageFilter.sinceDate(s, now: Date()) == nil {
            context.error("since is a date (2026-11-01) or a duration (7d), not '\(s)'", at: ["since"])
        }
        if let b = configuration.batch, b < 1 { context.error("batch is at least 1", at: ["batch"]) }
        context.requireConnection(configuration.connection, type: "imap", at: ["connection"])
        if let m = configuration.maxMessages, m < 1 { context.error("max-messages is at least 1", at: ["max-messages"]) }
        context.output = .known(Self.schema)
    }

    /// In the run: the message as one row.
    public func run(_ context: StepContext) throws -> StepOutput {
        guard let file = context.inputFiles.first(where: { $0.name == Self.messageFile }) else {
            throw StepError(.badInput, "this run has no \(Self.messageFile): the imap step reads runs created from a mailbox",
                            hint: "drop files into the inbox of another pipeline, or let sluice fetch the mail")
        }
        let message: MIMEMessage
        do { message = try MIMEStreamParser.parse(file: file.path, store: nil) } catch {
            throw StepError(.badInput, "cannot read the message: \(error)", file: file.name)
        }
        if message.truncated {
            let partial = message.attachments.filter { !$0.complete }.map { "'\($0.originalName ?? $0.safeName)'" }
            throw StepError(.badInput, "the message ends before its closing MIME boundary (truncated)"
                            + (partial.isEmpty ? "" : "; the incomplete attachment \(partial.joined(separator: ", ")) was not passed on"),
                            file: file.name, hint: "ask the sender to send the message again")
        }
        let p = context.run.parameters
        let from = message.from.first
        func addresses(_ list: [MailAddress]) -> Value { .string(list.map(\.description).joined(separator: ", ")) }
        let values: [Value] = [
            .string(p["imap.account"] ?? ""), .string(p["imap.mailbox"] ?? ""), .integer(Int64(p["imap.uid"] ?? "") ?? 0),
            message.messageID.map(Value.string) ?? .null,
            message.date.map { .datetime(context.timeZone.localDateTime($0)) } ?? .null,
            addresses(message.from), .string(from?.address ?? ""), .string(from?.name ?? ""),
            addresses(message.to), addresses(message.cc), .string((message.replyTo.first ?? from)?.address ?? ""),
            .string(message.subject ?? ""), message.inReplyTo.map(Value.string) ?? .null,
            .string(message.references.joined(separator: " ")),
            .string(message.textBody ?? ""), .string(message.htmlBody ?? ""), .integer(Int64(message.attachments.count)),
        ]
        let dataset = Dataset(columns: Self.schema, rows: [values])
        return StepOutput(dataset: dataset, summary: ["message": .string(message.messageID ?? ""), "attachments": .integer(Int64(message.attachments.count))])
    }

}
