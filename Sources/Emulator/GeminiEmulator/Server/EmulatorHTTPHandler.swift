#if Emulator  // the server needs SwiftNIO, resolved only with the package's Emulator trait
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import NIOHTTP1

/// One connection's handler: collects a request (head and a body of at most
/// ``RequestLimits/maxBodyBytes``; the rest is read and dropped), asks the engine, and carries
/// the reply out with the engine's delays scheduled on the event loop.
///
/// `HTTPServerPipelineHandler` (in front) holds pipelined requests back until a response has
/// ended, so this handler sees one request at a time. A client that goes away mid-reply only
/// cancels what is scheduled.
final class EmulatorHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let engine: EmulatorEngine
    private let origin: ContinuousClock.Instant
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()
    private var bodyTooLarge = false
    private var pending: Scheduled<Void>?
    private var isActive = true

    init(engine: EmulatorEngine, origin: ContinuousClock.Instant) {
        self.engine = engine
        self.origin = origin
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = context.channel.allocator.buffer(capacity: 0)
            bodyTooLarge = false
            if head.headers["expect"].contains(where: { $0.lowercased() == "100-continue" }) {
                context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .continue))), promise: nil)
            }
        case .body(var chunk):
            guard !bodyTooLarge else { return }
            if body.readableBytes + chunk.readableBytes > RequestLimits.maxBodyBytes {
                bodyTooLarge = true
                body = ByteBuffer()
            } else {
                body.writeBuffer(&chunk)
            }
        case .end:
            guard let head else { return }
            self.head = nil
            let request = EmulatorRequest(
                method: head.method.rawValue, uri: head.uri, apiKeyHeader: head.headers.first(name: "x-goog-api-key"),
                body: Array(buffer: body), bodyTooLarge: bodyTooLarge, authorization: head.headers.first(name: "authorization"))
            body = ByteBuffer()
            let reply = engine.reply(to: request, at: ContinuousClock.now - origin)
            let keepAlive = head.isKeepAlive && !reply.close
            later(reply.delay, context: context) { [self] in perform(reply, version: head.version, keepAlive: keepAlive, context: context) }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        isActive = false
        pending?.cancel()
        pending = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    // MARK: carrying out a reply

    /// Runs `step` after `delay` on the event loop (at once for no delay), unless the connection closed.
    private func later(_ delay: Duration, context: ChannelHandlerContext, _ step: @escaping () -> Void) {
        guard delay > .zero else { return step() }
        pending = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(delay)) { [self] in
            pending = nil
            if isActive { step() }
        }
    }

    private func perform(_ reply: EmulatorReply, version: HTTPVersion, keepAlive: Bool, context: ChannelHandlerContext) {
        switch reply.action {
        case .answer(let answer):
            var headers = Self.headers(contentType: answer.contentType, version: version, keepAlive: keepAlive)
            headers.add(contentsOf: reply.headers)
            headers.add(name: "content-length", value: String(answer.body.count))
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: version, status: HTTPResponseStatus(statusCode: answer.status), headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: answer.body)))), promise: nil)
            end(keepAlive: keepAlive, context: context)
        case .stream(let contentType, let chunks, let gap, let cut):
            // HTTP/1.1 gets chunked encoding from the encoder; HTTP/1.0 has the body end at close.
            let streamKeepAlive = keepAlive && version.minor >= 1
            var headers = Self.headers(contentType: contentType, version: version, keepAlive: streamKeepAlive)
            headers.add(contentsOf: reply.headers)
            context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: version, status: .ok, headers: headers))), promise: nil)
            sendChunks(chunks[...], gap: gap, cut: cut, keepAlive: streamKeepAlive, context: context)
        case .reset:
            reset(context: context)
        }
    }

    private func sendChunks(_ chunks: ArraySlice<[UInt8]>, gap: Duration, cut: Bool, keepAlive: Bool, context: ChannelHandlerContext) {
        guard let chunk = chunks.first else {
            if cut {
                context.close(promise: nil)
            } else {
                end(keepAlive: keepAlive, context: context)
            }
            return
        }
        context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: chunk)))), promise: nil)
        let rest = chunks.dropFirst()
        // The last event is followed by the end at once; between events there is a gap.
        later(rest.isEmpty ? .zero : gap, context: context) { [self] in
            sendChunks(rest, gap: gap, cut: cut, keepAlive: keepAlive, context: context)
        }
    }

    private func end(keepAlive: Bool, context: ChannelHandlerContext) {
        let written = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            written.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }

    /// Closes with SO_LINGER 0, so the peer sees a reset rather than an orderly end.
    private func reset(context: ChannelHandlerContext) {
        guard let provider = context.channel as? any SocketOptionProvider else { return context.close(promise: nil) }
        provider.setSoLinger(linger(l_onoff: 1, l_linger: 0)).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }

    private static func headers(contentType: String, version: HTTPVersion, keepAlive: Bool) -> HTTPHeaders {
        var headers = HTTPHeaders([
            ("content-type", contentType),
            ("vary", "Origin, X-Origin, Referer"),
            ("server", "scaffolding on HTTPServer2"),
            ("x-content-type-options", "nosniff"),
        ])
        if !keepAlive {
            headers.add(name: "connection", value: "close")
        } else if version.minor == 0 {
            headers.add(name: "connection", value: "keep-alive")
        }
        return headers
    }
}
#endif
