import GatewayCore
import GeminiProvider
import MockTransport
import Testing

/// Gemini quotas are per project *and* model: each model is paced and cooled on its own.
@Suite("Per-model quota scopes")
struct QuotaScopeTests {
    let clock = ManualClock()
    let mock: MockTransport
    let gateway: Gateway<GeminiProvider>
    static let first = "fake-scope-test-key-0001"
    static let second = "fake-scope-test-key-0002"

    init() throws {
        mock = MockTransport(clock: clock)
        gateway = try Gateway.builder()
            .keys(.entries([.init(secret: Self.first, project: "p1"), .init(secret: Self.second, project: "p2")]))
            .rateLimit(.tokenBucket(requests: 1, per: .seconds(60)))
            .transport(mock)
            .provider(GeminiProvider.fixed())
            .clock(clock)
            .build()
    }

    func generate(_ model: String, task: TaskID = "t") async throws -> String {
        let gateway = gateway
        return try await drive(clock) {
            try await gateway.withClient(task: task) { try await $0.generate("hi", model: model) }
        }
    }

    @Test("the quota model of a request is its model's resource name")
    func quotaModelIsModel() {
        let provider = GeminiProvider()
        #expect(provider.quotaModel(of: .plain) == "models/gemini-2.5-flash")
        #expect(provider.quotaModel(of: .listModels()) == "models.list")
    }

    @Test("two models on one project are paced apart: the second model does not wait for the first")
    func pacedPerModel() async throws {
        mock.setDefault(.geminiText("ok"))
        let gateway = gateway
        try await drive(clock) {
            try await gateway.withClient(task: "t") { client in
                for model in ["gemini-2.5-flash", "gemini-2.5-pro", "gemini-2.5-flash"] { _ = try await client.generate("hi", model: model) }
            }
        }
        let times = mock.requests.map { $0.at.offset }
        #expect(times[0] == .zero && times[1] == .zero)   // another model: no wait
        #expect(times[2] == .seconds(60))                   // same model, same project: one per minute
        #expect(Set(mock.requests.map(\.apiKey)) == [Self.first])
    }

    @Test("a model's daily quota cools that model on the project only; the project's other models go on")
    func dailyQuotaPerModel() async throws {
        mock.enqueue(.geminiDailyQuotaExceeded(model: "gemini-2.5-pro"), when: .key(Self.first))
        mock.setDefault(.geminiText("ok"))
        #expect(try await generate("gemini-2.5-pro") == "ok")
        #expect(mock.requests.map(\.apiKey) == [Self.first, Self.second])  // rotated to the other project at once

        let key = gateway.snapshot().keys[0]
        #expect(key.health == .active)
        #expect(key.modelCooling["models/gemini-2.5-pro"] != nil)
        #expect("\(key)".contains("models/gemini-2.5-pro"))

        _ = try await generate("gemini-2.5-flash", task: "other")  // same first key, another model: used
        #expect(mock.requests.last?.apiKey == Self.first)
        #expect(mock.requests.last!.at.offset == .zero)
    }
}
