import CZlib
import Glibc

/// The endpoints. Each handler returns whether the connection may serve another request.
enum Routes {
    /// Upper bound for `/bytes/{n}`.
    static let maxGeneratedBytes = 64 * 1024 * 1024
    static let textPlain = ("content-type", "text/plain; charset=utf-8")
    static let octetStream = ("content-type", "application/octet-stream")

    static func handle(_ request: Request, on connection: Connection) -> Bool {
        let path = request.path
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        // `/name/{argument}` with exactly one argument segment.
        let argument: Substring? = segments.count == 2 ? segments.last : nil

        switch (segments.first ?? "", argument) {
        case ("echo", nil) where segments.count == 1:
            return echo(request, connection)
        case ("status", let code?):
            return status(request, connection, code)
        case ("bytes", let count?):
            return bytes(request, connection, count)
        case ("stream", let count?):
            return stream(request, connection, count)
        case ("delay", let milliseconds?):
            return delay(request, connection, milliseconds)
        case ("gzip", nil) where segments.count == 1:
            return gzip(request, connection)
        case ("headers", "many"):
            let headers = (0..<50).map { ("x-h-\($0)", "value-\($0)") } + [textPlain]
            return connection.respond(to: request, status: 200, headers: headers, body: Array("many headers\n".utf8))
        case ("bad", let name?):
            return Misbehaving.handle(String(name), request, connection)
        default:
            return notFound(request, connection)
        }
    }

    static func notFound(_ request: Request, _ connection: Connection) -> Bool {
        connection.respond(to: request, status: 404, headers: [textPlain], body: Array("not found".utf8))
    }

    static func badRequest(_ request: Request, _ connection: Connection, _ message: String) -> Bool {
        connection.respond(to: request, status: 400, headers: [textPlain], body: Array(message.utf8))
    }

    /// A non-negative decimal number made of ASCII digits only.
    static func number(_ text: Substring?) -> Int? {
        guard let text, !text.isEmpty, text.count <= 10, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text)
    }

    // MARK: - Well-behaved

    /// `ANY /echo`: the body back, plus the method, target and every request header as headers.
    static func echo(_ request: Request, _ connection: Connection) -> Bool {
        var headers = [("x-echo-method", request.method), ("x-echo-path", request.target)]
        for (name, value) in request.headers {
            headers.append(("x-echo-h-\(name.lowercased())", value))
        }
        headers.append(octetStream)
        return connection.respond(to: request, status: 200, headers: headers, body: request.body)
    }

    /// `/status/{code}` for 200...599; body `status {code}` except for 204 and 304 (no body).
    static func status(_ request: Request, _ connection: Connection, _ text: Substring) -> Bool {
        guard let code = number(text), (200...599).contains(code) else {
            return badRequest(request, connection, "status code must be 200...599")
        }
        let body = code == 204 || code == 304 ? [] : Array("status \(code)".utf8)
        return connection.respond(to: request, status: code, headers: [textPlain], body: body)
    }

    /// `/bytes/{n}`: byte i is `UInt8(i % 251)`, written in 64 KiB blocks.
    static func bytes(_ request: Request, _ connection: Connection, _ text: Substring) -> Bool {
        guard let count = number(text), count <= maxGeneratedBytes else {
            return badRequest(request, connection, "n must be 0...\(maxGeneratedBytes)")
        }
        let keepAlive = request.wantsKeepAlive
        var head = connection.responseHead(status: 200, headers: [octetStream], keepAlive: keepAlive, request: request)
        head += "content-length: \(count)\r\n\r\n"
        guard connection.write(Array(head.utf8)) else { return false }
        guard request.method != "HEAD" else { return keepAlive }

        let deadline = ContinuousClock.now + Limits.timeout
        let blockSize = 251 * 256  // a multiple of 251, so every block starts with byte 0
        let block = (0..<blockSize).map { UInt8($0 % 251) }
        var remaining = count
        while remaining > 0 {
            let size = min(remaining, blockSize)
            guard connection.write(size == blockSize ? block : Array(block[0..<size]), until: deadline) else { return false }
            remaining -= size
        }
        return keepAlive
    }

    /// `/stream/{n}?size=S&delay_ms=D`: n chunks of S bytes, chunk k filled with "a" + k % 26.
    static func stream(_ request: Request, _ connection: Connection, _ text: Substring) -> Bool {
        let query = request.query
        guard let count = number(text), count <= 100_000,
            let size = query["size"].map({ number($0[...]) }) ?? 16, (1...1_048_576).contains(size),
            let delay = query["delay_ms"].map({ number($0[...]) }) ?? 0, delay <= 30_000
        else {
            return badRequest(request, connection, "need n <= 100000, size 1...1048576, delay_ms <= 30000")
        }
        let keepAlive = request.wantsKeepAlive
        var head = connection.responseHead(status: 200, headers: [textPlain], keepAlive: keepAlive, request: request)
        head += "transfer-encoding: chunked\r\n\r\n"
        guard connection.write(Array(head.utf8)) else { return false }
        guard request.method != "HEAD" else { return keepAlive }

        // The whole response is bounded by `Limits.timeout`; past it the connection just closes.
        let deadline = ContinuousClock.now + Limits.timeout
        for index in 0..<count {
            if index > 0, delay > 0 {
                guard connection.sleep(milliseconds: delay), ContinuousClock.now < deadline else { return false }
            }
            let letter = UInt8(ascii: "a") + UInt8(index % 26)
            let chunk = Array("\(String(size, radix: 16))\r\n".utf8) + [UInt8](repeating: letter, count: size) + [13, 10]
            guard connection.write(chunk, until: deadline) else { return false }
        }
        return connection.write(Array("0\r\n\r\n".utf8)) && keepAlive
    }

    /// `/delay/{ms}`: waits (at most 30 s; the connection closes unanswered if the server
    /// stops), then 200 `ok`.
    static func delay(_ request: Request, _ connection: Connection, _ text: Substring) -> Bool {
        guard let milliseconds = number(text) else {
            return badRequest(request, connection, "ms must be a number")
        }
        guard connection.sleep(milliseconds: min(milliseconds, 30_000)) else { return false }
        return connection.respond(to: request, status: 200, headers: [textPlain], body: Array("ok".utf8))
    }

    /// The decompressed `/gzip` body.
    static let gzipText = String(repeating: "hello gzip ", count: 100)

    /// `/gzip`: `gzipText`, gzip-compressed, with `Content-Encoding: gzip`.
    static func gzip(_ request: Request, _ connection: Connection) -> Bool {
        guard let compressed = gzipCompress(Array(gzipText.utf8)) else {
            return connection.respond(to: request, status: 500, headers: [textPlain], body: Array("zlib failed".utf8))
        }
        return connection.respond(
            to: request, status: 200, headers: [textPlain, ("content-encoding", "gzip")], body: compressed)
    }

    /// One-shot gzip (zlib `deflate` with gzip framing via the CZlib shim).
    static func gzipCompress(_ input: [UInt8]) -> [UInt8]? {
        // zlib's state points back at the `z_stream`, so it must not move: keep it on the heap.
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer {
            stream.deinitialize(count: 1)
            stream.deallocate()
        }
        guard czlib_deflate_init_gzip(stream, Z_DEFAULT_COMPRESSION) == Z_OK else { return nil }
        defer { deflateEnd(stream) }

        var input = input
        var output = [UInt8](repeating: 0, count: Int(deflateBound(stream, uLong(input.count))) + 64)
        let (status, produced) = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                stream.pointee.next_in = inBuffer.baseAddress
                stream.pointee.avail_in = uInt(inBuffer.count)
                stream.pointee.next_out = outBuffer.baseAddress
                stream.pointee.avail_out = uInt(outBuffer.count)
                let status = deflate(stream, Z_FINISH)
                return (status, outBuffer.count - Int(stream.pointee.avail_out))
            }
        }
        guard status == Z_STREAM_END else { return nil }
        return Array(output[0..<produced])
    }
}

/// The deliberately broken endpoints under `/bad/`. All of them close the connection at the end,
/// and each ends by itself within `Limits.timeout` or when the server stops.
enum Misbehaving {
    static func handle(_ name: String, _ request: Request, _ connection: Connection) -> Bool {
        switch name {
        case "close-mid-body":
            // Announces 1000 bytes, sends 100, closes.
            let head = "HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-length: 1000\r\n\r\n"
            _ = connection.write(Array(head.utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: 100))
            return false

        case "malformed-headers":
            _ = connection.write(Array("HTTP/1.1 200 OK\r\nthis line has no colon\r\n\r\nbody".utf8))
            return false

        case "garbage":
            _ = connection.write(Array("\u{0}\u{1}hello\r\n\r\n".utf8))
            return false

        case "endless":
            endless(connection)
            return false

        case "no-answer":
            holdWithoutAnswer(connection)
            return false

        case "http10-no-length":
            // Valid HTTP/1.0: the body ends when the connection closes.
            let head = "HTTP/1.0 200 OK\r\ncontent-type: text/plain\r\n\r\n"
            _ = connection.write(Array(head.utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: 5000))
            return false

        case "slow-body":
            // Content-Length 10, one byte every 500 ms (about 4.5 s in all).
            let head = "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 10\r\nconnection: close\r\n\r\n"
            guard connection.write(Array(head.utf8)) else { return false }
            for index in 0..<10 {
                if index > 0, !connection.sleep(milliseconds: 500) { return false }
                guard connection.write([UInt8(ascii: "0") + UInt8(index)]) else { return false }
            }
            return false

        default:
            return Routes.notFound(request, connection)
        }
    }

    /// A chunked body of 1 KiB chunks, as fast as the socket takes them, until the peer goes
    /// away, the server stops or `Limits.timeout` passes. Never sends the last chunk.
    static func endless(_ connection: Connection) {
        let deadline = ContinuousClock.now + Limits.timeout
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ntransfer-encoding: chunked\r\n\r\n"
        guard connection.write(Array(head.utf8), until: deadline) else { return }
        let chunk = Array("400\r\n".utf8) + [UInt8](repeating: UInt8(ascii: "e"), count: 1024) + [13, 10]
        var sent = 0
        while ContinuousClock.now < deadline {
            guard connection.write(chunk, until: deadline) else { return }
            sent += 1
            if sent % 64 == 0, connection.isStopped { return }
        }
    }

    /// Reads and discards input, never writes, until the peer closes, the server stops or
    /// `Limits.timeout` passes.
    static func holdWithoutAnswer(_ connection: Connection) {
        let deadline = ContinuousClock.now + Limits.timeout
        var scratch = [UInt8](repeating: 0, count: 4096)
        while ContinuousClock.now < deadline {
            let received = scratch.withUnsafeMutableBytes { recv(connection.descriptor, $0.baseAddress, $0.count, 0) }
            if received > 0 { continue }
            if received == 0 { return }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK:
                if connection.isStopped { return }
            default: return
            }
        }
    }
}
