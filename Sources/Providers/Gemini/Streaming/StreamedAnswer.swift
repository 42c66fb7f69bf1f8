import GatewayCore

/// A streamed answer gathered whole: the text received, and whether the stream completed.
public struct StreamedAnswer: Sendable, Hashable {
    /// How the stream ended.
    public enum Completion: Sendable, Hashable {
        /// The last chunk carried a `finishReason` (STOP, MAX_TOKENS, SAFETY, …).
        case complete(FinishReason)
        /// The stream broke, or ended without a `finishReason`, after some chunks: ``text`` is partial.
        case incomplete(Failure)
    }

    /// The text of the first candidate's chunks, joined in order (partial when incomplete).
    public var text: String
    /// Whether the stream finished, with its finish reason, or broke, with its failure.
    public var completion: Completion
    /// The last usage the server reported (cumulative on a stream).
    public var usage: UsageMetadata?
    /// The model that answered, as the chunks report it.
    public var modelVersion: String?
    /// How many chunks arrived.
    public var chunks: Int

    /// Whether the stream ended with a `finishReason`.
    public var isComplete: Bool { if case .complete = completion { true } else { false } }
    /// The finish reason, when complete.
    public var finishReason: FinishReason? { if case .complete(let reason) = completion { reason } else { nil } }
}

extension GatewayStream where Event == GenerateContentResponse {
    /// Reads the whole stream. A break after the first chunk does not throw: it gives an
    /// ``StreamedAnswer/Completion/incomplete(_:)`` answer carrying the partial text.
    /// - Throws: `CancellationError` only.
    public func collectAnswer() async throws -> StreamedAnswer {
        var answer = StreamedAnswer(text: "", completion: .incomplete(GatewayCore.Failure(.other)), usage: nil, modelVersion: nil, chunks: 0)
        var finish: FinishReason?
        do {
            for try await chunk in self {
                answer.chunks += 1
                answer.text += chunk.text ?? ""
                if let usage = chunk.usageMetadata { answer.usage = usage }
                if let version = chunk.modelVersion { answer.modelVersion = version }
                if let reason = chunk.candidates?.first?.finishReason { finish = reason }
            }
        } catch let error as StreamInterruptedError {
            answer.completion = .incomplete(error.failure)
            return answer
        }
        answer.completion = finish.map(StreamedAnswer.Completion.complete)
            ?? .incomplete(GatewayCore.Failure(.connectionFailure, status: 200, message: "stream ended without a finishReason"))
        return answer
    }

    /// The text deltas of the first candidate, in order (chunks without text are skipped).
    /// Throws `StreamInterruptedError` when the stream breaks after its first chunk.
    public var textDeltas: AsyncThrowingCompactMapSequence<Self, String> {
        compactMap { chunk in chunk.text }
    }
}
