import CurlTransport
import GatewayCore
import HTTPTestServer
import Testing
import TransportConformance

@Suite("CurlTransport passes the transport conformance suite against a real server", .timeLimit(.minutes(1)))
struct CurlConformanceTests {
    @Test(arguments: TransportConformance.Check.allCases)
    func conforms(_ check: TransportConformance.Check) async throws {
        let server = HTTPTestServer()
        let port = try server.start()
        defer { server.stop() }
        try await CurlTransport.withTransport { transport in
            try await TransportConformance(transport: transport, authority: "127.0.0.1:\(port)").run(check)
            // Whatever the check did, the driver owns nothing afterwards.
            try await waitUntil { transport.liveHandles == 0 }
        }
    }
}
