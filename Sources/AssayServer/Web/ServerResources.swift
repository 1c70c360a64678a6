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
}
