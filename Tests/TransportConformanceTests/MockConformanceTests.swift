import GatewayCore
import MockTransport
import Testing
import TransportConformance

@Suite("MockTransport passes the transport conformance suite", .timeLimit(.minutes(1)))
struct MockConformanceTests {
    @Test(arguments: TransportConformance.Check.allCases)
    func conforms(_ check: TransportConformance.Check) async throws {
        let conformance = TransportConformance(transport: referenceMock(authority: "conformance.test"), authority: "conformance.test")
        try await conformance.run(check)
    }
}
