#if Emulator  // the server needs SwiftNIO, resolved only with the package's Emulator trait
import CurlTransport
import GatewayCore
import GeminiEmulator
import Testing

@Suite("Emulator over HTTP: keys and request errors", .timeLimit(.minutes(1)))
struct AuthHTTPTests {
    struct Expectation: Sendable, CustomTestStringConvertible {
        var state: KeyState
        var status: Int
        var rpcStatus: String
        var reason: String?
        var message: String?
        var testDescription: String { state.rawValue }
    }

    static let expectations: [Expectation] = [
        Expectation(state: .invalid, status: 400, rpcStatus: "INVALID_ARGUMENT", reason: "API_KEY_INVALID", message: "API key not valid. Please pass a valid API key."),
        Expectation(state: .expired, status: 400, rpcStatus: "INVALID_ARGUMENT", reason: "API_KEY_INVALID", message: "API key expired. Please renew the API key."),
        Expectation(state: .unauthenticated, status: 401, rpcStatus: "UNAUTHENTICATED", reason: "ACCESS_TOKEN_TYPE_UNSUPPORTED"),
        Expectation(state: .suspended, status: 403, rpcStatus: "PERMISSION_DENIED", reason: "CONSUMER_SUSPENDED", message: "Permission denied: Consumer 'api_key:AIzaState-key-suspended' has been suspended."),
        Expectation(state: .leaked, status: 403, rpcStatus: "PERMISSION_DENIED", message: "Your API key was reported as leaked. Please use another API key."),
        Expectation(state: .serviceDisabled, status: 403, rpcStatus: "PERMISSION_DENIED", reason: "SERVICE_DISABLED"),
        Expectation(state: .prepayDepleted, status: 402, rpcStatus: "RESOURCE_EXHAUSTED"),
    ]

    @Test("each key state gets the real status, status name and ErrorInfo reason", arguments: expectations)
    func keyState(_ expected: Expectation) async throws {
        let key = "AIzaState-key-\(expected.state.rawValue)"
        let configuration = Harness.configuration(extraKeys: [EmulatorKey(key: key, project: "p2", state: expected.state)])
        try await Harness.with(configuration) { harness in
            let response = try await harness.generate(key: key)
            #expect(response.status == expected.status)
            let error = try #require(JSON.error(response.body))
            #expect(error["code"] as? Int == expected.status)
            #expect(error["status"] as? String == expected.rpcStatus)
            #expect(JSON.detail(response.body, "ErrorInfo")?["reason"] as? String == expected.reason)
            if let message = expected.message { #expect(error["message"] as? String == message) }
            let audit = harness.emulator.audit()
            #expect(audit.keys[1].rejected == 1)
            #expect(audit.keys[1].requests == 1)
            #expect(audit.project("p2")?.requests == 0, "refused keys never reach the quota")
        }
    }

    @Test("suspended and disabled bodies name the consumer project; the suspended one echoes the key")
    func consumerMetadata() async throws {
        let configuration = Harness.configuration(extraKeys: [
            EmulatorKey(key: "AIzaSuspended-0001", project: "p2", state: .suspended),
            EmulatorKey(key: "AIzaDisabled-0002", project: "p2", state: .serviceDisabled),
        ])
        try await Harness.with(configuration) { harness in
            let suspended = JSON.detail(try await harness.generate(key: "AIzaSuspended-0001").body, "ErrorInfo")?["metadata"] as? [String: Any]
            let disabled = JSON.detail(try await harness.generate(key: "AIzaDisabled-0002").body, "ErrorInfo")?["metadata"] as? [String: Any]
            #expect(suspended?["containerInfo"] as? String == "api_key:AIzaSuspended-0001")
            let consumer = try #require(suspended?["consumer"] as? String)
            #expect(consumer.hasPrefix("projects/") && consumer.dropFirst(9).allSatisfy(\.isNumber))
            #expect(disabled?["consumer"] as? String == consumer, "one project, one number")
        }
    }

    @Test("no key is 403 for unregistered callers; an unknown key is API_KEY_INVALID")
    func missingAndUnknownKeys() async throws {
        try await Harness.with { harness in
            let none = try await harness.generate(key: nil)
            #expect(none.status == 403)
            #expect(JSON.error(none.body)?["message"] as? String == "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.")
            #expect(JSON.error(none.body)?["status"] as? String == "PERMISSION_DENIED")
            let empty = try await harness.generate(key: "")
            #expect(empty.status == 403)
            let unknown = try await harness.generate(key: "AIzaNobodyKnowsMe")
            #expect(unknown.status == 400)
            #expect(JSON.detail(unknown.body, "ErrorInfo")?["reason"] as? String == "API_KEY_INVALID")
            #expect(JSON.detail(unknown.body, "LocalizedMessage")?["message"] as? String == "API key not valid. Please pass a valid API key.")
            #expect(harness.emulator.audit().totalRequests == 3)
        }
    }

    @Test("malformed JSON, missing contents, unknown fields and bad roles are 400 INVALID_ARGUMENT", arguments: [
        ("{not json", "Invalid JSON payload received. Unexpected token."),
        ("[1,2]", "Invalid JSON payload received. Expected an object."),
        ("{}", "* GenerateContentRequest.contents: contents is not specified\n"),
        (#"{"contents":[]}"#, "* GenerateContentRequest.contents: contents is not specified\n"),
        (#"{"contents":[{"parts":[]}]}"#, "* GenerateContentRequest.contents[0].parts: contents.parts must not be empty.\n"),
        (#"{"contents":[{"parts":[{"text":"x"}]}],"temperature":1}"#, #"Invalid JSON payload received. Unknown name "temperature": Cannot find field."#),
        (#"{"contents":[{"parts":[{"text":"x"}]}],"generationConfig":{"maxTokens":5}}"#, #"Invalid JSON payload received. Unknown name "maxTokens" at 'generation_config': Cannot find field."#),
        (#"{"contents":[{"role":"assistant","parts":[{"text":"x"}]}]}"#, "Please use a valid role: user, model."),
        (#"{"contents":[{"parts":[{"text":5}]}]}"#, "Invalid value at 'contents[0].parts[0].text' (TYPE_STRING), 5"),
    ])
    func badRequests(body: String, message: String) async throws {
        try await Harness.with { harness in
            let response = try await harness.generate(json: body)
            #expect(response.status == 400)
            #expect(JSON.error(response.body)?["status"] as? String == "INVALID_ARGUMENT")
            #expect(JSON.error(response.body)?["message"] as? String == message)
            #expect(harness.emulator.audit().project("p1")?.requests == 0, "bad requests do not draw quota")
        }
    }

    @Test("a body over 20 MiB is refused with 400 and the server keeps serving")
    func oversizedBody() async throws {
        try await Harness.with { harness in
            let padding = String(repeating: "x", count: 21 * 1024 * 1024)
            let response = try await harness.generate(json: Harness.prompt(padding))
            #expect(response.status == 400)
            #expect(JSON.error(response.body)?["message"] as? String == "Request payload size exceeds the limit: 20971520 bytes.")
            #expect(try await harness.generate().status == 200)
        }
    }
}
#endif
