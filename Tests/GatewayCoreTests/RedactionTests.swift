import GatewayCore
import MockTransport
import Testing

@Suite("Redaction cannot be defeated by truncation or case")
struct RedactionTests {
    static let secret = "Redact-Me-Secret-0123456789-abcdefGHIJ"
    static let key = APIKey(secret: secret, id: KeyID(0))

    /// Whether `text` holds any run of 8 or more of the key's consecutive characters, in any case.
    static func leaks(_ text: String) -> Bool {
        let lower = text.lowercased()
        let secret = Array(Self.secret.lowercased())
        for start in 0...(secret.count - 8) where lower.contains(String(secret[start..<start + 8])) { return true }
        return false
    }

    @Test("the whole key, anywhere, in any case", arguments: [secret, secret.lowercased(), secret.uppercased()])
    func wholeKey(_ echoed: String) {
        let redacted = Self.key.redact(in: "API key not valid: \(echoed). Please pass a valid key.")
        #expect(!Self.leaks(redacted))
        #expect(redacted.contains(Self.key.masked))
        #expect(redacted.hasPrefix("API key not valid: ") && redacted.hasSuffix(". Please pass a valid key."))
    }

    @Test("a part of 8 characters or more is masked; 7 are not a trace")
    func parts() {
        let first20 = String(Self.secret.prefix(20))
        #expect(!Self.leaks(Self.key.redact(in: "key=\(first20)…")))
        let middle = String(Array(Self.secret)[10..<18])
        #expect(!Self.leaks(Self.key.redact(in: "x \(middle) y")))
        #expect(Self.key.redact(in: "short Redact-") == "short Redact-")
    }

    @Test("a key behind 250 characters of message is masked before the message is cut to 300")
    func beforeTruncation() {
        let message = String(repeating: "m", count: 250) + Self.secret
        let failure = Failure(.invalidKey, status: 400, message: message).redacting(Self.key)
        #expect(failure.message.count <= Failure.maxMessageLength)
        #expect(!Self.leaks(failure.message))
        #expect(!Self.leaks("\(failure)"))
    }

    @Test("through the gateway: an echoed key reaches no error, trail or snapshot")
    func throughGateway() async throws {
        let h = try Harness(keys: .list([Self.secret]))
        let body = #"{"error":{"code":400,"message":"\#(String(repeating: "m", count: 250))\#(Self.secret.lowercased())","status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID"}]}}"#
        h.mock.setDefault(.json(body, status: 400))
        let gateway = h.gateway
        let error = await #expect(throws: GatewayError.self) {
            try await h.run { try await gateway.withClient(task: "t") { try await $0.send(.init("p")) } }
        }
        #expect(!Self.leaks("\(try #require(error))"))
        #expect(!Self.leaks(try #require(error).reason))
        #expect(!Self.leaks("\(gateway.snapshot())"))
    }
}
