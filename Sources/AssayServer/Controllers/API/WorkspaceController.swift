import AssayCore
import AssayStore
import Vapor

/// People, vendors, teams and tokens: `/api/v1/people`, `/api/v1/vendors`, `/api/v1/me`.
struct WorkspaceController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("me", use: me)
        let people = routes.grouped("people")
        people.post(use: createPerson)
        people.get(use: listPeople)
        people.post(":personID", "tokens", use: issueToken)
        people.delete(":personID", "tokens", use: revokeTokens)
        people.put(":personID", "status", use: setStatus)
        let vendors = routes.grouped("vendors")
        vendors.post(use: createVendor)
        vendors.get(use: listVendors)
        vendors.post(":vendorID", "teams", use: createTeam)
        vendors.get(":vendorID", "teams", use: listTeams)
    }

    @Sendable func me(req: Request) async throws -> JSONBody<Person> {
        JSONBody(try req.actor().person)
    }

    @Sendable func createPerson(req: Request) async throws -> Response {
        let actor = try req.actor()
        try Policy.requireCanManageWorkspace(actor)
        let draft = try req.jsonBody(PersonDraft.self)
        let (person, token) = try await req.store.createPersonWithToken(draft, by: actor.person, now: req.now)
        return try await CreatedPersonResponse(person: person, token: token.value).encodeResponse(status: .created, for: req)
    }

    @Sendable func listPeople(req: Request) async throws -> Page<Person> {
        let actor = try req.actor()
        try Policy.requireCanListPeople(actor)
        let limit = try Paging.limit(req)
        let scope = try req.query.get(UUID?.self, at: "vendor_id")
        if let scope { try Policy.requireCanSeeVendor(actor, scope) }
        guard actor.role != .vendorLead || actor.person.vendorID != nil else {
            throw AssayError.forbidden("a vendor lead without a vendor sees nobody")
        }
        let vendor = actor.role == .vendorLead ? actor.person.vendorID : scope
        let people = try await req.store.people(ofVendor: vendor, after: req.query[String.self, at: "after"], limit: limit)
        return Page(data: people, next: people.count == limit ? people.last?.externalID : nil)
    }

    @Sendable func issueToken(req: Request) async throws -> Response {
        let actor = try req.actor()
        try Policy.requireCanManageWorkspace(actor)
        let personID = try req.parameters.id("personID", as: UUID.self)
        let token = try await req.store.issueToken(for: personID, by: actor.person, now: req.now)
        return try await TokenResponse(token: token.value).encodeResponse(status: .created, for: req)
    }

    /// Revokes every token of a person (a lost laptop, a leaked token) and ends their web sessions: at once on this
    /// server, within 5 s on others over the same database.
    @Sendable func revokeTokens(req: Request) async throws -> HTTPStatus {
        let actor = try req.actor()
        try Policy.requireCanManageWorkspace(actor)
        let personID = try req.parameters.id("personID", as: UUID.self)
        try await req.store.revokeTokens(of: personID, by: actor.person, now: req.now)
        req.application.tokenCache.forget(personID)
        return .noContent
    }

    /// Sets whether a person may take work: `active`, `in_training` or `suspended`.
    @Sendable func setStatus(req: Request) async throws -> JSONBody<Person> {
        let actor = try req.actor()
        try Policy.requireCanManageStatus(actor)
        let personID = try req.parameters.id("personID", as: UUID.self)
        let status = try req.jsonBody(StatusRequest.self).status
        try await req.store.setStatus(status, of: personID, by: actor.person, now: req.now)
        req.application.tokenCache.forget(personID)
        return JSONBody(try await req.store.person(personID))
    }

    @Sendable func createVendor(req: Request) async throws -> Response {
        let actor = try req.actor()
        try Policy.requireCanManageWorkspace(actor)
        let vendor = try await req.store.createVendor(
            named: try req.jsonBody(NameRequest.self).name, by: actor.person, now: req.now)
        return try await JSONBody(vendor).encodeResponse(status: .created, for: req)
    }

    /// Every vendor; a vendor lead sees only their own.
    @Sendable func listVendors(req: Request) async throws -> JSONBody<[Vendor]> {
        let actor = try req.actor()
        try Policy.requireCanListPeople(actor)
        let vendors = try await req.store.vendors()
        return JSONBody(actor.role == .vendorLead ? vendors.filter { $0.id == actor.person.vendorID } : vendors)
    }

    @Sendable func createTeam(req: Request) async throws -> Response {
        let actor = try req.actor()
        try Policy.requireCanManageWorkspace(actor)
        let vendorID = try req.parameters.id("vendorID", as: UUID.self)
        let name = try req.jsonBody(NameRequest.self).name
        let team = try await req.store.createTeam(named: name, in: vendorID, by: actor.person, now: req.now)
        return try await JSONBody(team).encodeResponse(status: .created, for: req)
    }

    @Sendable func listTeams(req: Request) async throws -> JSONBody<[Team]> {
        let vendorID = try req.parameters.id("vendorID", as: UUID.self)
        try Policy.requireCanSeeVendor(try req.actor(), vendorID)
        return JSONBody(try await req.store.teams(of: vendorID))
    }
}

/// Page sizes for keyset-paged lists.
enum Paging {
    /// Offset paging's names, which these lists do not take. Refused rather than ignored: a client paging with them
    /// would be given the first page again and again.
    static let offsetNames = ["cursor", "offset", "page", "page_size", "per_page", "skip", "start"]

    /// `?limit=` between 1 and 1000, 100 by default.
    ///
    /// - Throws: ``AssayError/invalidInput(field:line:reason:)`` for a bad limit, or for an offset paging parameter.
    static func limit(_ req: Request) throws -> Int {
        if let name = offsetNames.first(where: { req.query[String.self, at: $0] != nil }) {
            throw AssayError.invalidInput(
                field: name, line: nil,
                reason: "lists page by keyset: pass the previous page's `next` as `after` (with `limit`, 1 to 1000)")
        }
        guard let text = req.query[String.self, at: "limit"] else { return 100 }
        guard let limit = Int(text), (1...1000).contains(limit) else {
            throw AssayError.invalidInput(field: "limit", line: nil, reason: "must be a whole number from 1 to 1000, got '\(text)'")
        }
        return limit
    }

    /// `?after=` as an item id (the `next` of the previous page), or `nil` for the first page.
    static func afterID(_ req: Request) throws -> Int64? {
        guard let text = req.query[String.self, at: "after"] else { return nil }
        guard let id = Int64(text) else {
            throw AssayError.invalidInput(field: "after", line: nil, reason: "must be the `next` value of the previous page")
        }
        return id
    }
}
