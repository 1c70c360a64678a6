import Foundation
import Testing

@testable import AssayStore

@Suite("UUID text without Foundation's formatter")
struct UUIDTextTests {
    @Test("writes what uuidString writes and reads what UUID(uuidString:) reads")
    func matchesFoundation() {
        for _ in 0..<2_000 {
            let id = UUID()
            #expect(id.canonicalText == id.uuidString)
            #expect(UUID(canonicalText: id.uuidString) == id)
            #expect(UUID(canonicalText: id.uuidString.lowercased()) == id)
        }
    }

    @Test("refuses what is not 8-4-4-4-12 hexadecimal", arguments: [
        "", "not-a-uuid", "E621E1F8-C36C-495A-93FC-0C247A3E6E5", "E621E1F8-C36C-495A-93FC-0C247A3E6E5FF",
        "E621E1F8C36C-495A-93FC-0C247A3E6E5F0", "G621E1F8-C36C-495A-93FC-0C247A3E6E5F", "E621E1F8-C36C-495A-93FC_0C247A3E6E5F",
        "E621E1F8-C36C-495A-93FC-0C247A3E6É5F",
    ])
    func refusesMalformed(text: String) {
        #expect(UUID(canonicalText: text) == nil)
        #expect(UUID(uuidString: text) == nil, "Foundation agrees")
    }
}
