/// Hands values to the workers of `DispatchQueue.concurrentPerform`, which each read them and write only their own
/// part (a slot of a buffer, a shard of a fit): the compiler cannot see that the parts are disjoint.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
