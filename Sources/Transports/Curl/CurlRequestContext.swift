import DequeModule
import GatewayCore
import HTTPTypes

/// One exchange's state, shared between the driver thread (curl's callbacks, completion) and
/// the caller (awaiting the head, reading the body). Every field lives in one `Locked` state
/// machine; continuations are resumed after the lock is released.
final class CurlRequestContext: Sendable {
    let id: Int
    let request: TransportRequest
    let maxResponseBytes: Int
    let highWater: Int
    /// The transport-wide counters.
    let statistics: Locked<CurlStatistics>
    private let state = Locked(State())

    private struct State {
        var cancelled = false
        var headContinuation: CheckedContinuation<HTTPResponse, any Error>?
        var headDelivered = false
        var pendingStatus: Int?
        var pendingFields = HTTPFields()
        var chunks: Deque<[UInt8]> = []
        var bufferedBytes = 0
        var receivedBytes = 0
        var bodyWaiter: CheckedContinuation<[UInt8]?, any Error>?
        var paused = false
        var tooLarge = false
        var abandoned = false
        var outcome: Result<Void, any Error>?
        var outcomeReported = false
        /// Whole-response mode (`send`): one continuation, resumed once, when the transfer ends.
        var wholeContinuation: CheckedContinuation<Void, any Error>?
        var wholeResponse: TransportResponse?
        var whole = false
        var wholeHead: HTTPResponse?
        var wholeBody: [UInt8] = []
    }

    /// What a callback or the consumer must do once the lock is released.
    enum FollowUp {
        case none
        case unpause
    }

    init(id: Int, request: TransportRequest, maxResponseBytes: Int, highWater: Int, statistics: Locked<CurlStatistics>) {
        self.id = id
        self.statistics = statistics
        self.request = request
        self.maxResponseBytes = maxResponseBytes
        self.highWater = max(highWater, 1)
    }

    // MARK: Caller side

    /// Registers the continuation for the response head. Returns `false` (after resuming it with
    /// the outcome) when the exchange already ended, e.g. cancelled before it was submitted.
    func awaitHead(_ continuation: CheckedContinuation<HTTPResponse, any Error>) -> Bool {
        let early = state.withLock { s -> (any Error)? in
            if s.cancelled { return CancellationError() }
            if case .failure(let error)? = s.outcome { return error }
            s.headContinuation = continuation
            return nil
        }
        if let early {
            continuation.resume(throwing: early)
            return false
        }
        return true
    }

    /// Called by the caller once the head arrived: takes `state`'s lock, under which the driver
    /// made the head, so ThreadSanitizer sees the hand-off. It does not see a continuation's own
    /// (swiftlang/swift#57803) and reported the head's first read as a race.
    func headReceived() { state.withLock { _ in } }

    /// Registers the continuation for the whole response (head and body), resumed once when the
    /// transfer ends: one hand-off from the driver thread per exchange. Returns `false` (after
    /// resuming it) when the exchange already ended.
    func awaitWhole(_ continuation: CheckedContinuation<Void, any Error>) -> Bool {
        let early = state.withLock { s -> (any Error)? in
            if s.cancelled { return CancellationError() }
            if case .failure(let error)? = s.outcome { return error }
            s.whole = true
            s.wholeContinuation = continuation
            return nil
        }
        if let early {
            continuation.resume(throwing: early)
            return false
        }
        return true
    }

    /// The whole response, once ``awaitWhole(_:)``'s continuation has returned. Read under the
    /// lock the driver wrote it under, so the hand-over is ordered for ThreadSanitizer too (a
    /// continuation's resumption alone is invisible to it).
    func takeWholeResponse() -> TransportResponse? {
        state.withLock { s in
            defer { s.wholeResponse = nil }
            return s.wholeResponse
        }
    }

    /// Marks the exchange cancelled by its caller. Returns whether it was still running.
    @discardableResult
    func markCancelled() -> Bool {
        state.withLock { s in
            guard s.outcome == nil else { return false }
            s.cancelled = true
            return true
        }
    }

    var isCancelled: Bool { state.withLock { $0.cancelled } }

    /// The body consumer is gone: stop the transfer at its next callback.
    func markAbandoned() -> Bool {
        state.withLock { s in
            guard s.outcome == nil else { return false }
            s.abandoned = true
            return true
        }
    }

    /// The next body chunk, `nil` at the end; throws the transfer's error.
    func nextChunk(unpause: () -> Void) async throws -> [UInt8]? {
        enum Immediate { case chunk([UInt8], FollowUp), end, failure(any Error), wait }
        let immediate = state.withLock { s -> Immediate in
            if let chunk = s.chunks.popFirst() {
                s.bufferedBytes -= chunk.count
                if s.paused, s.bufferedBytes <= highWater / 4 {
                    s.paused = false
                    return .chunk(chunk, .unpause)
                }
                return .chunk(chunk, .none)
            }
            switch s.outcome {
            case .failure(let error)? where !s.outcomeReported:
                s.outcomeReported = true
                return .failure(error)
            case .some: return .end
            case nil: return .wait
            }
        }
        switch immediate {
        case .chunk(let chunk, let followUp):
            if case .unpause = followUp { unpause() }
            return chunk
        case .end: return nil
        case .failure(let error): throw error
        case .wait:
            return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[UInt8]?, any Error>) in
                enum Now { case parked, chunk([UInt8]), end, failure(any Error), resumePaused }
                let now = state.withLock { s -> Now in
                    if let chunk = s.chunks.popFirst() {
                        s.bufferedBytes -= chunk.count
                        return .chunk(chunk)
                    }
                    switch s.outcome {
                    case .failure(let error)? where !s.outcomeReported:
                        s.outcomeReported = true
                        return .failure(error)
                    case .some: return .end
                    case nil:
                        s.bodyWaiter = continuation
                        if s.paused {
                            s.paused = false
                            return .resumePaused
                        }
                        return .parked
                    }
                }
                switch now {
                case .parked: break
                case .resumePaused: unpause()
                case .chunk(let chunk): continuation.resume(returning: chunk)
                case .end: continuation.resume(returning: nil)
                case .failure(let error): continuation.resume(throwing: error)
                }
            }
        }
    }

    // MARK: Driver side (called on the driver thread only)

    /// curl's header callback: one line at a time, for every response (1xx included).
    func receiveHeaderLine(_ bytes: UnsafeBufferPointer<UInt8>) {
        var line = String(decoding: bytes, as: UTF8.self)
        while let last = line.last, last.isNewline { line.removeLast() }  // "\r\n" is one Character
        let ready = state.withLock { s -> (CheckedContinuation<HTTPResponse, any Error>, HTTPResponse)? in
            guard !s.headDelivered else { return nil }  // trailers
            if line.hasPrefix("HTTP/") {
                let parts = line.split(separator: " ", maxSplits: 2)
                s.pendingStatus = parts.count >= 2 ? Int(parts[1]) : nil
                s.pendingFields = HTTPFields()
                return nil
            }
            if line.isEmpty {
                guard let status = s.pendingStatus, status >= 200 || status == 101 else {
                    s.pendingStatus = nil  // 1xx interim response: the real one follows
                    return nil
                }
                s.headDelivered = true
                let head = HTTPResponse(status: .init(code: status), headerFields: s.pendingFields)
                if s.whole {
                    s.wholeHead = head
                    return nil
                }
                guard let continuation = s.headContinuation else { return nil }
                s.headContinuation = nil
                return (continuation, head)
            }
            if let colon = line.firstIndex(of: ":"), let name = HTTPField.Name(String(line[..<colon])) {
                let value = line[line.index(after: colon)...].drop { $0 == " " || $0 == "\t" }
                s.pendingFields.append(HTTPField(name: name, value: String(value)))
            }
            return nil
        }
        if let (continuation, head) = ready { continuation.resume(returning: head) }
    }

    enum WriteVerdict { case consumed, pause, abort }

    /// curl's write callback.
    func receiveBody(_ bytes: UnsafeBufferPointer<UInt8>) -> WriteVerdict {
        let wholeVerdict = state.withLock { s -> WriteVerdict? in
            guard s.whole else { return nil }
            if s.cancelled || s.abandoned { return .abort }
            if s.wholeBody.count + bytes.count > maxResponseBytes {
                s.tooLarge = true
                return .abort
            }
            s.wholeBody.append(contentsOf: bytes)
            return .consumed
        }
        if let wholeVerdict {
            if case .consumed = wholeVerdict { statistics.withLock { $0.bytesReceived += bytes.count } }
            return wholeVerdict
        }
        let chunk = Array(bytes)
        var handOff: CheckedContinuation<[UInt8]?, any Error>?
        let verdict = state.withLock { s -> WriteVerdict in
            if s.cancelled || s.abandoned { return .abort }
            if s.receivedBytes + chunk.count > maxResponseBytes {
                s.tooLarge = true
                return .abort
            }
            if let waiter = s.bodyWaiter, s.chunks.isEmpty {
                s.bodyWaiter = nil
                s.receivedBytes += chunk.count
                handOff = waiter
                return .consumed
            }
            if s.bufferedBytes >= highWater {
                s.paused = true
                return .pause  // curl delivers the same bytes again after unpausing
            }
            s.chunks.append(chunk)
            s.bufferedBytes += chunk.count
            s.receivedBytes += chunk.count
            return .consumed
        }
        if case .consumed = verdict { statistics.withLock { $0.bytesReceived += chunk.count } }
        handOff?.resume(returning: chunk)
        return verdict
    }

    /// Why a failed transfer failed, seen from the caller.
    func failure(for code: TransportError) -> any Error {
        state.withLock { s -> any Error in
            if s.cancelled || s.abandoned { return CancellationError() }
            if s.tooLarge || code.isSameKind(as: .responseTooLarge(limit: 0)) {
                return TransportError.responseTooLarge(limit: maxResponseBytes)
            }
            return code
        }
    }

    /// The transfer ended (after its handle was removed and cleaned up).
    func finish(_ outcome: Result<Void, any Error>) {
        let whole = state.withLock { s -> (CheckedContinuation<Void, any Error>, Result<Void, any Error>)? in
            guard s.whole, s.outcome == nil, let continuation = s.wholeContinuation else { return nil }
            s.outcome = outcome
            s.wholeContinuation = nil
            let body = s.wholeBody
            s.wholeBody = []
            switch outcome {
            case .success:
                guard let head = s.wholeHead else {
                    return (continuation, .failure(TransportError.malformedResponse("the response ended without a complete head")))
                }
                s.wholeResponse = TransportResponse(head: head, body: body)
                return (continuation, .success(()))
            case .failure(let error):
                return (continuation, .failure(error))
            }
        }
        if let (continuation, result) = whole {
            continuation.resume(with: result)
            return
        }
        let (head, body) = state.withLock { s -> (CheckedContinuation<HTTPResponse, any Error>?, CheckedContinuation<[UInt8]?, any Error>?) in
            if s.outcome != nil { return (nil, nil) }
            s.outcome = outcome
            let head = s.headContinuation
            s.headContinuation = nil
            var body: CheckedContinuation<[UInt8]?, any Error>?
            if s.chunks.isEmpty {
                body = s.bodyWaiter
                s.bodyWaiter = nil
                if body != nil, case .failure = outcome { s.outcomeReported = true }
            }
            return (head, body)
        }
        switch outcome {
        case .success:
            head?.resume(throwing: TransportError.malformedResponse("the response ended without a complete head"))
            body?.resume(returning: nil)
        case .failure(let error):
            head?.resume(throwing: error)
            body?.resume(throwing: error)
        }
    }

    var hasEnded: Bool { state.withLock { $0.outcome != nil } }
}
