import GatewayCore
import HTTPTypes
import MockTransport
import Testing

/// A provider that cannot encode some requests, and checks its settings.
struct PickyProvider: Provider {
    struct Unencodable: Error, CustomStringConvertible {
        var description: String { "the prompt holds a lone surrogate" }
    }
    struct BadSetting: Error, CustomStringConvertible {
        var description: String { "invalid base URL: 'not a url'" }
    }
    var validSettings = true

    func makeRequest(_ request: String, key: APIKey) throws -> TransportRequest {
        if request == "bad" { throw Unencodable() }
        var fields = HTTPFields()
        fields[HTTPField.Name("x-goog-api-key")!] = key.revealSecret()
        return TransportRequest(head: HTTPRequest(method: .post, scheme: "https", authority: "picky.invalid", path: "/", headerFields: fields))
    }
    func parse(_ response: TransportResponse, for request: String) -> Result<String, Failure> { .success("ok") }
    func validate() throws { if !validSettings { throw BadSetting() } }
}

@Suite("Gateway errors say what happened")
struct GatewayErrorTests {
    @Test("a request the provider cannot encode keeps the provider's reason")
    func invalidRequest() async throws {
        let clock = ManualClock()
        let gateway = try Gateway.builder().keys(["picky-secret-00000001"]).transport(MockTransport(clock: clock))
            .provider(PickyProvider()).clock(clock).build()
        let error = await #expect(throws: GatewayError.self) {
            try await gateway.withClient(task: "t") { try await $0.send("bad") }
        }
        let gatewayError = try #require(error)
        #expect(gatewayError.kind == .invalidRequest)
        #expect(gatewayError.invalidRequestReason == "the prompt holds a lone surrogate")
        #expect(gatewayError.reason == "invalid request: the prompt holds a lone surrogate")
        #expect(gatewayError.failure == nil && gatewayError.exhaustedKeys == nil && gatewayError.deadline == nil)
    }

    @Test("build() runs the provider's own check and fails with its reason")
    func providerValidation() throws {
        let error = #expect(throws: ConfigurationError.self) {
            try Gateway.builder().keys(["picky-secret-00000001"]).transport(MockTransport(clock: ManualClock()))
                .provider(PickyProvider(validSettings: false)).build()
        }
        #expect("\(try #require(error))".contains("invalid base URL: 'not a url'"))
    }

    @Test("a stopped call: kind .failed, the failure, one line of reason and the trail in the description")
    func failed() async throws {
        let h = try Harness(keyCount: 1)
        h.mock.setDefault(.geminiBlocked())
        let gateway = h.gateway
        let error = await #expect(throws: GatewayError.self) {
            try await h.run { try await gateway.withClient(task: "t") { try await $0.send(.init("p")) } }
        }
        let gatewayError = try #require(error)
        #expect(gatewayError.kind == .failed)
        #expect(gatewayError.failure?.kind.category == .blocked)
        #expect(!gatewayError.reason.contains("\n"))
        #expect("\(gatewayError)".contains("attempt 1 on #1"))
        #expect(gatewayError.shortDescription == "blocked")
    }
}
