import Foundation
import GatewayCore
import HTTPTypes
import MockTransport
import Testing

/// The Gemini helpers: status codes and the JSON fields a classifier reads.
@Suite("Gemini fixtures", .timeLimit(.minutes(1)))
struct GeminiFixtureTests {
    // MARK: Success

    @Test("geminiText is a 200 with the text, STOP and token usage")
    func geminiText() throws {
        let response = MockResponse.geminiText("hi there", promptTokens: 3, outputTokens: 4)
        #expect(response.status == 200)
        #expect(response.headers[.contentType] == "application/json; charset=UTF-8")

        let object = try jsonObject(response)
        let candidates = try #require(object["candidates"] as? [[String: Any]])
        let candidate = try #require(candidates.first)
        let content = try #require(candidate["content"] as? [String: Any])
        let parts = try #require(content["parts"] as? [[String: Any]])
        #expect(parts.first?["text"] as? String == "hi there")
        #expect(content["role"] as? String == "model")
        #expect(candidate["finishReason"] as? String == "STOP")

        let usage = try #require(object["usageMetadata"] as? [String: Any])
        #expect(usage["promptTokenCount"] as? Int == 3)
        #expect(usage["candidatesTokenCount"] as? Int == 4)
        #expect(usage["totalTokenCount"] as? Int == 7)
    }

    @Test("geminiText escapes its text so it round-trips through JSON", arguments: [
        #"He said "hi""#,
        "line one\nline two",
        "crlf\r\nand\ttab",
        #"back\slash and \"escaped\" \n literal"#,
        "control \u{01} \u{1F} \u{0B} \u{0C} \u{08} end",
        "unicode é 日本語 🚀 \u{2028}",
        "</script>{\"a\":[1,2]}",
        "",
    ])
    func geminiTextRoundTrip(_ text: String) throws {
        let object = try jsonObject(.geminiText(text))
        let candidates = try #require(object["candidates"] as? [[String: Any]])
        let content = try #require(candidates.first?["content"] as? [String: Any])
        let parts = try #require(content["parts"] as? [[String: Any]])
        #expect(parts.first?["text"] as? String == text)
    }

    @Test("geminiBlocked is a 200 with promptFeedback.blockReason and no candidates")
    func geminiBlocked() throws {
        for (response, reason) in [(MockResponse.geminiBlocked(), "SAFETY"), (.geminiBlocked(reason: "PROHIBITED_CONTENT"), "PROHIBITED_CONTENT")] {
            #expect(response.status == 200)
            let object = try jsonObject(response)
            let feedback = try #require(object["promptFeedback"] as? [String: Any])
            #expect(feedback["blockReason"] as? String == reason)
            #expect(object["candidates"] == nil)
        }
    }

    // MARK: Rate limits

    @Test("geminiRateLimited is a 429 with a per-minute QuotaFailure and RetryInfo")
    func geminiRateLimited() throws {
        let response = MockResponse.geminiRateLimited()
        #expect(response.status == 429)
        let error = try geminiError(response)
        #expect(error["code"] as? Int == 429)
        #expect(error["status"] as? String == "RESOURCE_EXHAUSTED")

        let retry = try #require(detail("google.rpc.RetryInfo", in: error))
        #expect(retry["retryDelay"] as? String == "26s")
        let quota = try #require(detail("google.rpc.QuotaFailure", in: error))
        let violation = try #require((quota["violations"] as? [[String: Any]])?.first)
        let quotaID = try #require(violation["quotaId"] as? String)
        #expect(quotaID.contains("PerMinute"))
        #expect(!quotaID.contains("PerDay"))
        #expect((violation["quotaDimensions"] as? [String: Any])?["model"] as? String == "gemini-2.5-flash-lite")
    }

    @Test("geminiRateLimited takes the retry delay, quota and model")
    func geminiRateLimitedParameters() throws {
        let error = try geminiError(.geminiRateLimited(retryDelay: "0.5s", quotaID: "CustomQuota", model: "gemini-2.5-pro"))
        #expect(detail("google.rpc.RetryInfo", in: error)?["retryDelay"] as? String == "0.5s")
        let quota = try #require(detail("google.rpc.QuotaFailure", in: error))
        let violation = try #require((quota["violations"] as? [[String: Any]])?.first)
        #expect(violation["quotaId"] as? String == "CustomQuota")
        #expect((violation["quotaDimensions"] as? [String: Any])?["model"] as? String == "gemini-2.5-pro")
    }

    @Test("geminiRateLimited without a retry delay omits RetryInfo and is still valid JSON")
    func geminiRateLimitedWithoutRetryInfo() throws {
        let response = MockResponse.geminiRateLimited(retryDelay: nil)
        #expect(response.status == 429)
        let error = try geminiError(response)
        #expect(detail("google.rpc.RetryInfo", in: error) == nil)
        #expect(detail("google.rpc.QuotaFailure", in: error) != nil)
    }

    @Test("geminiDailyQuotaExceeded is a 429 whose quotaId is per day")
    func geminiDailyQuotaExceeded() throws {
        let response = MockResponse.geminiDailyQuotaExceeded(model: "gemini-2.5-flash")
        #expect(response.status == 429)
        let error = try geminiError(response)
        #expect(error["status"] as? String == "RESOURCE_EXHAUSTED")
        let quota = try #require(detail("google.rpc.QuotaFailure", in: error))
        let violation = try #require((quota["violations"] as? [[String: Any]])?.first)
        let quotaID = try #require(violation["quotaId"] as? String)
        #expect(quotaID.contains("PerDay"))
        #expect((violation["quotaDimensions"] as? [String: Any])?["model"] as? String == "gemini-2.5-flash")
        #expect(detail("google.rpc.RetryInfo", in: error)?["retryDelay"] is String)
    }

    @Test("geminiBareRateLimited is a 429 with no details")
    func geminiBareRateLimited() throws {
        let response = MockResponse.geminiBareRateLimited
        #expect(response.status == 429)
        let error = try geminiError(response)
        #expect(error["code"] as? Int == 429)
        #expect(error["status"] as? String == "RESOURCE_EXHAUSTED")
        #expect(error["details"] == nil)
    }

    // MARK: Key faults

    @Test("geminiInvalidKey is a 400 INVALID_ARGUMENT with reason API_KEY_INVALID")
    func geminiInvalidKey() throws {
        let response = MockResponse.geminiInvalidKey
        #expect(response.status == 400)
        let error = try geminiError(response)
        #expect(error["code"] as? Int == 400)
        #expect(error["status"] as? String == "INVALID_ARGUMENT")
        #expect(detail("google.rpc.ErrorInfo", in: error)?["reason"] as? String == "API_KEY_INVALID")
    }

    @Test("geminiLeakedKey is a 403 PERMISSION_DENIED mentioning the leak")
    func geminiLeakedKey() throws {
        let response = MockResponse.geminiLeakedKey
        #expect(response.status == 403)
        let error = try geminiError(response)
        #expect(error["code"] as? Int == 403)
        #expect(error["status"] as? String == "PERMISSION_DENIED")
        #expect((error["message"] as? String)?.contains("leaked") == true)
    }

    @Test("geminiSuspendedKey is a 403 PERMISSION_DENIED with reason CONSUMER_SUSPENDED")
    func geminiSuspendedKey() throws {
        let response = MockResponse.geminiSuspendedKey
        #expect(response.status == 403)
        let error = try geminiError(response)
        #expect(error["status"] as? String == "PERMISSION_DENIED")
        #expect(detail("google.rpc.ErrorInfo", in: error)?["reason"] as? String == "CONSUMER_SUSPENDED")
    }

    // MARK: Server errors

    @Test("geminiServerError carries the status and its gRPC name", arguments: [
        (500, "INTERNAL"), (503, "UNAVAILABLE"), (504, "DEADLINE_EXCEEDED"),
    ])
    func geminiServerError(_ status: Int, _ name: String) throws {
        let response = MockResponse.geminiServerError(status)
        #expect(response.status == status)
        let error = try geminiError(response)
        #expect(error["code"] as? Int == status)
        #expect(error["status"] as? String == name)
        #expect((error["message"] as? String)?.isEmpty == false)
    }

    @Test("geminiServerError defaults to 503 UNAVAILABLE")
    func geminiServerErrorDefault() throws {
        let response = MockResponse.geminiServerError()
        #expect(response.status == 503)
        #expect(try geminiError(response)["status"] as? String == "UNAVAILABLE")
    }

    @Test("html502 is a 502 HTML page, not JSON")
    func html502() throws {
        let response = MockResponse.html502
        #expect(response.status == 502)
        #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
        let text = String(decoding: response.body, as: UTF8.self)
        #expect(text.contains("<html"))
        #expect(text.contains("502"))
        #expect((try? JSONSerialization.jsonObject(with: Data(response.body))) == nil)
    }

    @Test("the trailing-comma check sees commas outside strings only")
    func trailingCommaCheck() {
        #expect(hasTrailingComma(Array(#"{"a":[1,2,]}"#.utf8)))
        #expect(hasTrailingComma(Array("{\"a\":1 ,\n}".utf8)))
        #expect(!hasTrailingComma(Array(#"{"a":[1,2],"b":",]\",}"}"#.utf8)))
    }

    // MARK: Through the transport

    static let allHelpers: [(String, MockResponse)] = [
        ("geminiText", .geminiText("hi")),
        ("geminiRateLimited", .geminiRateLimited()),
        ("geminiDailyQuotaExceeded", .geminiDailyQuotaExceeded()),
        ("geminiBareRateLimited", .geminiBareRateLimited),
        ("geminiInvalidKey", .geminiInvalidKey),
        ("geminiLeakedKey", .geminiLeakedKey),
        ("geminiSuspendedKey", .geminiSuspendedKey),
        ("geminiServerError(500)", .geminiServerError(500)),
        ("geminiServerError(503)", .geminiServerError(503)),
        ("geminiServerError(504)", .geminiServerError(504)),
        ("html502", .html502),
        ("geminiBlocked", .geminiBlocked()),
    ]

    @Test("every helper arrives through send with its status, content type and body")
    func helpersThroughSend() async throws {
        let mock = MockTransport(clock: ManualClock())
        mock.enqueue(Self.allHelpers.map(\.1))

        for (name, fixture) in Self.allHelpers {
            let response = try await mock.send(makeRequest())
            #expect(response.status == fixture.status, "\(name)")
            #expect(response.head.headerFields[.contentType] == fixture.headers[.contentType], "\(name)")
            #expect(response.body == fixture.body, "\(name)")
            if name != "html502" {
                #expect(response.head.headerFields[.contentType]?.hasPrefix("application/json") == true, "\(name)")
                #expect(throws: Never.self, "\(name)") { try JSONSerialization.jsonObject(with: Data(response.body)) }
                let trailingComma = hasTrailingComma(response.body)
                #expect(!trailingComma, "\(name)")
            }
        }
        #expect(mock.requestCount == Self.allHelpers.count)
    }
}
