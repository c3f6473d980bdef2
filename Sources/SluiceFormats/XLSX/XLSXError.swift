import SluiceErrors

extension FormatError {
    /// What to do, when the message does not say it already: re-saving in Excel or LibreOffice
    /// repairs a damaged file. Nil where that advice makes no sense (a file that is no workbook,
    /// a password, a file cut short, a limit, a missing sheet: their messages say what to do).
    public var suggestion: String? {
        switch code {
        case .corrupt, .malformedXML, .missingPart, .invalidCell, .unsupported, .unsafeContent:
            return message.contains("save") ? nil : "open the file in Excel or LibreOffice and save it again as .xlsx"
        default:
            return nil
        }
    }

    /// Wraps a zip or XML error met while reading `part`.
    static func wrapping(_ error: any Error, part: String?, cell: String? = nil, fileID: String = #fileID, sourceLine: Int = #line) -> FormatError {
        if var error = error as? FormatError {
            error.place.part = error.place.part ?? part
            error.place.cell = error.place.cell ?? cell
            return error
        }
        if let zip = error as? ZipError {
            let code: Code
            switch zip.code {
            case .notAZip: code = .notSpreadsheet
            case .truncated: code = .truncated
            case .limitExceeded: code = .limitExceeded
            case .unsupported: code = .unsupported
            case .io: code = .io
            case .missingEntry: code = .missingPart
            default: code = .corrupt
            }
            return FormatError(code, zip.message, part: part ?? zip.entry, cell: cell, cause: zip, fileID: fileID, sourceLine: sourceLine)
        }
        if let xml = error as? XMLError {
            let code: Code
            switch xml.code {
            case .doctypeRefused: code = .unsafeContent
            case .depthExceeded, .tokenTooLarge: code = .limitExceeded
            case .truncated: code = .truncated
            case .unsupportedEncoding: code = .unsupported
            default: code = .malformedXML
            }
            return FormatError(code, "\(xml.message) at byte \(xml.offset)", part: part, cell: cell, cause: xml, fileID: fileID, sourceLine: sourceLine)
        }
        return FormatError(.io, "\(error)", part: part, cell: cell, fileID: fileID, sourceLine: sourceLine)
    }
}
