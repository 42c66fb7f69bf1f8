import Foundation
import GatewayCore
import GeminiProvider
import Testing

/// Decoding of answers: text, usage, unknown enum values and unknown part kinds.
@Suite("Response decoding")
struct ResponseDecodingTests {
    let provider = GeminiProvider.fixed()

    @Test("text, usage, model version and response id")
    func textAndUsage() throws {
        let body = """
            {"candidates":[{"content":{"parts":[{"text":"The capital"},{"text":" is **Cheyenne**."}],"role":"model"},"finishReason":"STOP","index":0,
              "safetyRatings":[{"category":"HARM_CATEGORY_HATE_SPEECH","probability":"NEGLIGIBLE"}]}],
             "usageMetadata":{"promptTokenCount":5,"candidatesTokenCount":44,"totalTokenCount":235,"thoughtsTokenCount":186,
               "promptTokensDetails":[{"modality":"TEXT","tokenCount":5}]},
             "modelVersion":"models/gemini-2.5-flash-preview-05-20","responseId":"kLewaKa5ONqI-8YP-c_NuAQ"}
            """
        let response = try #require(provider.parse(status: 200, body: body).success)
        let answer = try #require(response.generateContent)
        #expect(answer.text == "The capital is **Cheyenne**.")
        let candidate = try #require(answer.candidates?.first)
        #expect(candidate.finishReason == .stop)
        #expect(candidate.index == 0)
        #expect(candidate.content?.role == .model)
        #expect(candidate.safetyRatings?.first?.category == .hateSpeech)
        #expect(candidate.safetyRatings?.first?.probability == .negligible)
        let usage = try #require(answer.usageMetadata)
        #expect(usage.promptTokenCount == 5)
        #expect(usage.candidatesTokenCount == 44)
        #expect(usage.thoughtsTokenCount == 186)
        #expect(usage.totalTokenCount == 235)
        #expect(usage.promptTokensDetails?.first?.modality == .text)
        #expect(answer.modelVersion == "models/gemini-2.5-flash-preview-05-20")
        #expect(answer.responseId == "kLewaKa5ONqI-8YP-c_NuAQ")
        #expect(provider.tokensUsed(by: response) == 235)
    }

    @Test("unknown enum values decode as themselves")
    func unknownEnums() throws {
        let body = """
            {"candidates":[{"content":{"parts":[{"text":"x"}],"role":"critic"},"finishReason":"FAKE_NEW_FINISH_REASON",
              "safetyRatings":[{"category":"HARM_CATEGORY_FUTURE","probability":"SOMEWHAT"}]}],
             "promptFeedback":{"safetyRatings":[{"category":"HARM_CATEGORY_FUTURE","probability":"SOMEWHAT"}]},
             "usageMetadata":{"promptTokensDetails":[{"modality":"SMELL","tokenCount":1}]}}
            """
        let answer = try #require(provider.parse(status: 200, body: body).success?.generateContent)
        let candidate = try #require(answer.candidates?.first)
        #expect(candidate.finishReason == FinishReason(rawValue: "FAKE_NEW_FINISH_REASON"))
        #expect(candidate.finishReason != .stop)
        #expect(candidate.finishReason?.isBlocking == false)
        #expect(candidate.content?.role?.rawValue == "critic")
        #expect(candidate.safetyRatings?.first?.category?.rawValue == "HARM_CATEGORY_FUTURE")
        #expect(candidate.safetyRatings?.first?.probability?.rawValue == "SOMEWHAT")
        #expect(answer.usageMetadata?.promptTokensDetails?.first?.modality?.rawValue == "SMELL")
    }

    @Test("unknown part kinds decode as other, keep their fields and encode them back")
    func unknownParts() throws {
        let body = """
            {"candidates":[{"content":{"role":"model","parts":[
              {"executableCode":{"language":"PYTHON","code":"print(1)"}},
              {"codeExecutionResult":{"outcome":"OUTCOME_OK","output":"1"}},
              {"text":"thinking...","thought":true},
              {"text":"Answer","thoughtSignature":"c2ln"},
              {"functionCall":{"name":"lookup","args":{"q":"x","n":[1,2.5,null,true]}}}
            ]},"finishReason":"STOP"}]}
            """
        let answer = try #require(provider.parse(status: 200, body: body).success?.generateContent)
        let parts = try #require(answer.candidates?.first?.content?.parts)
        #expect(parts.map(\.kind) == [.other, .other, .text, .text, .functionCall])
        #expect(parts[0].other["executableCode"] == .object(["language": .string("PYTHON"), "code": .string("print(1)")]))
        #expect(parts[2].thought == true)
        #expect(parts[3].other["thoughtSignature"] == .string("c2ln"))
        #expect(parts[4].functionCall == .object(["name": .string("lookup"), "args": .object(["q": .string("x"), "n": .array([.number(1), .number(2.5), .null, .bool(true)])])]))
        #expect(answer.text == "Answer")

        // A model turn sent back keeps what the library does not model (e.g. thought signatures).
        let echoed = try JSONDecoder().decode(Content.self, from: JSONEncoder().encode(try #require(answer.candidates?.first?.content)))
        #expect(echoed.parts == parts)
    }

    @Test("empty content decodes with no parts")
    func emptyContent() throws {
        for body in [#"{"candidates":[{"content":{},"finishReason":"STOP"}]}"#, #"{"candidates":[{"content":{"role":"model"},"finishReason":"STOP"}]}"#] {
            let answer = try #require(provider.parse(status: 200, body: body).success?.generateContent)
            #expect(answer.candidates?.first?.content?.parts.isEmpty == true)
            #expect(answer.text == nil)
        }
    }

    @Test("the mock's geminiText fixture decodes")
    func mockFixture() throws {
        let body = String(decoding: MockResponseBodies.text("hello \"world\"\n"), as: UTF8.self)
        let answer = try #require(provider.parse(status: 200, body: body).success?.generateContent)
        #expect(answer.text == "hello \"world\"\n")
        #expect(answer.usageMetadata?.totalTokenCount == 20)
    }

    @Test("countTokens and embedContent answers decode")
    func otherOperations() throws {
        let count = try #require(provider.parse(
            status: 200, body: #"{"totalTokens":31,"cachedContentTokenCount":0,"promptTokensDetails":[{"modality":"TEXT","tokenCount":31}]}"#,
            operation: .countTokens(.init(contents: [.user("x")]), model: "gemini-2.5-flash")).success)
        #expect(count.operation == .countTokens)
        #expect(count.countTokens?.totalTokens == 31)
        #expect(count.generateContent == nil)
        #expect(provider.tokensUsed(by: count) == nil)

        let embed = try #require(provider.parse(
            status: 200, body: #"{"embedding":{"values":[0.1,-0.2,3]}}"#,
            operation: .embedContent(.init(content: .user("x")), model: "gemini-embedding-001")).success)
        #expect(embed.embedContent?.embedding?.values == [0.1, -0.2, 3])

        let failed = provider.parse(status: 200, body: "{", operation: .embedContent(.init(content: .user("x")), model: "m"))
        #expect(failed.failure?.kind == .serverError(status: 200))
    }

    @Test("wire types round-trip through JSON")
    func roundTrip() throws {
        let response = GenerateContentResponse(
            candidates: [Candidate(content: .model("hi"), finishReason: .maxTokens, index: 0, safetyRatings: [SafetyRating(category: .harassment, probability: .low, blocked: false)])],
            promptFeedback: PromptFeedback(blockReason: "NEW"),
            usageMetadata: UsageMetadata(promptTokenCount: 1, candidatesTokenCount: 2, totalTokenCount: 3),
            modelVersion: "gemini-2.5-flash")
        let decoded = try JSONDecoder().decode(GenerateContentResponse.self, from: JSONEncoder().encode(response))
        #expect(decoded == response)
    }
}

import MockTransport

/// Bodies of the mock transport's Gemini fixtures.
enum MockResponseBodies {
    static func text(_ text: String) -> [UInt8] { MockResponse.geminiText(text).body }
}
