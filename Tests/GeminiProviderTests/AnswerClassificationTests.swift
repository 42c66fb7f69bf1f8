import GatewayCore
import GeminiProvider
import Testing

/// 200 answers that carry no usable text: blocked prompts, stopped candidates, thinking that
/// used every token, and bodies that do not parse.
@Suite("Answer classification")
struct AnswerClassificationTests {
    let provider = GeminiProvider.fixed()

    struct Case: Sendable, CustomStringConvertible {
        let description: String
        let body: String
        let expected: Failure.Kind
        var message: String? = nil
    }

    static let failing: [Case] = [
        Case(description: "prompt blocked, no candidates", body: """
            { "promptFeedback": { "blockReason": "SAFETY",
                "safetyRatings": [ { "category": "HARM_CATEGORY_HATE_SPEECH", "probability": "HIGH" } ] } }
            """, expected: .blocked(reason: "SAFETY")),
        Case(description: "prompt blocked, empty candidates", body: """
            {"candidates":[],"promptFeedback":{"blockReason":"PROHIBITED_CONTENT"},"usageMetadata":{"promptTokenCount":8,"totalTokenCount":8}}
            """, expected: .blocked(reason: "PROHIBITED_CONTENT")),
        Case(description: "prompt blocked for an unknown reason", body: """
            {"promptFeedback":{"blockReason":"FAKE_NEW_BLOCK_REASON"}}
            """, expected: .blocked(reason: "FAKE_NEW_BLOCK_REASON")),
        Case(description: "SAFETY with no content", body: """
            { "candidates": [ { "finishReason": "SAFETY", "index": 0,
                "safetyRatings": [ { "category": "HARM_CATEGORY_DANGEROUS_CONTENT", "probability": "MEDIUM", "blocked": true } ] } ] }
            """, expected: .blocked(reason: "SAFETY")),
        Case(description: "RECITATION with citations only", body: """
            { "candidates": [ { "finishReason": "RECITATION",
                "citationMetadata": { "citationSources": [ { "startIndex": 793, "endIndex": 1341, "uri": "https://example.com" } ] } } ],
              "usageMetadata": { "promptTokenCount": 9, "totalTokenCount": 9 } }
            """, expected: .blocked(reason: "RECITATION")),
        Case(description: "BLOCKLIST with empty content", body: #"{"candidates":[{"content":{"role":"model"},"finishReason":"BLOCKLIST"}]}"#,
             expected: .blocked(reason: "BLOCKLIST")),
        Case(description: "PROHIBITED_CONTENT with empty parts", body: #"{"candidates":[{"content":{"parts":[]},"finishReason":"PROHIBITED_CONTENT"}]}"#,
             expected: .blocked(reason: "PROHIBITED_CONTENT")),
        Case(description: "SPII", body: #"{"candidates":[{"content":{},"finishReason":"SPII"}]}"#, expected: .blocked(reason: "SPII")),
        Case(description: "MAX_TOKENS after thinking used the budget", body: """
            { "candidates": [ { "content": { "role": "model" }, "finishReason": "MAX_TOKENS" } ],
              "usageMetadata": { "promptTokenCount": 1706, "thoughtsTokenCount": 2999, "totalTokenCount": 4705 } }
            """, expected: .other, message: "MAX_TOKENS with no text"),
        Case(description: "MAX_TOKENS with only a thought summary", body: """
            {"candidates":[{"content":{"role":"model","parts":[{"text":"Let me think…","thought":true}]},"finishReason":"MAX_TOKENS"}]}
            """, expected: .other, message: "MAX_TOKENS with no text"),
        Case(description: "malformed JSON", body: #"{"candidates":[{"content":"#, expected: .serverError(status: 200), message: "malformed JSON"),
        Case(description: "not JSON at all", body: "<html>OK</html>", expected: .serverError(status: 200), message: "malformed JSON"),
        Case(description: "empty body", body: "", expected: .serverError(status: 200), message: "malformed JSON"),
        Case(description: "a JSON array", body: "[1,2,3]", expected: .serverError(status: 200), message: "malformed JSON"),
        Case(description: "wrong field type", body: #"{"candidates":{"oops":1}}"#, expected: .serverError(status: 200), message: "malformed JSON"),
    ]

    @Test("a 200 without usable text is a typed failure", arguments: failing)
    func failure(_ item: Case) throws {
        let failure = try #require(provider.parse(status: 200, body: item.body).failure)
        #expect(failure.kind == item.expected)
        #expect(failure.status == 200)
        if let message = item.message { #expect(failure.message.hasPrefix(message)) }
    }

    static let succeeding: [(String, String, String?)] = [
        ("plain text", #"{"candidates":[{"content":{"parts":[{"text":"Hi"}],"role":"model"},"finishReason":"STOP","index":0}]}"#, "Hi"),
        ("SAFETY with partial text keeps the text", """
            {"candidates":[{"content":{"role":"model","parts":[{"text":"partial..."}]},"finishReason":"SAFETY"}]}
            """, "partial..."),
        ("MAX_TOKENS with text", #"{"candidates":[{"content":{"parts":[{"text":"cut"}]},"finishReason":"MAX_TOKENS"}]}"#, "cut"),
        ("STOP with empty content is an answer (no text)", #"{"candidates":[{"content":{},"finishReason":"STOP"}]}"#, nil),
        ("OTHER with a message", #"{"candidates":[{"finishReason":"OTHER","finishMessage":"Model failed to generate content due to internal error."}]}"#, nil),
        ("a stream chunk without finishReason", #"{"candidates":[{"content":{"role":"model"}}]}"#, nil),
        ("a function call", #"{"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"name":"f","args":{"a":1}}}]},"finishReason":"STOP"}]}"#, nil),
    ]

    @Test("other 200 answers decode", arguments: succeeding)
    func success(name: String, body: String, text: String?) throws {
        let response = try #require(provider.parse(status: 200, body: body).success)
        #expect(response.operation == .generateContent)
        #expect(response.generateContent?.text == text)
    }
}
