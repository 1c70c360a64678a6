import AssayCore
import AssayTesting
import Foundation
import NIOHTTP1
import Testing
import Vapor

/// The served OpenAPI document describes exactly the routes the server registers.
@Suite("OpenAPI document")
struct OpenAPIDocumentTests {
    @Test("every route is documented and every documented operation exists")
    func matchesRoutes() async throws {
        try await LiveServer.with(.sqlite) { server in
            let reply = try await server.request(.GET, "/openapi.yaml", token: .some(nil))
            #expect(reply.status == .ok && reply.headers.first(name: "Content-Type") == "application/yaml")
            // A browser following the pages' "API reference" link is shown the document, not handed a download.
            let browsed = try await server.request(.GET, "/openapi.yaml", token: .some(nil), headers: ["Accept": "text/html,*/*"])
            #expect(browsed.headers.first(name: "Content-Type") == "text/plain; charset=utf-8" && browsed.text == reply.text)
            // curl and generators accept */*: they get the YAML (a wildcard is not a request for HTML).
            let curled = try await server.request(.GET, "/openapi.yaml", token: .some(nil), headers: ["Accept": "*/*"])
            #expect(curled.headers.first(name: "Content-Type") == "application/yaml")
            let documented = Set(Self.operations(in: reply.text))
            let registered = Set(server.app.routes.all.map { route -> String in
                let path = route.path.map { component -> String in
                    switch component {
                    case .constant(let text): return text
                    case .parameter(let name): return "{\(name)}"
                    default: return "\(component)"
                    }
                }.joined(separator: "/")
                return "\(route.method.rawValue) /\(path)"
            })
            #expect(documented.subtracting(registered).isEmpty, "documented but not served: \(documented.subtracting(registered))")
            #expect(registered.subtracting(documented).isEmpty, "served but not documented: \(registered.subtracting(documented))")
            #expect(registered.count > 15)
            // The document states the version `assay --version` prints.
            #expect(reply.text.contains("\n  version: \(AssayVersion.current)\n"))
        }
    }

    /// "METHOD /path" for each operation, read from the YAML's `paths:` block by indentation.
    static func operations(in yaml: String) -> [String] {
        var operations: [String] = []
        var inPaths = false
        var currentPath: String?
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("paths:") { inPaths = true; continue }
            if inPaths, let first = line.first, !first.isWhitespace, first != "#" { inPaths = false }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":") {
                currentPath = String(line.dropFirst(2).dropLast()).trimmingCharacters(in: CharacterSet(charactersIn: "'\""))
            } else if let path = currentPath, line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":") {
                let method = line.trimmingCharacters(in: .whitespaces).dropLast().uppercased()
                if ["GET", "POST", "PUT", "PATCH", "DELETE"].contains(method) { operations.append("\(method) \(path)") }
            }
        }
        return operations
    }
}
