/// Which Assay this is: printed by `assay --version` and stated in the OpenAPI document's `info.version`
/// (a test keeps the two equal), so a bug report can say which build it is about.
///
/// ```swift
/// print("Assay \(AssayVersion.current)")   // Assay 0.2.0
/// ```
public enum AssayVersion {
    /// The release this source tree builds, as semantic version text.
    public static let current = "0.2.0"
}
