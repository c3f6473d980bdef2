import Foundation
import Yams

/// A value that must never be printed: passwords, tokens. Prints as `<redacted>`.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    public let value: String
    public init(_ value: String) { self.value = value }
    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
}

/// Named accounts from `connections.yaml`:
///
/// ```yaml
/// shop-db: { type: sqlite, path: data/shop.sqlite }
/// team-hook:
///   type: webhook
///   url: https://hooks.example.com/T000/B000
///   headers: { Authorization: "Bearer ${env:TEAM_HOOK_TOKEN}" }
/// ```
///
/// `${env:NAME}` is replaced by the environment variable (`${env:NAME:-default}` when it may be
/// unset); values that used one are secrets.
public struct Connections: Sendable {
    public struct Connection: Sendable {
        public var name: String
        public var type: String
        /// Plain settings (with `${env:...}` already substituted).
        public var settings: [String: String]
        /// Nested mappings such as `headers`.
        public var maps: [String: [String: String]]
        /// Lists of plain values, such as a `recipients` connection's `addresses`.
        public var lists: [String: [String]] = [:]
        /// Keys whose value came from the environment.
        public var secretKeys: Set<String>
        /// Where the connection is written in connections.yaml.
        public var location: SourceLocation?
        /// `${env:NAME}` (without a default) its values use and the environment did not set,
        /// with where each is written: the connection cannot be used until they are.
        public var unsetVariables: [(name: String, key: String, location: SourceLocation?)] = []
        /// Secret keys (``Connections/secretKeys``) written as literals instead of `${env:NAME}`,
        /// with where each is written: `sluice validate` warns of them.
        public var literalSecrets: [(key: String, location: SourceLocation?)] = []

        public func setting(_ key: String) -> String? { settings[key] }
    }

    public var all: [String: Connection]

    /// The keys of a connection that hold secrets, whatever its type: the spec of connections.yaml's
    /// secrets (docs/manifest.md, Secrets).
    public static let secretKeys: [String: SecretField] = [
        "password": .value, "token": .value, "secret": .value, "client-secret": .value, "api-key": .value,
        "headers": .credentialHeaders, "url": .urlCredentials,
    ]

    public init(_ all: [String: Connection] = [:]) { self.all = all }

    public subscript(name: String) -> Connection? { all[name] }

    /// Reads `connections.yaml` (a missing file means no connections). Problems are
    /// returned as diagnostics, with their place.
    public static func load(path: String, relativePath: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> (Connections, Diagnostics) {
        var diagnostics = Diagnostics()
        guard let data = FileManager.default.contents(atPath: path) else { return (Connections(), diagnostics) }
        let text = String(decoding: data, as: UTF8.self)
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch let error as YamlError {
            diagnostics.append(YAMLErrorDiagnostic.make(error, source: text, path: relativePath))
            return (Connections(), diagnostics)
        } catch {
            diagnostics.error("invalid YAML in \(relativePath): \(error)", at: SourceLocation(file: relativePath, line: 1, column: 1))
            return (Connections(), diagnostics)
        }
        guard let root = node else { return (Connections(), diagnostics) }
        guard case let .mapping(m) = root else {
            diagnostics.error("connections.yaml is a mapping of names to accounts", at: SourceLocation(file: relativePath, line: 1, column: 1))
            return (Connections(), diagnostics)
        }
        var all: [String: Connection] = [:]
        for (k, v) in m {
            let name = k.string ?? ""
            guard case let .mapping(fields) = v else {
                diagnostics.error("connection '\(name)' must be a mapping with a 'type'", at: location(k.mark, file: relativePath))
                continue
            }
            var c = Connection(name: name, type: "", settings: [:], maps: [:], secretKeys: [], location: location(k.mark, file: relativePath))
            for (fk, fv) in fields {
                let key = fk.string ?? ""
                for (path, value) in Self.secretKeys[key]?.literals(in: fv) ?? [] {
                    c.literalSecrets.append((([key] + path).joined(separator: "."), location(value.mark, file: relativePath)))
                }
                switch fv {
                case let .scalar(s):
                    let (value, usedEnv, missing) = substitute(s.string, environment)
                    for miss in missing { c.unset(miss, key: key, at: location(fv.mark, file: relativePath), into: &diagnostics) }
                    c.settings[key] = value
                    if usedEnv { c.secretKeys.insert(key) }
                case let .mapping(inner):
                    var map: [String: String] = [:]
                    for (ik, iv) in inner {
                        let (value, usedEnv, missing) = substitute(iv.string ?? "", environment)
                        for miss in missing { c.unset(miss, key: key + "." + (ik.string ?? ""), at: location(iv.mark, file: relativePath), into: &diagnostics) }
                        map[ik.string ?? ""] = value
                        if usedEnv { c.secretKeys.insert(key + "." + (ik.string ?? "")) }
                    }
                    c.maps[key] = map
                case let .sequence(items) where items.allSatisfy({ $0.scalar != nil }):
                    var list: [String] = []
                    for item in items {
                        let (value, usedEnv, missing) = substitute(item.string ?? "", environment)
                        for miss in missing { c.unset(miss, key: key, at: location(item.mark, file: relativePath), into: &diagnostics) }
                        list.append(value)
                        if usedEnv { c.secretKeys.insert(key) }
                    }
                    c.lists[key] = list
                default:
                    diagnostics.error("unsupported value for '\(key)' in connection '\(name)'", at: location(fv.mark, file: relativePath))
                }
            }
            c.type = c.settings["type"] ?? ""
            if c.type.isEmpty {
                diagnostics.error("connection '\(name)' has no 'type' (sqlite, webhook)", at: location(k.mark, file: relativePath))
            }
            all[name] = c
        }
        return (Connections(all), diagnostics)
    }

    /// A warning for each secret written as a literal in connections.yaml, at its place.
    public func literalSecretWarnings() -> Diagnostics {
        var diagnostics = Diagnostics()
        for c in all.values.sorted(by: { $0.name < $1.name }) {
            for (key, location) in c.literalSecrets {
                diagnostics.append(Diagnostic(.warning, "'\(key)' of connection '\(c.name)' holds a secret written as it is; write ${env:NAME} and export NAME where sluice runs, so that the secret stays out of connections.yaml",
                                              at: location, path: c.name + "." + key))
            }
        }
        return diagnostics
    }

    /// The variables `${env:NAME}` (without a default) in `text` that `environment` does not set.
    public static func unsetVariables(in text: String, environment: [String: String]) -> [String] {
        substitute(text, environment).2
    }

    /// Replaces `${env:NAME}` (and `${env:NAME:-default}`) in a manifest value at run time.
    /// Throws naming the variable when it is not set.
    public static func environmentValue(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        let (value, _, missing) = substitute(text, environment)
        if let m = missing.first {
            throw StepError(.configuration, "environment variable '\(m)' is not set", hint: "export \(m)=... before running sluice")
        }
        return value
    }

    /// Replaces `${env:NAME}`; returns the result, whether any variable was used, and missing names.
    static func substitute(_ text: String, _ env: [String: String]) -> (String, Bool, [String]) {
        var out = ""
        var used = false
        var missing: [String] = []
        var rest = Substring(text)
        while let r = rest.range(of: "${env:") {
            out += rest[..<r.lowerBound]
            guard let close = rest[r.upperBound...].firstIndex(of: "}") else { out += rest[r.lowerBound...]; rest = ""; break }
            var name = String(rest[r.upperBound ..< close])
            var fallback: String?
            if let d = name.range(of: ":-") {
                fallback = String(name[d.upperBound...])
                name = String(name[..<d.lowerBound])
            }
            if let v = env[name], !v.isEmpty { out += v } else if let fallback { out += fallback } else { missing.append(name) }
            used = true
            rest = rest[rest.index(after: close)...]
        }
        out += rest
        return (out, used, missing)
    }
}

extension Connections.Connection {
    /// Records an unset variable and warns of it: `sluice validate` may run where the secrets
    /// are not (a laptop, CI); a run of a pipeline that uses the connection refuses to start.
    mutating func unset(_ variable: String, key: String, at location: SourceLocation?, into diagnostics: inout Diagnostics) {
        unsetVariables.append((variable, key, location))
        diagnostics.append(Diagnostic(.warning, "environment variable '\(variable)' is not set (connection '\(name)', key '\(key)'); export \(variable)=... where sluice run or sluice serve runs, or a pipeline using '\(name)' will not start",
                                      at: location, path: name + "." + key))
    }
}
