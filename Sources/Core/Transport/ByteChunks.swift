/// A type-erased, sendable sequence of body chunks, so any transport can hand over its own stream.
public struct ByteChunks: AsyncSequence, Sendable {
    /// Each element is one chunk of body bytes.
    public typealias Element = [UInt8]

    private let makeNext: @Sendable () -> @Sendable () async throws -> [UInt8]?

    /// Wraps any sendable async sequence of byte arrays whose iterator can be shared safely.
    public init<Base: AsyncSequence & Sendable>(_ base: Base) where Base.Element == [UInt8], Base.AsyncIterator: Sendable {
        self.makeNext = {
            let box = IteratorBox(base.makeAsyncIterator())
            return { try await box.next() }
        }
    }

    /// Chunks that are all known up front, optionally followed by an error (a cut stream).
    public init(_ chunks: [[UInt8]], failingWith error: (any Error & Sendable)? = nil) {
        self.makeNext = {
            let position = Locked(0)
            return {
                let index = position.withLock { index -> Int in
                    defer { index += 1 }
                    return index
                }
                if index < chunks.count { return chunks[index] }
                if index == chunks.count, let error { throw error }
                return nil
            }
        }
    }

    /// No body.
    public static let empty = ByteChunks([])

    /// Hands out the chunks of one iteration.
    public struct AsyncIterator: AsyncIteratorProtocol, Sendable {
        let next: @Sendable () async throws -> [UInt8]?
        /// The next chunk, or `nil` at the end of the body; throws the error of a cut stream.
        public mutating func next() async throws -> [UInt8]? { try await next() }
    }

    /// Starts an iteration over the chunks.
    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(next: makeNext()) }
}


/// Holds an iterator for one consumer. The lock guards the iterator value; an async iterator
/// is moved out for the duration of `next()` and put back, so overlapping calls (which an
/// `AsyncIterator` contract forbids anyway) see `nil` instead of racing.
private final class IteratorBox<Iterator: Sendable>: Sendable {
    private let state: Locked<Iterator?>
    init(_ iterator: Iterator) { state = Locked(iterator) }

    func next() async throws -> [UInt8]? where Iterator: AsyncIteratorProtocol, Iterator.Element == [UInt8] {
        guard var iterator = state.withLock({ current -> Iterator? in
            defer { current = nil }
            return current
        }) else { return nil }
        let value = try await iterator.next()
        state.withLock { $0 = iterator }
        return value
    }
}
