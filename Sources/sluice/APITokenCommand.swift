import ArgumentParser
import Foundation
import SluiceCore
import SluiceServer
import SluiceStore

struct APITokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api-token",
        abstract: "Make, list and revoke the tokens of the HTTP API of sluice serve.",
        discussion: """
        Scopes: read (every GET), trigger (start runs, nothing else: the secret to hand to another system), \
        admin (everything, including pause, resume, reload, retry and cancel). A token is printed once, when it \
        is made; the ledger keeps only its SHA-256.
        """,
        subcommands: [Create.self, List.self, Revoke.self])

    /// The workspace's ledger, made when the workspace has none yet.
    static func ledger(_ options: WorkspaceOptions) throws -> SQLiteLedger {
        let ws = try options.existingWorkspace()
        try FileOperations.createDirectory(ws.internalDirectory)
        return try SQLiteLedger(path: ws.ledgerPath)
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a token and print it (once: only its SHA-256 is kept).")

        @OptionGroup var options: WorkspaceOptions

        @Option(help: "What it may do: read, trigger or admin.")
        var scope: String

        @Option(help: "A name to recognise it by in `sluice api-token list`.")
        var name: String?

        @Flag(help: "Print the token and its record as JSON.")
        var json = false

        func validate() throws {
            guard APIScope(rawValue: scope) != nil else { throw ValidationError("--scope is read, trigger or admin, not '\(scope)'") }
        }

        func run() throws {
            let ledger = try APITokenCommand.ledger(options)
            let (secret, record) = APITokenSecret.make(scope: APIScope(rawValue: scope)!, name: name, at: clockFromEnvironment().now())
            try ledger.insertToken(record)
            if json {
                struct Made: Encodable { var id: String; var name: String?; var scope: String; var token: String }
                return try printJSON(Made(id: record.id, name: record.name, scope: record.scope.rawValue, token: secret))
            }
            print(secret)
            printDiagnostic("\(record.id) (\(record.scope.rawValue)\(name.map { ", \($0)" } ?? "")): copy the token now, it is not shown again")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the tokens (never the tokens themselves).")

        @OptionGroup var options: WorkspaceOptions

        @Flag(help: "Print JSON.")
        var json = false

        func run() throws {
            let tokens = try APITokenCommand.ledger(options).tokens()
            if json {
                struct Row: Encodable { var id: String; var name: String?; var scope: String; var createdAt: Date; var revokedAt: Date? }
                return try printJSON(tokens.map { Row(id: $0.id, name: $0.name, scope: $0.scope.rawValue, createdAt: $0.createdAt, revokedAt: $0.revokedAt) })
            }
            if tokens.isEmpty { print("no API tokens; `sluice api-token create --scope read` makes one") }
            let iso = ISO8601DateFormatter()
            for t in tokens {
                let state = t.revokedAt.map { "revoked \(iso.string(from: $0))" } ?? "active"
                print("\(t.id)  \(t.scope.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0))  \(state)  created \(iso.string(from: t.createdAt))\(t.name.map { "  \($0)" } ?? "")")
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token: the API refuses it from now on.")

        @OptionGroup var options: WorkspaceOptions

        @Argument(help: "The token's id (tok_…), as `sluice api-token list` shows it.")
        var id: String

        func run() throws {
            let ledger = try APITokenCommand.ledger(options)
            guard try ledger.revokeToken(id: id, at: clockFromEnvironment().now()) else {
                throw CommandFailure("no active token '\(id)'; `sluice api-token list` lists them")
            }
            print("\(id) is revoked")
        }
    }
}
