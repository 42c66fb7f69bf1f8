import Synchronization

/// Values gathered from many tasks (a `Mutex` in a class, so closures can share it).
public final class Collected<Value: Sendable>: Sendable {
    private let values = Mutex<[Value]>([])
    public init() {}
    public func append(_ value: Value) { values.withLock { $0.append(value) } }
    public var all: [Value] { values.withLock { $0 } }
}

/// Hands out 0, 1, 2, … to concurrent callers, each number once.
public final class Ticket: Sendable {
    private let next = Mutex(0)
    public init() {}
    public func take() -> Int { next.withLock { value in defer { value += 1 }; return value } }
}
