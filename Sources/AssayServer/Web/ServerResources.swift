import Foundation

/// The folder of the server's shipped resources (`Sources/AssayServer/Resources`: the OpenAPI document, page
/// templates, style sheet and scripts) inside the built bundle.
///
/// Found through the OpenAPI document rather than `Bundle.resourceURL`, which Foundation on Linux points at a
/// bundle's own `Resources` subfolder and on macOS at the bundle itself.
enum ServerResources {
    static let folder: URL = {
        if let document = Bundle.module.url(forResource: "openapi", withExtension: "yaml", subdirectory: "Resources")
            ?? Bundle.module.url(forResource: "openapi", withExtension: "yaml")
        {
            return document.deletingLastPathComponent()
        }
        return Bundle.module.bundleURL.appendingPathComponent("Resources")
    }()

    /// Throws unless the document, the templates and the assets are in ``folder``: a server without them would
    /// answer every page with an error and `/openapi.yaml` with nothing, so it does not start.
    ///
    /// SwiftPM's bundle is the folder `assay_AssayServer.resources` beside the binary, or else the one in the build
    /// folder the binary was built in: a binary copied elsewhere needs its folder copied with it.
    static func requirePresent() throws {
        for file in ["openapi.yaml", "Views/layout.leaf", "Public/assay.css"]
        where !FileManager.default.fileExists(atPath: folder.appendingPathComponent(file).path) {
            throw MissingResources(folder: folder.path, file: file)
        }
    }

    struct MissingResources: Error, CustomStringConvertible {
        let folder: String
        let file: String

        var description: String {
            "the server's pages and OpenAPI document are not where it reads them (\(file) is missing in \(folder)); "
                + "keep the folder assay_AssayServer.resources beside the assay binary, as swift build leaves it"
        }
    }
}
