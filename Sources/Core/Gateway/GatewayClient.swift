import Logging

/// A task's handle on the gateway, valid inside ``Gateway/withClient(task:_:)``.
///
/// Every ``send(_:deadline:)`` runs the call loop on the task's dedicated key, rotating when the
/// policy says so; the call ends in a response or a ``GatewayError`` carrying the attempt trail.
public struct GatewayClient<P: Provider>: Sendable {
    /// The task this client acts for.
    public let task: TaskID
    let gateway: Gateway<P>

    init(task: TaskID, gateway: Gateway<P>) {
        self.task = task
        self.gateway = gateway
    }

    /// The key the task holds right now, if any (masked in its description).
    public var currentKey: APIKey? { gateway.keyProvider.heldKey(by: task).map { gateway.keys[$0.index] } }

    /// Sends `request` through the gateway.
    /// - Parameters:
    ///   - request: What to ask the provider.
    ///   - deadline: The longest the whole call may take (default: the gateway's `callTimeout`).
    /// - Returns: The provider's response.
    /// - Throws: ``GatewayError`` when the call ends without a result; `CancellationError` when
    ///   the task is cancelled (nothing is leaked, no token is consumed by a cancelled wait).
    public func send(_ request: P.Request, deadline: Duration? = nil) async throws -> P.Response {
        var call = makeCall(for: request, deadline: deadline)
        return try await perform(request, with: &call)
    }

    /// Sends `request` like ``send(_:deadline:)`` and also reports what the call took: its
    /// attempts and the key that answered.
    public func sendReporting(_ request: P.Request, deadline: Duration? = nil) async throws -> (response: P.Response, report: CallReport) {
        try await sendReporting(request, deadline: deadline, whenLeased: nil)
    }

    /// ``sendReporting(_:deadline:)``, calling `whenLeased` once the call's first attempt has a key.
    func sendReporting(
        _ request: P.Request, deadline: Duration?, whenLeased: (@Sendable () -> Void)?
    ) async throws -> (response: P.Response, report: CallReport) {
        var call = makeCall(for: request, deadline: deadline)
        call.whenLeased = whenLeased
        let response = try await perform(request, with: &call)
        let key = call.lastKey
        let report = CallReport(
            attempts: call.trail.count + 1, failedAttempts: call.trail,
            keyLabel: key?.label ?? "", maskedKey: key?.masked ?? "", latency: call.lastLatency)
        return (response, report)
    }

    func makeCall(for request: P.Request, deadline: Duration?) -> CallLoop<P> {
        CallLoop(
            gateway: gateway, task: task, deadline: deadline ?? gateway.options.callTimeout,
            model: gateway.provider.quotaModel(of: request))
    }

    /// Runs `call` and counts its result.
    private func perform(_ request: P.Request, with call: inout CallLoop<P>) async throws -> P.Response {
        do {
            let response = try await call.run(request)
            gateway.metrics.call("success")
            return response
        } catch let error as GatewayError {
            gateway.metrics.call(error.shortDescription)
            throw error
        }
    }
}

extension GatewayClient where P: StreamingProvider {
    /// Sends `request` as a streamed call. Pacing, retries and rotation apply until the first
    /// event arrives; the returned stream then yields every event in order.
    ///
    /// Consume the stream inside the `withClient` scope: the task's lease ends with the scope.
    /// - Throws: ``GatewayError`` when no attempt produced an event; `CancellationError` on cancellation.
    ///   The stream itself throws ``StreamInterruptedError`` when it breaks after its first event.
    public func stream(_ request: P.Request, deadline: Duration? = nil) async throws -> GatewayStream<P.Event> {
        var call = makeCall(for: request, deadline: deadline)
        do {
            let stream = try await call.runStreaming(request)
            gateway.metrics.call("success")
            return stream
        } catch let error as GatewayError {
            gateway.metrics.call(error.shortDescription)
            throw error
        }
    }
}
