import Foundation

/// Column names in one Unicode form, NFC, wherever they come from.
///
/// A header typed on a Mac often arrives decomposed (`Quantite` + U+0301), one typed on
/// Windows or in a manifest precomposed (`Quantité`). Swift compares both as equal, but
/// SQLite, file formats and other programs compare bytes: so every `Column` holds its name
/// in NFC (see `Column.init`), the manifest's names are read in NFC (`ManifestDecoder`), and
/// every table, header and output agrees.
public enum ColumnName {
    /// `name` in Unicode NFC; ASCII names are returned as they are, at no cost.
    public static func normalized(_ name: String) -> String {
        if name.utf8.allSatisfy({ $0 < 0x80 }) { return name }
        return name.precomposedStringWithCanonicalMapping
    }
}

extension Column {
    /// Whether this column is the one `name` names: the one place column names are compared.
    public func isNamed(_ name: String) -> Bool { self.name == name }
}
