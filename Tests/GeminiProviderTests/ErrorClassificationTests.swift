import Foundation
import GatewayCore
import GeminiProvider
import Testing

/// Every error envelope of the reference maps to the failure kind a retry policy needs.
@Suite("Error classification")
struct ErrorClassificationTests {
    let provider = GeminiProvider.fixed(at: Instants.juneMorning)

    @Test("an envelope maps to its failure kind", arguments: ErrorFixtures.all)
    func classifies(_ fixture: ErrorFixture) throws {
        let failure = try #require(provider.parse(status: fixture.status, body: fixture.body).failure)
        #expect(failure.kind == fixture.expected)
        if let mentions = fixture.mentions {
            #expect(failure.message.contains(mentions), "message: \(failure.message)")
        }
        #expect(!failure.message.contains(ErrorFixtures.echoedKey))
        #expect(!failure.message.contains("AIza"))
        // Kept whole for redaction; cut to the display length once the gateway has masked the key.
        let shown = failure.redacting(APIKey(secret: "an-unrelated-key-0000", id: KeyID(0)))
        #expect(shown.message.count <= Failure.maxMessageLength)
    }

    @Test("server errors carry a short, tag-free snippet", arguments: ErrorFixtures.all.filter {
        if case .serverError = $0.expected { true } else { false }
    })
    func serverSnippet(_ fixture: ErrorFixture) throws {
        let failure = try #require(provider.parse(status: fixture.status, body: fixture.body).failure)
        #expect(failure.message.count <= 120)
        #expect(!failure.message.contains("<"))
        #expect(!failure.message.contains("margin"))
    }

    @Test("the HTML 502 snippet keeps the page's words")
    func htmlSnippet() throws {
        let fixture = try #require(ErrorFixtures.all.first { $0.status == 502 })
        let failure = try #require(provider.parse(status: 502, body: fixture.body).failure)
        #expect(failure.message.hasPrefix("Error 502 (Server Error)!!1 502. That’s an error."))
    }

    @Test("the failure records the HTTP status")
    func status() throws {
        for fixture in ErrorFixtures.all where fixture.status != 200 {
            #expect(provider.parse(status: fixture.status, body: fixture.body).failure?.status == fixture.status)
        }
    }

    @Test("a per-day quota cools until the next Pacific midnight, across DST changes", arguments: [
        (Instants.juneMorning, Duration.seconds(14 * 3600)),
        (Instants.springForward, .seconds(22 * 3600)),
        (Instants.beforeSpringForward, .seconds(3600)),
        (Instants.fallBack, .seconds(24 * 3600 + 1800)),
    ])
    func perDayUntilMidnight(now: Date, expected: Duration) throws {
        let fixture = try #require(ErrorFixtures.all.first { $0.name.hasPrefix("429 per-day") })
        let failure = try #require(GeminiProvider.fixed(at: now).parse(status: 429, body: fixture.body).failure)
        guard let details = failure.kind.rateLimit else {
            Issue.record("expected a rate limit, got \(failure)")
            return
        }
        #expect(details.window == .perDay)
        #expect(details.retryAfter == expected)
        #expect(details.retryAfter != .seconds(47))
    }

    @Test("bodies that are not an envelope are classified by status", arguments: [
        (400, Failure.Kind.badRequest(status: 400)), (401, .invalidKey), (402, .billing), (403, .badRequest(status: 403)),
        (404, .badRequest(status: 404)), (429, .rateLimited(RateLimitDetails(window: .unknown))),
        (500, .serverError(status: 500)), (502, .serverError(status: 502)), (503, .serverError(status: 503)),
        (302, .other), (101, .other),
    ])
    func bareStatus(status: Int, expected: Failure.Kind) throws {
        for body in ["", "Service Unavailable", "{\"unexpected\":true}", "[]", "[1]", "null"] {
            let failure = try #require(provider.parse(status: status, body: body).failure)
            #expect(failure.kind == expected, "body \(body)")
        }
    }

    @Test("limit: 0 is matched only as a whole number", arguments: [
        ("limit: 0, model: x", true), ("limit: 0", true), ("limit: 0\nPlease", true),
        ("limit: 05", false), ("limit: 0.5", false), ("limit: 10", false), ("no limit", false),
    ])
    func limitZero(message: String, isZero: Bool) throws {
        let body = #"{"error":{"code":429,"message":"\#(message.replacingOccurrences(of: "\n", with: "\\n"))","status":"RESOURCE_EXHAUSTED"}}"#
        let failure = try #require(provider.parse(status: 429, body: body).failure)
        guard let details = failure.kind.rateLimit else {
            Issue.record("expected a rate limit, got \(failure)")
            return
        }
        #expect((details.window == .perDay) == isZero)
    }
}
