import Foundation

/// An outsourcing (BPO) company, or the in-house team, that supplies reviewers.
public struct Vendor: Codable, Sendable, Equatable, Identifiable {
    /// The vendor's identifier.
    public var id: UUID
    /// The vendor's name, unique in the workspace.
    public var name: String

    /// Makes a vendor value.
    public init(id: UUID, name: String) {
        self.id = id
        self.name = name
    }
}

/// A team inside a vendor, the unit that vendor leads staff and coach.
public struct Team: Codable, Sendable, Equatable, Identifiable {
    /// The team's identifier.
    public var id: UUID
    /// The vendor the team belongs to.
    public var vendorID: UUID
    /// The team's name, unique within its vendor.
    public var name: String

    /// Makes a team value.
    public init(id: UUID, vendorID: UUID, name: String) {
        self.id = id
        self.vendorID = vendorID
        self.name = name
    }
}

extension Team {
    enum CodingKeys: String, CodingKey {
        case id, name
        case vendorID = "vendor_id"
    }
}
