#if Emulator  // the server needs SwiftNIO, resolved only with the package's Emulator trait
import CurlTransport
import Foundation
import GatewayCore
import GeminiEmulator
import HTTPTypes
import Testing

@Suite("Emulator over HTTP: quotas and the audit", .timeLimit(.minutes(1)))
struct QuotaHTTPTests {
    /// Seconds in a protobuf Duration string such as `"0.734s"`.
    private func seconds(_ text: String?) -> Double? {
        guard let text, text.hasSuffix("s") else { return nil }
        return Double(text.dropLast())
    }

    @Test("after rpm requests a project gets 429 with QuotaFailure, Help and RetryInfo")
    func rateLimited() async throws {
        try await Harness.with(Harness.configuration(quotas: ["*": ModelQuota(rpm: 3)])) { harness in
            for _ in 0..<3 { #expect(try await harness.generate().status == 200) }
            let response = try await harness.generate()
            #expect(response.status == 429)
            let error = try #require(JSON.error(response.body))
            #expect(error["status"] as? String == "RESOURCE_EXHAUSTED")
            let violation = try #require((JSON.detail(response.body, "QuotaFailure")?["violations"] as? [[String: Any]])?.first)
            #expect(violation["quotaMetric"] as? String == "generativelanguage.googleapis.com/generate_content_free_tier_requests")
            #expect(violation["quotaId"] as? String == "GenerateRequestsPerMinutePerProjectPerModel-FreeTier")
            #expect(violation["quotaDimensions"] as? [String: String] == ["location": "global", "model": "gemini-2.5-flash"])
            #expect(violation["quotaValue"] as? String == "3")
            #expect(JSON.detail(response.body, "Help") != nil)
            let delayText = try #require(JSON.detail(response.body, "RetryInfo")?["retryDelay"] as? String)
            let delay = try #require(seconds(delayText))
            #expect(delay > 0 && delay <= 60)   // the time until the window frees (less on a slow machine)
            #expect(delayText.split(separator: ".").last.map { $0.count <= 4 } ?? true, "at most 3 decimals")
            #expect((error["message"] as? String)?.contains("Please retry in \(delayText).") == true)
            #expect(JSON.object(try await harness.post("countTokens").body)?["totalTokens"] != nil, "countTokens draws no quota")

            let audit = harness.emulator.audit()
            #expect(audit.key("main")?.succeeded == 4, "three generates and the countTokens")
            #expect(audit.key("main")?.rateLimited == 1)
            let project = try #require(audit.project("p1"))
            #expect(project.requests == 4)
            #expect(project.admitted == 3)
            #expect(project.rateLimited == 1)
            #expect(project.maxAdmittedInAnyWindow == 3)
            #expect(project.windowLimit == 3)
            #expect(project.perModel["gemini-2.5-flash"] == ModelAudit(admitted: 3, rateLimited: 1, maxAdmittedInAnyWindow: 3, rpm: 3))
        }
    }

    @Test("a 429 on an SSE stream is a plain JSON envelope under the event-stream content type, as the real API sends it")
    func rateLimitedStream() async throws {
        try await Harness.with(Harness.configuration(quotas: ["*": ModelQuota(rpm: 1)])) { harness in
            #expect(try await harness.post("streamGenerateContent?alt=sse").status == 200)
            let refused = try await harness.post("streamGenerateContent?alt=sse")
            #expect(refused.status == 429)
            #expect(refused.contentType == "text/event-stream")
            #expect(JSON.error(refused.body)?["code"] as? Int == 429)
        }
    }

    @Test("keys of one project share its window; other projects and models have their own")
    func sharedByProject() async throws {
        let configuration = Harness.configuration(
            extraKeys: [EmulatorKey(key: "fake-second-key-same-project", project: "p1"), EmulatorKey(key: "fake-third-key-other-project", project: "p2")],
            quotas: ["*": ModelQuota(rpm: 1)])
        try await Harness.with(configuration) { harness throws in
            #expect(try await harness.generate().status == 200)
            #expect(try await harness.generate(key: "fake-second-key-same-project").status == 429)
            #expect(try await harness.generate(key: "fake-third-key-other-project").status == 200)
            #expect(try await harness.generate(model: "gemini-2.5-pro").status == 200)
            #expect(try await harness.post("embedContent", model: "text-embedding-004", json: #"{"content":{"parts":[{"text":"a"}]}}"#).status == 200)
            #expect(try await harness.post("embedContent", model: "text-embedding-004", json: #"{"content":{"parts":[{"text":"a"}]}}"#).status == 429, "embeddings draw quota")
        }
    }

    @Test("with a time scale the window slides in real time and the advertised delay is enough")
    func slidesInRealTime() async throws {
        // A quota minute of 1.2 s. Requests go out until one is refused (slow machines may need more than 2).
        try await Harness.with(Harness.configuration(quotas: ["*": ModelQuota(rpm: 2)], timeScale: 0.02)) { harness in
            var refused: TransportResponse?
            for _ in 0..<20 where refused == nil {
                let response = try await harness.generate()
                if response.status == 429 { refused = response } else { #expect(response.status == 200) }
            }
            let body = try #require(refused?.body)
            let delay = try #require(seconds(JSON.detail(body, "RetryInfo")?["retryDelay"] as? String))
            #expect(delay > 0 && delay <= 1.2)
            // Real time is what this test is about; waiting longer than advertised is always safe.
            try await Task.sleep(for: .milliseconds(Int(delay * 1000) + 200))
            #expect(try await harness.generate().status == 200)
            #expect(harness.emulator.audit().project("p1")?.maxAdmittedInAnyWindow == 2)
        }
    }

    @Test("a per-day quota is refused with the PerDay quota id")
    func perDay() async throws {
        try await Harness.with(Harness.configuration(quotas: ["*": ModelQuota(rpd: 1)])) { harness in
            #expect(try await harness.generate().status == 200)
            let refused = try await harness.generate()
            #expect(refused.status == 429)
            let violation = (JSON.detail(refused.body, "QuotaFailure")?["violations"] as? [[String: Any]])?.first
            #expect(violation?["quotaId"] as? String == "GenerateRequestsPerDayPerProjectPerModel-FreeTier")
            #expect(JSON.detail(refused.body, "RetryInfo")?["retryDelay"] as? String == "47s")
        }
    }

    @Test("GET /emulator/audit serves the counts and never a whole key; POST /emulator/reset clears them")
    func auditEndpoint() async throws {
        let suspended = "fake-SuspendedKeyThatMustNotLeak-9876"
        let unlabelled = "fake-UnlabelledKeyThatMustNotLeak-5432"
        let configuration = Harness.configuration(extraKeys: [
            EmulatorKey(key: suspended, project: "p2", state: .suspended),
            EmulatorKey(key: unlabelled, project: "p3"),
        ])
        try await Harness.with(configuration) { harness in
            #expect(try await harness.generate().status == 200)
            #expect(try await harness.generate(key: suspended).status == 403)
            #expect(try await harness.generate(key: unlabelled).status == 200)
            #expect(try await harness.generate(key: "AIzaUnknown-1234567890").status == 400)

            let response = try await harness.get("/emulator/audit", key: nil)
            #expect(response.status == 200)
            for key in [Harness.key, suspended, unlabelled] { #expect(!response.text.contains(key)) }
            let audit = try JSONDecoder().decode(EmulatorAudit.self, from: Data(response.body))
            #expect(audit == harness.emulator.audit())
            #expect(audit.totalRequests == 4)
            #expect(audit.keys.map(\.label) == ["main", "…9876", "…5432"])
            #expect(audit.keys.map(\.requests) == [1, 1, 1])
            #expect(audit.keys[1].rejected == 1)
            #expect(audit.projects.map(\.project) == ["p1", "p2", "p3"])
            #expect(audit.projects.map(\.admitted) == [1, 0, 1])

            let reset = try await harness.transport.send(harness.request(.post, "/emulator/reset", key: nil))
            #expect(reset.status == 200)
            let cleared = harness.emulator.audit()
            #expect(cleared.totalRequests == 0)
            #expect(cleared.keys.allSatisfy { $0.requests == 0 })
            #expect(cleared.projects.allSatisfy { $0.admitted == 0 })
        }
    }

    @Test("concurrent clients never get more than rpm admitted in a window")
    func concurrentAdmission() async throws {
        try await Harness.with(Harness.configuration(quotas: ["*": ModelQuota(rpm: 10)])) { harness in
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<40 { group.addTask { try await harness.generate().status } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 200 }.count == 10)
            #expect(statuses.filter { $0 == 429 }.count == 30)
            let project = harness.emulator.audit().project("p1")
            #expect(project?.maxAdmittedInAnyWindow == 10)
            #expect(project?.rateLimited == 30)
        }
    }
}
#endif
