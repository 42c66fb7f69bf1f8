#if Emulator  // the server needs SwiftNIO, resolved only with the package's Emulator trait
import CurlTransport
import Foundation
import GatewayCore
import GeminiEmulator
import HTTPTypes
import Testing

@Suite("Emulator over HTTP: seeded fault injection", .timeLimit(.minutes(1)))
struct FaultHTTPTests {
    private func withFaults<R>(_ faults: FaultPlan, seed: UInt64 = 1, _ body: (Harness) async throws -> R) async throws -> R {
        try await Harness.with(Harness.configuration(faults: faults, seed: seed), body)
    }

    @Test("server errors: 500 INTERNAL, 503 UNAVAILABLE, 504 DEADLINE_EXCEEDED", arguments: [
        (FaultPlan(internalError: 1), 500, "INTERNAL"),
        (FaultPlan(unavailable: 1), 503, "UNAVAILABLE"),
        (FaultPlan(deadlineExceeded: 1), 504, "DEADLINE_EXCEEDED"),
    ])
    func serverErrors(plan: FaultPlan, status: Int, name: String) async throws {
        try await withFaults(plan) { harness in
            let response = try await harness.generate()
            #expect(response.status == status)
            #expect(JSON.error(response.body)?["status"] as? String == name)
            if status == 503 { #expect(JSON.error(response.body)?["message"] as? String == "The model is overloaded. Please try again later.") }
            let audit = harness.emulator.audit()
            #expect(audit.key("main")?.faults == 1)
            #expect(audit.project("p1")?.admitted == 1, "a faulted request still counts against the quota")
        }
    }

    @Test("a reset connection is a transport error")
    func connectionReset() async throws {
        try await withFaults(FaultPlan(connectionReset: 1)) { harness in
            await #expect(throws: TransportError.self) { _ = try await harness.generate() }
            #expect(harness.emulator.audit().key("main")?.faults == 1)
        }
    }

    @Test("a 502 comes as an HTML page")
    func htmlBadGateway() async throws {
        try await withFaults(FaultPlan(htmlBadGateway: 1)) { harness in
            let response = try await harness.generate()
            #expect(response.status == 502)
            #expect(response.contentType?.hasPrefix("text/html") == true)
            #expect(response.text.contains("<title>Error 502 (Server Error)!!1</title>"))
            #expect(JSON.object(response.body) == nil)
        }
    }

    @Test("a malformed body is 200 with truncated JSON")
    func malformed() async throws {
        try await withFaults(FaultPlan(malformedBody: 1)) { harness in
            let response = try await harness.generate()
            #expect(response.status == 200)
            #expect(response.text.hasPrefix("{\"candidates\":"))
            #expect(JSON.object(response.body) == nil)
        }
    }

    @Test("a blocked prompt has promptFeedback and no candidates")
    func blocked() async throws {
        try await withFaults(FaultPlan(blockedPrompt: 1)) { harness in
            let body = JSON.object(try await harness.generate().body)
            #expect(body?["candidates"] == nil)
            #expect((body?["promptFeedback"] as? [String: Any])?["blockReason"] as? String == "SAFETY")
            #expect(try await harness.post("embedContent", model: "text-embedding-004", json: #"{"content":{"parts":[{"text":"a"}]}}"#).status == 200, "embeddings cannot be blocked")
        }
    }

    @Test("SAFETY and MAX_TOKENS candidates without text")
    func finishReasons() async throws {
        try await withFaults(FaultPlan(safety: 1)) { harness in
            let candidate = JSON.candidate(JSON.object(try await harness.generate().body))
            #expect(candidate?["finishReason"] as? String == "SAFETY")
            #expect(candidate?["content"] == nil)
            #expect(candidate?["safetyRatings"] is [[String: Any]])
        }
        try await withFaults(FaultPlan(maxTokens: 1)) { harness in
            let candidate = JSON.candidate(JSON.object(try await harness.generate().body))
            #expect(candidate?["finishReason"] as? String == "MAX_TOKENS")
            #expect(candidate?["content"] as? [String: String] == ["role": "model"])
        }
    }

    @Test("a slow answer arrives after slowMilliseconds and is audited as a success")
    func slow() async throws {
        try await withFaults(FaultPlan(slow: 1, slowMilliseconds: 300)) { harness in
            let clock = ContinuousClock()
            let start = clock.now
            let response = try await harness.generate()
            #expect(clock.now - start >= .milliseconds(300))
            #expect(response.status == 200)
            #expect(harness.emulator.audit().key("main")?.succeeded == 1)
        }
    }

    @Test("a cut stream delivers the first event, then fails or ends early")
    func streamCut() async throws {
        try await withFaults(FaultPlan(streamCut: 1)) { harness in
            let request = harness.request(.post, "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", key: Harness.key, body: Array(Harness.prompt("a story about a dragon").utf8))
            let response = try await harness.transport.stream(request)
            #expect(response.head.status.code == 200)
            var received: [UInt8] = []
            var failed = false
            do {
                for try await chunk in response.body { received += chunk }
            } catch {
                failed = true
            }
            let events = sseEvents(String(decoding: received, as: UTF8.self))
            #expect(failed, "curl reports the unfinished chunked body")
            #expect(events.count == 1)
            #expect(JSON.candidate(JSON.object(Array(events[0].utf8)))?["finishReason"] == nil)
            #expect(try await harness.generate().status == 200, "unary calls cannot be cut")
        }
    }

    @Test("a blocked prompt on a stream is one event with promptFeedback only")
    func blockedStream() async throws {
        try await withFaults(FaultPlan(blockedPrompt: 1)) { harness in
            let response = try await harness.post("streamGenerateContent?alt=sse")
            let events = sseEvents(response.text)
            #expect(events.count == 1)
            let event = JSON.object(Array(events[0].utf8))
            #expect(event?["candidates"] == nil)
            #expect((event?["promptFeedback"] as? [String: Any])?["blockReason"] as? String == "SAFETY")
        }
    }

    @Test("a stream error event follows the first event")
    func streamError() async throws {
        try await withFaults(FaultPlan(streamError: 1)) { harness in
            let response = try await harness.post("streamGenerateContent?alt=sse")
            #expect(response.status == 200)
            let events = sseEvents(response.text)
            #expect(events.count == 2)
            let error = JSON.object(Array(events[1].utf8))?["error"] as? [String: Any]
            #expect(error?["code"] as? Int == 500)
            #expect(error?["status"] as? String == "INTERNAL")
        }
    }

    @Test("the same seed gives the same faults; faults mix with normal answers")
    func reproducible() async throws {
        func statuses(seed: UInt64) async throws -> [Int] {
            try await withFaults(FaultPlan(internalError: 0.3, unavailable: 0.2), seed: seed) { harness in
                var statuses: [Int] = []
                for _ in 0..<30 { statuses.append(try await harness.generate().status) }
                return statuses
            }
        }
        let first = try await statuses(seed: 7)
        #expect(try await statuses(seed: 7) == first)
        #expect(Set(first) == [200, 500, 503])
        #expect(try await statuses(seed: 8) != first)
    }
}
#endif
