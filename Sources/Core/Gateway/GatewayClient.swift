import Logging

/// A task's handle on the gateway, valid inside ``Gateway/withClient(task:_:)``.
///
/// Every ``send(_:deadline:)`` runs the call loop on the task's dedicated key, rotating when the
/// policy says so; the call ends in a response or a ``GatewayError`` carrying the attempt trail.
public struct GatewayClient<P: Provider>: Sendable {
    /// The task this client acts for.
    public let task: TaskID
    let gateway: Gateway<P>

    /// The key the task holds right now, if any (masked in its description).
    public var currentKey: APIKey? { gateway.keyProvider.assignedKey(for: task) }

    /// Sends `request` through the gateway.
    /// - Parameters:
    ///   - request: What to ask the provider.
    ///   - deadline: The longest the whole call may take (default: the gateway's `callTimeout`).
    /// - Returns: The provider's response.
    /// - Throws: ``GatewayError`` when the call ends without a result; `CancellationError` when
    ///   the task is cancelled (nothing is leaked, no token is consumed by a cancelled wait).
    public func send(_ request: P.Request, deadline: Duration? = nil) async throws -> P.Response {
        try await sendReporting(request, deadline: deadline).response
    }

    /// Sends `request` like ``send(_:deadline:)`` and also reports what the call took: its
    /// attempts and the key that answered.
    public func sendReporting(_ request: P.Request, deadline: Duration? = nil) async throws -> (response: P.Response, report: CallReport) {
        var call = CallLoop(gateway: gateway, task: task, deadline: deadline ?? gateway.options.callTimeout)
        do {
            let response = try await call.run(request)
            gateway.metrics.call("success")
            let key = call.lastKey
            let report = CallReport(
                attempts: call.trail.count + 1, failedAttempts: call.trail,
                keyLabel: key?.label ?? "", maskedKey: key?.masked ?? "")
            return (response, report)
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
    public func stream(_ request: P.Request, deadline: Duration? = nil) async throws -> GatewayStream<P.EventDecoder> {
        var call = CallLoop(gateway: gateway, task: task, deadline: deadline ?? gateway.options.callTimeout)
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
