import Foundation
import GatewayCore
import HTTPTypes
import MockTransport
import Testing

/// Recording exchanges through a `RecordingTransport`, writing and reading cassette files, and
/// replaying them with a `ReplayTransport`.
@Suite("Cassettes: record and replay", .timeLimit(.minutes(1)))
struct CassetteTests {
    let mock = MockTransport(clock: ManualClock())

    // MARK: Round trips

    @Test("a plain response replays with the same status, headers and body bytes")
    func sendRoundTrip() async throws {
        try await withScratchFolder { folder in
            var headers = HTTPFields()
            headers[.contentType] = "application/json; charset=UTF-8"
            headers.append(HTTPField(name: HTTPField.Name("X-Request-Id")!, value: "r-1"))
            headers.append(HTTPField(name: .setCookie, value: "a=1"))
            headers.append(HTTPField(name: .setCookie, value: "b=2"))
            let body: [UInt8] = Array(#"{"ok":true,"bytes":"\#u{00}\#u{FF}é"}"#.utf8) + [0x00, 0xFF, 0x80]
            mock.enqueue(MockResponse(status: 201, headers: headers, chunks: [body]))

            let path = folder + "/plain.json.gz"
            let recorder = RecordingTransport(wrapping: mock, cassettePath: path)
            let request = makeRequest(body: #"{"prompt":"hi"}"#)
            let live = try await recorder.send(request)
            #expect(live.status == 201)
            #expect(live.body == body)
            try recorder.save()

            let replay = try ReplayTransport(path: path)
            let replayed = try await replay.send(request)
            #expect(replayed.status == 201)
            #expect(replayed.head.headerFields == headers)
            #expect(Array(replayed.head.headerFields) == Array(headers))
            #expect(replayed.body == body)
            #expect(replay.unplayedCount == 0)
            #expect(replay.cassette.interactions.first?.response?.isStream == false)
        }
    }

    @Test("a streamed response passes through unchanged and replays with identical chunks")
    func streamRoundTrip() async throws {
        try await withScratchFolder { folder in
            let chunks = ["data: {\"n\":1}\n\n", "data: {\"n\":", "2}\n\n", "", "data: [DONE]\n\n"]
            mock.enqueue(.stream(chunks, status: 200))

            let path = folder + "/stream.json.gz"
            let recorder = RecordingTransport(wrapping: mock, cassettePath: path)
            let request = makeRequest(path: "/v1beta/models/m:streamGenerateContent?alt=sse", body: "{}")
            let live = try await recorder.stream(request)
            let (liveChunks, liveError) = await drain(live.body)
            #expect(liveChunks == chunks)
            #expect(liveError == nil)
            try recorder.save()

            let replay = try ReplayTransport(path: path)
            #expect(replay.cassette.interactions.first?.response?.isStream == true)
            let replayed = try await replay.stream(request)
            #expect(replayed.head.status.code == 200)
            let (replayedChunks, replayedError) = await drain(replayed.body)
            #expect(replayedChunks == chunks)
            #expect(replayedError == nil)

            // `send` on a recorded stream returns the whole body.
            #expect(try await replay.send(request).text == chunks.joined())
        }
    }

    @Test("a stream cut by an error replays its chunks, then the same TransportError")
    func cutStreamRoundTrip() async throws {
        mock.enqueue(.stream(["a", "b"], cutWith: TransportError.connectionReset("peer went away")))
        let recorder = RecordingTransport(wrapping: mock, cassettePath: "/unused")
        let live = await drain(try await recorder.stream(makeRequest()).body)
        #expect(live.chunks == ["a", "b"])
        #expect(live.error as? TransportError == .connectionReset("peer went away"))

        let replay = ReplayTransport(cassette: recorder.cassette)
        let replayed = await drain(try await replay.stream(makeRequest()).body)
        #expect(replayed.chunks == ["a", "b"])
        #expect(replayed.error as? TransportError == .connectionReset("peer went away"))
        await #expect(throws: TransportError.connectionReset("peer went away")) { try await replay.send(makeRequest()) }
    }

    @Test("an exchange that fails before a response replays the failure")
    func failureBeforeHead() async throws {
        mock.enqueue(.failure(TransportError.timeout("after 30 s")), when: .path("/timeout"))
        mock.enqueue(.failure(TransportError.responseTooLarge(limit: 1024)), when: .path("/large"))
        let recorder = RecordingTransport(wrapping: mock, cassettePath: "/unused")
        await #expect(throws: TransportError.timeout("after 30 s")) { try await recorder.send(makeRequest(path: "/timeout")) }
        await #expect(throws: TransportError.responseTooLarge(limit: 1024)) { try await recorder.stream(makeRequest(path: "/large")) }
        // Nothing scripted: the mock's own error type is recorded as "other".
        await #expect(throws: MockTransportError.self) { try await recorder.send(makeRequest(path: "/unscripted")) }

        let cassette = recorder.cassette
        #expect(cassette.interactions.map(\.response) == [nil, nil, nil])
        #expect(cassette.interactions.map(\.failure?.kind) == ["timed out", "response too large", "other"])

        let replay = ReplayTransport(cassette: cassette)
        await #expect(throws: TransportError.timeout("after 30 s")) { try await replay.send(makeRequest(path: "/timeout")) }
        await #expect(throws: TransportError.responseTooLarge(limit: 1024)) { try await replay.stream(makeRequest(path: "/large")) }
        await #expect { try await replay.send(makeRequest(path: "/unscripted")) } throws: { error in
            (error as? TransportError)?.isSameKind(as: .other()) == true
                && String(describing: error).contains("/unscripted")
        }
    }

    @Test("the cassette file is gzip-compressed JSON with a version, header pairs and base64 bodies")
    func fileFormat() async throws {
        try await withScratchFolder { folder in
            mock.enqueue(.text("pong"))
            let path = folder + "/format.json.gz"
            let recorder = RecordingTransport(wrapping: mock, cassettePath: path)
            _ = try await recorder.send(makeRequest(path: "/ping", headers: [.accept: "text/plain"], body: "ping"))
            try recorder.save()

            let raw = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            #expect(Array(raw.prefix(2)) == [0x1F, 0x8B])
            let json = try JSONSerialization.jsonObject(with: Data(Gzip.decompress(raw))) as? [String: Any]
            #expect(json?["version"] as? Int == Cassette.currentVersion)
            let interaction = try #require((json?["interactions"] as? [[String: Any]])?.first)
            let request = try #require(interaction["request"] as? [String: Any])
            #expect(request["method"] as? String == "POST")
            #expect(request["scheme"] as? String == "https")
            #expect(request["authority"] as? String == "example.test")
            #expect(request["path"] as? String == "/ping")
            #expect(request["headers"] as? [[String]] == [["Accept", "text/plain"]])
            #expect(request["body"] as? String == Data("ping".utf8).base64EncodedString())
            let response = try #require(interaction["response"] as? [String: Any])
            #expect(response["status"] as? Int == 200)
            #expect(response["chunks"] as? [String] == [Data("pong".utf8).base64EncodedString()])
            #expect(response["stream"] as? Bool == false)
        }
    }

    // MARK: Matching

    @Test("by default a request matches on method, path without query, and body")
    func defaultMatching() async throws {
        let replay = try await recordedReplay([
            ("POST", "/a", "x", 201), ("POST", "/a", "y", 202), ("GET", "/a", "", 203), ("POST", "/b", "x", 204),
        ])
        #expect(try await replay.status(of: "POST", "/a", "y") == 202)
        #expect(try await replay.status(of: "GET", "/a", "") == 203)
        #expect(try await replay.status(of: "POST", "/b?alt=sse", "x") == 204)
        #expect(try await replay.status(of: "POST", "/a?other=query", "x") == 201)
        for (method, path, body) in [("POST", "/a", "z"), ("PUT", "/a", "x"), ("POST", "/c", "x"), ("GET", "/b", "")] {
            await #expect(throws: CassetteError.self) { try await replay.status(of: method, path, body) }
        }
    }

    @Test("the match rule decides which parts of a request must equal the recording")
    func configurableRules() async throws {
        let recordings: [(String, String, String, Int)] = [
            ("POST", "/a?alt=sse", "x", 201), ("POST", "/a?alt=json", "y", 202), ("GET", "/a", "", 203),
        ]

        let ignoringBody = try await recordedReplay(recordings, rule: [.method, .path])
        #expect(try await ignoringBody.status(of: "POST", "/a", "anything") == 201)
        #expect(try await ignoringBody.status(of: "POST", "/a", "else") == 202)
        #expect(try await ignoringBody.status(of: "GET", "/a", "body") == 203)

        let exact = try await recordedReplay(recordings, rule: .exact)
        #expect(try await exact.status(of: "POST", "/a?alt=json", "y") == 202)
        #expect(try await exact.status(of: "POST", "/a?alt=sse", "x") == 201)
        await #expect(throws: CassetteError.self) { try await exact.status(of: "POST", "/a?alt=sse", "y") }
        await #expect(throws: CassetteError.self) { try await exact.status(of: "POST", "/a", "x") }

        let pathOnly = try await recordedReplay(recordings, rule: .path)
        #expect(try await pathOnly.status(of: "DELETE", "/a?q", "") == 201)
        #expect(try await pathOnly.status(of: "DELETE", "/a", "") == 202)
        #expect(try await pathOnly.status(of: "DELETE", "/a", "") == 203)

        let anything = try await recordedReplay(recordings, rule: [])
        #expect(try await anything.status(of: "PATCH", "/z", "") == 201)
    }

    @Test("repeated identical requests get successive recordings in order, then the last repeats")
    func repeatedRequestsInOrder() async throws {
        let replay = try await recordedReplay([
            ("POST", "/gen", "p", 429), ("POST", "/other", "p", 200), ("POST", "/gen", "p", 503), ("POST", "/gen", "p", 200),
        ])
        #expect(replay.unplayedCount == 4)
        var statuses: [Int] = []
        for _ in 0..<5 { statuses.append(try await replay.status(of: "POST", "/gen", "p")) }
        #expect(statuses == [429, 503, 200, 200, 200])
        #expect(replay.unplayedCount == 1)
    }

    @Test("a request without a recording throws CassetteError naming method and path, never the key")
    func missNamesPath() async throws {
        let key = "AIza.SyMissKey0123456789abcdefghijklmnopq"
        let replay = try await recordedReplay([("POST", "/a", "x", 200)])
        let error = await #expect(throws: CassetteError.self) {
            try await replay.send(makeRequest(path: "/v1beta/models/m:generateContent?key=\(key)", key: key, body: key))
        }
        #expect(error?.isSameKind(as: .noMatch(method: "", path: "")) == true)
        let text = String(describing: error)
        #expect(text.contains("POST /v1beta/models/m:generateContent"))
        #expect(!text.contains(key))
        #expect(!text.contains("key="))
    }

    // MARK: Secrets

    @Test("no byte of the key reaches the cassette, compressed or not, raw or in base64")
    func keyNeverReachesCassette() async throws {
        try await withScratchFolder { folder in
            let key = "AIzaSyD-s3cret_K3y.0123456789abcdefXYZ/+="
            let keyBytes = Array(key.utf8)
            let split = key.index(key.startIndex, offsetBy: 17)
            var echoHeaders = HTTPFields()
            echoHeaders[HTTPField.Name("x-debug-echo")!] = "key=\(key)"
            mock.enqueue(
                MockResponse(status: 400, headers: echoHeaders, chunks: [Array(#"{"error":"API key \#(key) not valid"}"#.utf8)]),
                .json(#"{"echo":"\#(key.replacingOccurrences(of: "/", with: "\\/"))"}"#),
                .text("ok \(key.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"),
                .stream(["data: \(key[..<split])", "\(key[split...]) tail\n\n", "data: end\n\n"]),
                .status(204))
            mock.enqueue(.failure(TransportError.other("rejected key \(key)")), when: .path("/fail"))

            let path = folder + "/secrets.json.gz"
            let recorder = RecordingTransport(wrapping: mock, cassettePath: path, redacting: [key])
            let query = "/v1beta/models/m:generateContent?alt=sse&key=\(key)&x=1"
            _ = try await recorder.send(makeRequest(path: query, key: key, via: .googAPIKey, body: #"{"k":"\#(key)"}"#))
            _ = try await recorder.send(makeRequest(path: query, key: key, via: .bearer))
            _ = try await recorder.send(makeRequest(path: "/plain", key: key, via: .xAPIKey))
            let live = await drain(try await recorder.stream(makeRequest(path: "/stream?key=\(key)", headers: [.proxyAuthorization: "Basic \(key)"])).body)
            // The caller still gets the real bytes.
            #expect(live.chunks.joined().contains(key))
            _ = try await recorder.send(makeRequest(path: "/echo", headers: [HTTPField.Name("X-Custom")!: "token \(key)"]))
            await #expect(throws: TransportError.self) { try await recorder.send(makeRequest(path: "/fail")) }
            try recorder.save()

            let raw = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            let json = try Gzip.decompress(raw)
            let text = String(decoding: json, as: UTF8.self)
            for (name, haystack) in [("compressed file", raw), ("JSON", json)] {
                let leaksKey = haystack.contains(subsequence: keyBytes)
                #expect(!leaksKey, "the key is in the \(name)")
                for encoded in base64Forms(of: keyBytes) {
                    let leaksBase64 = haystack.contains(subsequence: Array(encoded.utf8))
                    #expect(!leaksBase64, "the key's base64 \(encoded) is in the \(name)")
                }
            }
            #expect(!text.contains(key))

            // Every decoded body and chunk is clean too, and the redaction is visible.
            let cassette = try Cassette.load(from: path)
            #expect(cassette.interactions.count == 6)
            for interaction in cassette.interactions {
                let requestLeaks = interaction.request.body.contains(subsequence: keyBytes)
                let responseLeaks = (interaction.response?.body ?? []).contains(subsequence: keyBytes)
                #expect(!requestLeaks && !responseLeaks, "the key is in a body of \(interaction.request.path)")
                let names = interaction.request.headers.map { $0.name.lowercased() }
                for dropped in ["x-goog-api-key", "authorization", "x-api-key", "proxy-authorization"] {
                    #expect(!names.contains(dropped))
                }
            }
            #expect(cassette.interactions[0].request.path == "/v1beta/models/m:generateContent?alt=sse&x=1")
            #expect(cassette.interactions[0].request.body == Array(#"{"k":"REDACTED"}"#.utf8))
            #expect(cassette.interactions[0].response?.body == Array(#"{"error":"API key REDACTED not valid"}"#.utf8))
            #expect(cassette.interactions[0].response?.headers.map(\.value) == ["key=REDACTED"])
            #expect(cassette.interactions[1].response?.body == Array(#"{"echo":"REDACTED"}"#.utf8))
            #expect(cassette.interactions[2].response?.body == Array("ok REDACTED".utf8))
            #expect(cassette.interactions[3].request.path == "/stream")
            // The key straddled two chunks: the boundary moves behind the replacement.
            #expect(cassette.interactions[3].response?.chunks.map { String(decoding: $0, as: UTF8.self) }
                == ["data: REDACTED", " tail\n\n", "data: end\n\n"])
            #expect(cassette.interactions[4].request.headers.map(\.value) == ["token REDACTED"])
            #expect(cassette.interactions[5].failure?.detail == "rejected key REDACTED")

            // Requests carrying the real key still find their redacted recordings.
            let replay = ReplayTransport(cassette: cassette, redacting: [key])
            let replayed = try await replay.send(makeRequest(path: query, key: key, body: #"{"k":"\#(key)"}"#))
            #expect(replayed.status == 400)
        }
    }

    @Test("key query parameters are removed; the rest of the query stays, in order")
    func keyParameterRemoval() async throws {
        mock.setDefault(.status(200))
        let recorder = RecordingTransport(wrapping: mock, cassettePath: "/unused")
        let cases: [(String, String)] = [
            ("/p?key=K", "/p"),
            ("/p?a=1&key=K&b=2", "/p?a=1&b=2"),
            ("/p?key=K&a=1&key=L", "/p?a=1"),
            ("/p?a=1&KEY=K&Key", "/p?a=1"),
            ("/p?a=1&k%65y=K", "/p?a=1"),
            ("/p?monkey=1&keys=2&key_id=3&akey=4", "/p?monkey=1&keys=2&key_id=3&akey=4"),
            ("/p?b=2&a=1", "/p?b=2&a=1"),
            ("/p", "/p"),
        ]
        for (path, _) in cases { _ = try await recorder.send(makeRequest(path: path)) }
        #expect(recorder.cassette.interactions.map(\.request.path) == cases.map(\.1))
    }

    // MARK: Files

    @Test("missing, corrupt, truncated and other-version files throw CassetteError")
    func corruptFiles() async throws {
        try await withScratchFolder { folder in
            func cassetteError(_ bytes: [UInt8]?) -> CassetteError? {
                let path = folder + "/\(UUID().uuidString).json.gz"
                if let bytes { _ = FileManager.default.createFile(atPath: path, contents: Data(bytes)) }
                do {
                    _ = try ReplayTransport(path: path)
                    return nil
                } catch {
                    return error
                }
            }
            func gzipped(_ json: String) throws -> [UInt8] { try Gzip.compress(Array(json.utf8)) }
            let valid = try Cassette(interactions: [
                .init(request: .init(method: "GET", scheme: "https", authority: "h", path: "/", headers: [], body: []),
                      response: .init(status: 200, headers: [], chunks: [[1, 2, 3]], isStream: false)),
            ]).compressed()

            #expect(cassetteError(nil)?.isSameKind(as: .unreadable()) == true)
            #expect(cassetteError(valid) == nil)
            var generator = SplitMix64(seed: 42)
            let cases: [(String, [UInt8], CassetteError)] = [
                ("empty file", [], .corrupt()),
                ("random bytes", (0..<512).map { _ in UInt8.random(in: 0...255, using: &generator) }, .corrupt()),
                ("plain JSON", Array(#"{"version":1,"interactions":[]}"#.utf8), .corrupt()),
                ("truncated", Array(valid.prefix(valid.count / 2)), .corrupt()),
                ("not JSON", try gzipped("not json"), .corrupt()),
                ("no version", try gzipped(#"{"interactions":[]}"#), .corrupt()),
                ("bad status", try gzipped(#"{"version":1,"interactions":[{"request":{"method":"GET","path":"/","headers":[],"body":""},"response":{"status":5000,"headers":[],"chunks":[],"stream":false}}]}"#), .corrupt()),
                ("bad header", try gzipped(#"{"version":1,"interactions":[{"request":{"method":"GET","path":"/","headers":[["a b","c"]],"body":""}}]}"#), .corrupt()),
                ("bad base64", try gzipped(#"{"version":1,"interactions":[{"request":{"method":"GET","path":"/","headers":[],"body":"!!"}}]}"#), .corrupt()),
                ("future version", try gzipped(#"{"version":99,"interactions":[]}"#), .unsupportedVersion(99)),
            ]
            for (name, bytes, expected) in cases {
                let error = cassetteError(bytes)
                #expect(error?.isSameKind(as: expected) == true, "\(name): \(String(describing: error))")
            }
            #expect(cassetteError(try gzipped(#"{"version":2}"#)) == .unsupportedVersion(2))
        }
    }

    @Test("writing is atomic: it replaces the file and leaves no temporary files, even when it fails")
    func atomicWrite() async throws {
        try await withScratchFolder { folder in
            let path = folder + "/tape.json.gz"
            let first = Cassette()
            let second = Cassette(interactions: [
                .init(request: .init(method: "GET", scheme: nil, authority: nil, path: "/x", headers: [], body: []), response: nil,
                      failure: .init(kind: "timed out", detail: "")),
            ])
            try first.write(to: path)
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["tape.json.gz"])
            try second.write(to: path)
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["tape.json.gz"])
            #expect(try Cassette.load(from: path) == second)

            // Renaming onto a folder fails after the temporary file was written: it is removed.
            let blocker = folder + "/blocker"
            try FileManager.default.createDirectory(atPath: blocker + "/inside", withIntermediateDirectories: true)
            #expect(throws: CassetteError.self) { try second.write(to: blocker) }
            #expect(throws: CassetteError.self) { try second.write(to: folder + "/missing/tape.json.gz") }
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["blocker", "tape.json.gz"])
            #expect(try FileManager.default.contentsOfDirectory(atPath: blocker) == ["inside"])
        }
    }

    // MARK: Recording behaviour

    @Test("concurrent exchanges are all recorded")
    func concurrentRecording() async throws {
        mock.setHandler { request, _ in .text("echo " + String(decoding: request.body, as: UTF8.self)) }
        let recorder = RecordingTransport(wrapping: mock, cassettePath: "/unused")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<64 {
                group.addTask {
                    if index.isMultiple(of: 2) {
                        _ = try await recorder.send(makeRequest(body: "\(index)"))
                    } else {
                        _ = await drain(try await recorder.stream(makeRequest(body: "\(index)")).body)
                    }
                }
            }
            try await group.waitForAll()
        }
        let interactions = recorder.cassette.interactions
        #expect(interactions.count == 64)
        #expect(Set(interactions.map { String(decoding: $0.request.body, as: UTF8.self) }) == Set((0..<64).map(String.init)))
        #expect(interactions.allSatisfy { $0.response?.body == Array("echo ".utf8) + $0.request.body })
        #expect(interactions.count { $0.response?.isStream == true } == 32)
    }

    @Test("a stream body released before its end is recorded as far as it was read")
    func abandonedStream() async throws {
        mock.enqueue(.stream(["one", "two", "three"]), .stream(["unread"]))
        let recorder = RecordingTransport(wrapping: mock, cassettePath: "/unused")
        do {
            let response = try await recorder.stream(makeRequest(path: "/partial"))
            var iterator = response.body.makeAsyncIterator()
            #expect(try await iterator.next() == Array("one".utf8))
        }
        do {
            let response = try await recorder.stream(makeRequest(path: "/unread"))
            #expect(response.head.status.code == 200)
        }
        let interactions = recorder.cassette.interactions
        #expect(interactions.map(\.request.path) == ["/partial", "/unread"])
        #expect(interactions.map { $0.response?.chunks } == [[Array("one".utf8)], []])
        #expect(interactions.map(\.failure) == [nil, nil])
    }
}

// MARK: - Helpers

/// Runs `body` with a fresh folder under the temporary directory, removed afterwards.
private func withScratchFolder(_ body: (String) async throws -> Void) async throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("CassetteTests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    try await body(url.path)
}

/// Records one exchange per `(method, path, body, status)` through a mock, then replays them.
private func recordedReplay(
    _ exchanges: [(String, String, String, Int)], rule: ReplayTransport.MatchRule = .default
) async throws -> ReplayTransport {
    let mock = MockTransport(clock: ManualClock())
    let recorder = RecordingTransport(wrapping: mock, cassettePath: "/unused")
    for (method, path, body, status) in exchanges {
        mock.enqueue(.status(status))
        _ = try await recorder.send(makeRequest(path: path, method: HTTPRequest.Method(method)!, body: body))
    }
    return ReplayTransport(cassette: recorder.cassette, matching: rule)
}

extension ReplayTransport {
    fileprivate func status(of method: String, _ path: String, _ body: String) async throws -> Int {
        try await send(makeRequest(path: path, method: HTTPRequest.Method(method)!, body: body)).status
    }
}

/// The base64 text of `bytes` at each of the three alignments it can have inside a longer
/// base64 string, trimmed to the characters that depend on `bytes` alone.
private func base64Forms(of bytes: [UInt8]) -> [String] {
    (0..<3).map { shift in
        let encoded = Data([UInt8](repeating: 0, count: shift) + bytes).base64EncodedString()
        return String(encoded.dropFirst(shift == 0 ? 0 : 4).dropLast(4))
    }
}

extension Array where Element == UInt8 {
    /// Whether `needle` occurs in the array.
    fileprivate func contains(subsequence needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= count else { return needle.isEmpty }
        return (0...(count - needle.count)).contains { self[$0..<$0 + needle.count].elementsEqual(needle) }
    }
}
