/// A streamed call broke after its first event reached the caller: the connection was cut, the
/// server sent an error event, or the body ended mid-event. Nothing is retried at this point
/// (text already delivered is never replayed); the events received so far stand.
public struct StreamInterruptedError: Error, Sendable, CustomStringConvertible {
    /// What broke the stream, classified (key-free).
    public let failure: Failure
    /// The task that made the call.
    public let task: TaskID
    /// The key that served the stream, by label.
    public let keyLabel: String
    /// Events delivered before the break.
    public let eventsDelivered: Int

    /// Describes an interruption; the gateway makes these for you.
    public init(failure: Failure, task: TaskID, keyLabel: String, eventsDelivered: Int) {
        self.failure = failure
        self.task = task
        self.keyLabel = keyLabel
        self.eventsDelivered = eventsDelivered
    }

    /// The task, the key's label, the events delivered and the failure, in one line.
    public var description: String {
        "task \(task): stream on \(keyLabel) interrupted after \(eventsDelivered) event(s): \(failure)"
    }
}
