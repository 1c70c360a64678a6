extension Collection {
    /// The elements in consecutive runs of at most `size`, in order, the last run the shorter: what one statement
    /// takes at a time.
    ///
    /// ```swift
    /// for chunk in itemIDs.chunks() {
    ///     try await sql.raw("SELECT id FROM items WHERE id IN (\(binds: chunk))").all()
    /// }
    /// ```
    func chunks(of size: Int = Store.rowsPerStatement) -> [[Element]] {
        precondition(size > 0, "a chunk holds at least one element")
        var runs: [[Element]] = []
        runs.reserveCapacity((count + size - 1) / size)
        var start = startIndex
        while start != endIndex {
            let end = index(start, offsetBy: size, limitedBy: endIndex) ?? endIndex
            runs.append(Array(self[start..<end]))
            start = end
        }
        return runs
    }
}
