extension Collection {
    /// The elements in consecutive runs of at most `size`, in order, the last run the shorter: what one statement
    /// takes at a time. Each run is made as the loop reaches it, so a million ids are never copied whole.
    ///
    /// ```swift
    /// for chunk in itemIDs.chunks() {
    ///     try await sql.raw("SELECT id FROM items WHERE id IN (\(binds: chunk))").all()
    /// }
    /// ```
    func chunks(of size: Int = Store.rowsPerStatement) -> UnfoldSequence<[Element], Index> {
        precondition(size > 0, "a chunk holds at least one element")
        return sequence(state: startIndex) { start in
            guard start != endIndex else { return nil }
            let end = index(start, offsetBy: size, limitedBy: endIndex) ?? endIndex
            defer { start = end }
            return Array(self[start..<end])
        }
    }
}
