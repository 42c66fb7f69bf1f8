/// Probabilities (each in 0...1) of injected faults, drawn per request after authentication and
/// quota admission from a generator seeded by ``EmulatorConfiguration/seed``, so a run is reproducible.
///
/// One number is drawn per admitted generate, stream or embed request and walked through the
/// probabilities in declaration order; the first kind whose cumulative share covers it wins (so
/// when they add up past 1, earlier kinds take precedence). Kinds that make no sense for the
/// operation (stream faults on a unary call, blocked prompts on embeddings) are skipped, and
/// their share means "no fault". countTokens and model listing never fault.
public struct FaultPlan: Codable, Sendable, Equatable {
    /// 500 INTERNAL envelope.
    public var internalError: Double
    /// 503 UNAVAILABLE "The model is overloaded. Please try again later."
    public var unavailable: Double
    /// 504 DEADLINE_EXCEEDED.
    public var deadlineExceeded: Double
    /// The connection is reset (closed with SO_LINGER 0) without an answer.
    public var connectionReset: Double
    /// 502 with a Google-style HTML page, `content-type: text/html`.
    public var htmlBadGateway: Double
    /// 200 with a truncated JSON body.
    public var malformedBody: Double
    /// 200 `{"promptFeedback":{"blockReason":"SAFETY",…}}` without candidates (generate only).
    public var blockedPrompt: Double
    /// 200 with a candidate that has `finishReason: SAFETY` and no content (generate only).
    public var safety: Double
    /// 200 `{"content":{"role":"model"},"finishReason":"MAX_TOKENS"}` (generate only).
    public var maxTokens: Double
    /// A normal answer, after ``slowMilliseconds`` more.
    public var slow: Double
    /// Extra delay of a slow answer, in real milliseconds.
    public var slowMilliseconds: Int
    /// Streaming only: the first event, then the connection closes mid-body.
    public var streamCut: Double
    /// Streaming only: the first event, then `data: {"error":{"code":500,…,"status":"INTERNAL"}}`, then the end.
    public var streamError: Double

    /// A plan; every probability defaults to 0 (no faults) and a slow answer to 2 s extra.
    public init(
        internalError: Double = 0, unavailable: Double = 0, deadlineExceeded: Double = 0,
        connectionReset: Double = 0, htmlBadGateway: Double = 0, malformedBody: Double = 0,
        blockedPrompt: Double = 0, safety: Double = 0, maxTokens: Double = 0,
        slow: Double = 0, slowMilliseconds: Int = 2000, streamCut: Double = 0, streamError: Double = 0
    ) {
        self.internalError = internalError
        self.unavailable = unavailable
        self.deadlineExceeded = deadlineExceeded
        self.connectionReset = connectionReset
        self.htmlBadGateway = htmlBadGateway
        self.malformedBody = malformedBody
        self.blockedPrompt = blockedPrompt
        self.safety = safety
        self.maxTokens = maxTokens
        self.slow = slow
        self.slowMilliseconds = slowMilliseconds
        self.streamCut = streamCut
        self.streamError = streamError
    }

    private enum CodingKeys: String, CodingKey {
        case internalError, unavailable, deadlineExceeded, connectionReset, htmlBadGateway, malformedBody
        case blockedPrompt, safety, maxTokens, slow, slowMilliseconds, streamCut, streamError
    }

    /// Decodes from JSON; a probability left out is 0, and `slowMilliseconds` 2000.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func p(_ key: CodingKeys) throws -> Double { try c.decodeIfPresent(Double.self, forKey: key) ?? 0 }
        self.init(
            internalError: try p(.internalError), unavailable: try p(.unavailable), deadlineExceeded: try p(.deadlineExceeded),
            connectionReset: try p(.connectionReset), htmlBadGateway: try p(.htmlBadGateway), malformedBody: try p(.malformedBody),
            blockedPrompt: try p(.blockedPrompt), safety: try p(.safety), maxTokens: try p(.maxTokens),
            slow: try p(.slow), slowMilliseconds: try c.decodeIfPresent(Int.self, forKey: .slowMilliseconds) ?? 2000,
            streamCut: try p(.streamCut), streamError: try p(.streamError))
    }

    /// The probabilities in draw order, paired with the fault each stands for.
    var ordered: [(Fault, Double)] {
        [
            (.internalError, internalError), (.unavailable, unavailable), (.deadlineExceeded, deadlineExceeded),
            (.connectionReset, connectionReset), (.htmlBadGateway, htmlBadGateway), (.malformedBody, malformedBody),
            (.blockedPrompt, blockedPrompt), (.safety, safety), (.maxTokens, maxTokens), (.slow, slow),
            (.streamCut, streamCut), (.streamError, streamError),
        ]
    }

    func validate() throws(EmulatorError) {
        for (fault, probability) in ordered where !(0...1).contains(probability) {
            throw .invalidConfiguration("fault probability \(fault) must be in 0...1, not \(probability)")
        }
        guard slowMilliseconds >= 0 else { throw .invalidConfiguration("slowMilliseconds must not be negative") }
    }
}
