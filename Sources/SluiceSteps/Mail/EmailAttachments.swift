import Foundation
import SluiceCore

/// `attach`: which of the run's files go with an e-mail. Each entry is `outputs` (every
/// file the run wrote so far), `inputs` (every input file), a file name, a glob
/// (`*.xlsx`), or a word that ends a file's name before its extension (`rejects` picks
/// `commandes_rejects.csv`). Outputs are looked at before inputs; each file goes once.
enum EmailAttachments {
    static func select(_ entries: [String], outputs: [AttachedFile], inputs: [AttachedFile]) throws -> [AttachedFile] {
        var chosen: [AttachedFile] = []
        func add(_ files: [AttachedFile]) {
            for f in files where !chosen.contains(where: { $0.path == f.path }) { chosen.append(f) }
        }
        for entry in entries {
            switch entry {
            case "outputs": add(outputs)
            case "inputs": add(inputs)
            default:
                let found = (outputs + inputs).filter { matches(entry, $0.name) }
                guard !found.isEmpty else {
                    let names = (outputs.map(\.name) + inputs.map(\.name))
                    throw StepError(.configuration, "attach: '\(entry)' matches none of the run's files\(names.isEmpty ? " (it has none)" : " (\(names.joined(separator: ", ")))")",
                                    hint: "to send only when the file exists, add a condition such as `when: commandes.rejects.rows > 0`")
                }
                add(found)
            }
        }
        for f in chosen {
            let type = (try? FileManager.default.attributesOfItem(atPath: f.path))?[.type] as? FileAttributeType
            guard type == .typeRegular else {
                throw StepError(.configuration, "attach: '\(f.name)' is not a regular file (\(type.map { "\($0.rawValue)" } ?? "missing")), so it is not attached",
                                hint: "attach files the run wrote or read, not links or devices")
            }
        }
        return chosen
    }

    /// A name, a glob, or a word that ends the name's stem (`_rejects` in `x_rejects.csv`).
    static func matches(_ entry: String, _ name: String) -> Bool {
        if entry == name { return true }
        if entry.contains(where: { "*?[".contains($0) }) { return fnmatch(entry, name, 0) == 0 }
        guard !entry.contains(".") else { return false }
        let stem = name.lastIndex(of: ".").map { String(name[..<$0]) } ?? name
        return stem == entry || stem.hasSuffix("_" + entry) || stem.hasSuffix("-" + entry)
    }
}
