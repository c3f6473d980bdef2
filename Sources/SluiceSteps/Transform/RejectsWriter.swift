import Foundation
import SluiceCore
import SluiceFormats

/// The rejects file: the rejected rows as they were in the input, with an `error` column,
/// in the input's own format (xlsx for a workbook, an .xls one included, else CSV with the input's delimiter).
enum RejectsWriter {
    static func write(_ rejects: Dataset, context: StepContext, name template: TemplateSource?) throws -> AttachedFile {
        let source = rejects.properties["source"] ?? context.inputFiles.first?.name ?? "input"
        let format = ["xlsx", "xls"].contains(rejects.properties["format"] ?? "") ? "xlsx" : "csv"
        let name: String
        if let template {
            name = try context.outputFileName(template)
        } else {
            var stem = (source.split(separator: ",").first.map(String.init) ?? source)
            if let dot = stem.lastIndex(of: "."), dot != stem.startIndex { stem = String(stem[..<dot]) }
            name = StepContext.safeOutputName(stem + "_rejects." + format)
        }
        let path = context.outputDirectory + "/" + name
        if name.lowercased().hasSuffix(".xlsx") {
            try TableFiles.writeXLSX(rejects, path: path, sheet: rejects.properties["sheet"] ?? "Rejects")
        } else {
            let delimiter = rejects.properties["delimiter"].flatMap { CSVDelimiter($0) } ?? .comma
            let encoding = rejects.properties["encoding"].flatMap(CSVEncoding.init(name:)) ?? .utf8
            do {
                try TableFiles.writeCSV(rejects, path: path, options: CSVWriter.Options(delimiter: delimiter, encoding: encoding), header: true)
            } catch {
                // A character the input's encoding cannot hold (from an error message): fall back to UTF-8.
                try TableFiles.writeCSV(rejects, path: path, options: CSVWriter.Options(delimiter: delimiter, byteOrderMark: true, encoding: .utf8), header: true)
            }
        }
        return AttachedFile(name: name, path: path)
    }
}
