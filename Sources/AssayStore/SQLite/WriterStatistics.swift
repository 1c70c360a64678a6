/// What an SQLite store's single writer has done: the figures that tell whether it is the bottleneck.
///
/// The writer runs one transaction at a time, so `busySeconds` growing as fast as the clock means every write
/// waits for it; `waitSeconds` is what the transactions spent queued for it, summed. Transactions that queue
/// together share one commit (group commit), so `commits` grows slower than `transactions` under load.
///
/// For example, over a scrape interval: `Δbusy / Δt` is the writer's utilisation, `Δtransactions / Δcommits` the
/// mean commit group, and `Δwait / Δtransactions` the mean time a write waited for its turn.
public struct WriterStatistics: Sendable, Equatable {
    /// Running totals since the database was opened.
    struct Totals: Sendable, Equatable {
        var transactions = 0
        var commits = 0
        var busyNanoseconds: UInt64 = 0
        var waitNanoseconds: UInt64 = 0
    }

    let totals: Totals
    /// Transactions run on the writer, committed or rolled back.
    public var transactions: Int { totals.transactions }
    /// SQLite commits made for them.
    public var commits: Int { totals.commits }
    /// Seconds the writer was held by a transaction, including its share of commits.
    public var busySeconds: Double { Double(totals.busyNanoseconds) / 1e9 }
    /// Seconds transactions waited for the writer, summed over transactions.
    public var waitSeconds: Double { Double(totals.waitNanoseconds) / 1e9 }
    /// Transactions waiting for the writer at the moment the figures were read.
    public let queuedTransactions: Int
}
