import SluiceCore
import SluiceFormats

extension StepContext {
    /// The name of a file a step writes, from its template, made safe the way an e-mail
    /// attachment's name is (``AttachmentName/safe(_:index:contentType:)``): a name made from
    /// a dropped file's (`{{input.stem}}`) loses its newlines and other control characters,
    /// and characters Windows refuses become `_`.
    func outputFileName(_ template: TemplateSource) throws -> String {
        Self.safeOutputName(try renderFileName(template))
    }

    /// `name` as a safe single file name.
    static func safeOutputName(_ name: String) -> String {
        AttachmentName.safe(name, index: 0, contentType: "")
    }
}
