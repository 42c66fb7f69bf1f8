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

/// Polls `condition` for up to 5 s of real time (the driver finishes work on its own thread).
func waitUntil(_ condition: @Sendable () -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(5)
    while !condition() {
        if ContinuousClock.now > deadline { throw WaitTimeout() }
        try await Task.sleep(for: .milliseconds(5))
    }
}

struct WaitTimeout: Error, CustomStringConvertible {
    var description: String { "condition not met within 5 s" }
}
