#if Emulator  // the server needs SwiftNIO, resolved only with the package's Emulator trait
import CurlTransport
import Foundation
import GatewayCore
import GeminiEmulator
import HTTPTypes
import Testing

@Suite("Emulator over HTTP: the OpenAI surface's errors in both styles, and its audit", .timeLimit(.minutes(1)))
struct OpenAIErrorHTTPTests {
    static let unknownKey = "fake-unknown-key-never-configured-1234"

    static func configuration(_ style: OpenAIErrorStyle, rpm: Int = 1000, faults: FaultPlan = FaultPlan()) -> EmulatorConfiguration {
        var configuration = Harness.configuration(
            extraKeys: [
                EmulatorKey(key: "fake-depleted-key-0000", project: "p-billing", state: .prepayDepleted, label: "depleted"),
                EmulatorKey(key: "fake-suspended-key-0000", project: "p-suspended", state: .suspended, label: "suspended"),
            ],
            quotas: ["*": ModelQuota(rpm: rpm)], faults: faults)
        configuration.openAIErrorStyle = style
        return configuration
    }

    @Test("Gemini style (the default): a one-element array of the native envelope, with the native status")
    func geminiStyle() async throws {
        #expect(EmulatorConfiguration(keys: []).openAIErrorStyle == .gemini)
        try await Harness.with(Self.configuration(.gemini, rpm: 1)) { harness in
            let invalid = try await harness.chat(key: Self.unknownKey)
            #expect(invalid.status == 400)
            let error = try #require(OpenAIJSON.arrayError(invalid.body))
            #expect(error["status"] as? String == "INVALID_ARGUMENT")
            let reason = (error["details"] as? [[String: Any]])?.first?["reason"] as? String
            #expect(reason == "API_KEY_INVALID")
            #expect(!invalid.text.contains(Self.unknownKey))

            #expect(try await harness.chat().status == 200)
            let limited = try await harness.chat()
            #expect(limited.status == 429)
            let quota = try #require(OpenAIJSON.arrayError(limited.body))
            #expect(quota["code"] as? Int == 429)
            #expect((quota["details"] as? [[String: Any]])?.contains { ($0["@type"] as? String)?.hasSuffix("RetryInfo") == true } == true)

            let missing = try await harness.chat(json: Harness.chatBody("Hi", model: "gemini-0-nothing"))
            #expect(missing.status == 404)
            #expect(OpenAIJSON.arrayError(missing.body)?["status"] as? String == "NOT_FOUND")

            let depleted = try await harness.chat(key: "fake-depleted-key-0000")
            #expect(depleted.status == 402)
            #expect(OpenAIJSON.arrayError(depleted.body)?["status"] as? String == "RESOURCE_EXHAUSTED")

            let unknownField = try await harness.chat(json: Harness.chatBody("Hi", extra: #","top_k":3"#))
            #expect(unknownField.status == 400)
            #expect((OpenAIJSON.arrayError(unknownField.body)?["message"] as? String)?.contains("Unknown name \"top_k\"") == true)
        }
    }

    @Test("OpenAI style: 401 invalid_api_key with the key masked, 429 rate_limit_exceeded vs insufficient_quota, 404 model_not_found, 400")
    func openAIStyle() async throws {
        try await Harness.with(Self.configuration(.openAI, rpm: 1)) { harness in
            let invalid = try await harness.chat(key: Self.unknownKey)
            #expect(invalid.status == 401)
            #expect(invalid.contentType == "application/json")
            let error = try #require(OpenAIJSON.error(invalid.body))
            #expect(error["type"] as? String == "invalid_request_error")
            #expect(error["code"] as? String == "invalid_api_key")
            #expect(error.keys.sorted() == ["code", "message", "param", "type"])
            #expect(error["param"] is NSNull)
            #expect(!invalid.text.contains(Self.unknownKey))
            #expect((error["message"] as? String)?.contains("…1234") == true)

            let noKey = try await harness.chat(key: nil)
            #expect(noKey.status == 401)
            #expect(OpenAIJSON.error(noKey.body)?["type"] as? String == "invalid_request_error")

            #expect(try await harness.chat().status == 200)
            let limited = try await harness.chat()
            #expect(limited.status == 429)
            #expect(OpenAIJSON.error(limited.body)?["code"] as? String == "rate_limit_exceeded")
            #expect(OpenAIJSON.error(limited.body)?["type"] as? String == "requests")
            #expect((OpenAIJSON.error(limited.body)?["message"] as? String)?.contains("Please try again in ") == true)

            let depleted = try await harness.chat(key: "fake-depleted-key-0000")
            #expect(depleted.status == 429)
            #expect(OpenAIJSON.error(depleted.body)?["code"] as? String == "insufficient_quota")
            #expect(OpenAIJSON.error(depleted.body)?["type"] as? String == "insufficient_quota")
            #expect(depleted.header("retry-after") == nil, "billing: nothing to wait for")

            let missing = try await harness.chat(json: Harness.chatBody("Hi", model: "gemini-0-nothing"))
            #expect(missing.status == 404)
            #expect(OpenAIJSON.error(missing.body)?["code"] as? String == "model_not_found")

            let unknownField = try await harness.chat(json: Harness.chatBody("Hi", extra: #","top_k":3"#))
            #expect(unknownField.status == 400)
            #expect(OpenAIJSON.error(unknownField.body)?["type"] as? String == "invalid_request_error")
            #expect(OpenAIJSON.error(unknownField.body)?["param"] as? String == "top_k")

            let syntax = try await harness.chat(json: "{not json")
            #expect(syntax.status == 400)
            #expect(OpenAIJSON.error(syntax.body)?["type"] as? String == "invalid_request_error")

            let suspended = try await harness.chat(key: "fake-suspended-key-0000")
            #expect(suspended.status == 403)
            #expect(OpenAIJSON.error(suspended.body)?["type"] as? String == "permission_error")
        }
    }

    @Test("OpenAI style server faults: 503 server_is_overloaded, 500 server_error")
    func openAIServerFaults() async throws {
        try await Harness.with(Self.configuration(.openAI, faults: FaultPlan(unavailable: 1))) { harness in
            let response = try await harness.chat()
            #expect(response.status == 503)
            #expect(OpenAIJSON.error(response.body)?["code"] as? String == "server_is_overloaded")
        }
        try await Harness.with(Self.configuration(.openAI, faults: FaultPlan(internalError: 1))) { harness in
            let response = try await harness.embeddings(json: #"{"model":"text-embedding-004","input":"x"}"#)
            #expect(response.status == 500)
            #expect(OpenAIJSON.error(response.body)?["type"] as? String == "server_error")
        }
    }

    @Test("the audit counts OpenAI-surface requests per key and project, together with native ones")
    func audit() async throws {
        try await Harness.with(Self.configuration(.openAI, rpm: 4)) { harness in
            #expect(try await harness.generate().status == 200)
            #expect(try await harness.generate().status == 200)
            #expect(try await harness.chat().status == 200)
            #expect(try await harness.embeddings(json: #"{"model":"text-embedding-004","input":"x"}"#).status == 200)
            #expect(try await harness.chat().status == 200)
            #expect(try await harness.chat().status == 429, "the fifth generate of the project in the window: rpm 4 is shared by both surfaces")
            #expect(try await harness.openAIGet("models").status == 200)
            #expect(try await harness.chat(key: "fake-suspended-key-0000").status == 403)
            #expect(try await harness.chat(key: Self.unknownKey).status == 401)

            let audit = harness.emulator.audit()
            #expect(audit.totalRequests == 9)
            #expect(audit.key("main") == KeyAudit(label: "main", project: "p1", requests: 7, succeeded: 6, rateLimited: 1, maxInFlight: 1))
            #expect(audit.key("suspended")?.rejected == 1)
            let project = try #require(audit.project("p1"))
            #expect(project.admitted == 5)
            #expect(project.rateLimited == 1)
            #expect(project.perModel["gemini-2.5-flash"] == ModelAudit(admitted: 4, rateLimited: 1, maxAdmittedInAnyWindow: 4, rpm: 4))
            #expect(project.perModel["text-embedding-004"]?.admitted == 1)
        }
    }
}
#endif
