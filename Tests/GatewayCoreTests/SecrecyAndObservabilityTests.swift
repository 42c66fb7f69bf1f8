import GatewayCore
import Logging
import MetricsTestKit
import MockTransport
import Testing

@Suite("Keys stay secret; logs and metrics tell what happened")
struct SecrecyAndObservabilityTests {
    @Test("no key text in logs at trace level, errors, attempt trails or snapshots — even when the server echoes the key")
    func keysNeverLeak() async throws {
        let clock = ManualClock()
        let mock = MockTransport(clock: clock)
        let secrets = Harness.secrets(3)
        let capture = LogCapture()
        // Gemini's "suspended" body names the key itself.
        mock.setDefault(.json("""
            {"error":{"code":403,"message":"Permission denied: Consumer 'api_key:\(secrets[0])' has been suspended.","status":"PERMISSION_DENIED"}}
            """, status: 403), when: .key(secrets[0]))
        mock.setDefault(.geminiInvalidKey, when: .key(secrets[1]))
        mock.setDefault(.geminiRateLimited(retryDelay: "1s"), when: .key(secrets[2]))
        let gateway = try Gateway.builder()
            .keys(.list(secrets + [secrets[0]]))  // a duplicate, to exercise the warning
            .transport(mock)
            .provider(TestProvider())
            .clock(clock)
            .logger(capture.logger())
            .build()

        let error = await #expect(throws: GatewayError.self) {
            try await drive(clock) { try await gateway.withClient(task: "t") { try await $0.send(.init("p")) } }
        }
        let texts = capture.all + gateway.keyWarnings + [
            String(describing: error), String(reflecting: error), gateway.snapshot().description,
            "\(gateway.keys)", String(reflecting: gateway.keys),
        ] + (error?.attempts.map(\.description) ?? [])
        #expect(!capture.all.isEmpty)
        #expect(gateway.keyWarnings == ["key #4 duplicates key #1 and was dropped"])
        for secret in secrets {
            for text in texts {
                #expect(!text.contains(secret), "key text leaked into: \(text)")
            }
        }
        // The redacted reason is still useful.
        guard case .disabled(let reason) = gateway.snapshot().keys[0].health else {
            Issue.record("key #1 should be disabled")
            return
        }
        #expect(reason.contains("suspended"))
        #expect(reason.contains("…"))
    }

    @Test("counters per attempt outcome, rotation and call result")
    func metrics() async throws {
        let clock = ManualClock()
        let mock = MockTransport(clock: clock)
        let metrics = TestMetrics()
        let secrets = Harness.secrets(2)
        mock.enqueue(.geminiInvalidKey, when: .key(secrets[0]))
        mock.enqueue(.geminiServerError(500), .geminiText("ok"), when: .key(secrets[1]))
        let gateway = try Gateway.builder()
            .keys(.list(secrets))
            .retryPolicy(ClassifyingRetryPolicy(random: .constant(0)))
            .transport(mock)
            .provider(TestProvider())
            .clock(clock)
            .metrics(metrics)
            .build()
        _ = try await drive(clock) { try await gateway.withClient(task: "t") { try await $0.send(.init("p")) } }

        func count(_ label: String, _ dimensions: [(String, String)] = []) throws -> Int64 {
            try metrics.expectCounter(label, dimensions).totalValue
        }
        #expect(try count("llmgateway_attempts_total", [("outcome", "invalid_key")]) == 1)
        #expect(try count("llmgateway_attempts_total", [("outcome", "server_error")]) == 1)
        #expect(try count("llmgateway_attempts_total", [("outcome", "success")]) == 1)
        #expect(try count("llmgateway_rotations_total") == 1)
        #expect(try count("llmgateway_calls_total", [("result", "success")]) == 1)
    }
}
