import CCurl
import GatewayCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// `curl_global_init`, exactly once per process, before any handle exists.
private let curlGlobalInit: Void = {
    let code = curl_global_init(ccurl_global_all())
    precondition(code == CURLE_OK, "curl_global_init failed: \(code.rawValue)")
}()

/// One thread that owns a curl multi handle and every easy handle added to it.
///
/// Other threads only append commands to the inbox (under its lock) and wake the driver with
/// `curl_multi_wakeup`; the driver loops on `curl_multi_poll`. Contexts travel to curl's
/// callbacks as retained opaque pointers, released exactly once after their handle is removed
/// and cleaned up, so no callback can ever see a freed context.
final class CurlDriver: @unchecked Sendable {
    // @unchecked: `inbox` and `liveCount` are guarded by their locks; `multi`, `live`, `idleHandles` (and the
    // easy handles in it) are touched only on the driver thread, except `curl_multi_wakeup`,
    // which curl allows from any thread and which is called under the inbox lock while
    // `accepting` is true, i.e. before the driver can clean the multi handle up.
    private enum Command {
        case add(CurlRequestContext)
        case cancel(CurlRequestContext)
        case unpause(Int)
        case stop
    }

    private struct Inbox {
        var commands: [Command] = []
        var accepting = true
    }

    private struct Transfer {
        let context: CurlRequestContext
        let easy: UnsafeMutableRawPointer
        let headers: UnsafeMutablePointer<curl_slist>?
        let errorBuffer: UnsafeMutablePointer<CChar>
        let retained: Unmanaged<CurlRequestContext>
    }

    private let inbox = Locked(Inbox())
    private let liveCount = Locked(0)
    /// Counters shared with every context.
    let statistics = Locked(CurlStatistics())
    private let multi: UnsafeMutableRawPointer
    private var live: [Int: Transfer] = [:]
    /// Finished easy handles, reset and kept for the next transfers (driver thread only):
    /// creating and destroying one per request cost the driver thread about a tenth of its time.
    private var idleHandles: [UnsafeMutableRawPointer] = []
    private static let maxIdleHandles = 256
    private let configuration: CurlConfiguration
    private var thread = pthread_t()
    private let joined = Locked(false)

    init(configuration: CurlConfiguration) {
        _ = curlGlobalInit
        self.configuration = configuration
        guard let multi = curl_multi_init() else { fatalError("curl_multi_init failed") }
        self.multi = multi
        if configuration.maxConnectionsPerHost > 0 {
            _ = ccurl_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, configuration.maxConnectionsPerHost)
        }
        let box = Unmanaged.passRetained(self).toOpaque()
        let status = pthread_create(&thread, nil, { argument in
            let driver = Unmanaged<CurlDriver>.fromOpaque(argument!).takeRetainedValue()
            driver.run()
            return nil
        }, box)
        precondition(status == 0, "could not start the curl driver thread: \(status)")
    }

    /// Transfers currently owned by the driver.
    var liveHandles: Int { liveCount.withLock { $0 } }

    // MARK: Any thread

    /// Hands a context to the driver; fails it at once when the driver has stopped.
    func add(_ context: CurlRequestContext) {
        if !submit(.add(context)) {
            context.finish(.failure(TransportError.shutdown("the curl transport was shut down")))
        }
    }

    func cancel(_ context: CurlRequestContext) {
        if context.markCancelled() { _ = submit(.cancel(context)) }
    }

    func abandon(_ context: CurlRequestContext) {
        if context.markAbandoned() { _ = submit(.cancel(context)) }
    }

    func unpause(_ id: Int) { _ = submit(.unpause(id)) }

    /// Stops the driver: in-flight exchanges fail with `TransportError.shutdown`; waits for
    /// the thread to end. Idempotent.
    func shutdown() {
        _ = submit(.stop)
        let first = joined.withLock { done -> Bool in
            defer { done = true }
            return !done
        }
        if first { pthread_join(thread, nil) }
    }

    private func submit(_ command: Command) -> Bool {
        inbox.withLock { inbox in
            guard inbox.accepting else { return false }
            inbox.commands.append(command)
            curl_multi_wakeup(multi)
            return true
        }
    }

    // MARK: Driver thread

    private func run() {
        var stopping = false
        while !stopping {
            let commands = inbox.withLock { inbox -> [Command] in
                defer { inbox.commands.removeAll(keepingCapacity: true) }
                return inbox.commands
            }
            for command in commands {
                switch command {
                case .add(let context): start(context)
                case .cancel(let context):
                    if live[context.id] != nil { finish(context.id, CancellationError()) }
                case .unpause(let id):
                    if let transfer = live[id] { curl_easy_pause(transfer.easy, ccurl_pause_cont()) }
                case .stop: stopping = true
                }
            }
            if stopping { break }
            var running: Int32 = 0
            curl_multi_perform(multi, &running)
            collectFinished()
            curl_multi_poll(multi, nil, 0, 1000, nil)
        }
        let leftovers = inbox.withLock { inbox -> [Command] in
            inbox.accepting = false
            defer { inbox.commands.removeAll() }
            return inbox.commands
        }
        let shutdownError = TransportError.shutdown("the curl transport was shut down")
        for id in Array(live.keys) { finish(id, shutdownError) }
        for case .add(let context) in leftovers { context.finish(.failure(shutdownError)) }
        for easy in idleHandles { curl_easy_cleanup(easy) }
        idleHandles.removeAll()
        curl_multi_cleanup(multi)
    }

    private func collectFinished() {
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
            var raw: UnsafeMutableRawPointer?
            _ = ccurl_easy_getinfo_pointer(easy, CURLINFO_PRIVATE, &raw)
            guard let raw else { continue }
            let id = Int(bitPattern: raw)
            let code = ccurl_msg_result(message)
            guard let transfer = live[id] else { continue }
            if code == CURLE_OK {
                finish(id, nil)
            } else {
                let detail = String(cString: transfer.errorBuffer)
                finish(id, transfer.context.failure(for: CurlErrorMapping.error(for: code, detail: detail)))
            }
        }
    }

    private func start(_ context: CurlRequestContext) {
        if context.isCancelled {
            context.finish(.failure(CancellationError()))
            return
        }
        guard let easy = idleHandles.popLast() ?? curl_easy_init() else {
            context.finish(.failure(TransportError.other("curl_easy_init failed")))
            return
        }
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        let retained = Unmanaged.passRetained(context)
        do {
            let headers = try CurlEasySetup.configure(
                easy, for: context, configuration: configuration, errorBuffer: errorBuffer, opaque: retained.toOpaque())
            live[context.id] = Transfer(context: context, easy: easy, headers: headers, errorBuffer: errorBuffer, retained: retained)
            liveCount.withLock { $0 = live.count }
            let code = curl_multi_add_handle(multi, easy)
            if code != CURLM_OK { finish(context.id, TransportError.other("curl_multi_add_handle failed: \(code.rawValue)")) }
        } catch {
            curl_easy_cleanup(easy)
            errorBuffer.deallocate()
            retained.release()
            context.finish(.failure(error))
        }
    }

    /// Removes a transfer, frees everything curl held, then tells the caller.
    private func finish(_ id: Int, _ error: (any Error)?) {
        guard let transfer = live.removeValue(forKey: id) else { return }
        liveCount.withLock { $0 = live.count }
        var connects = 0
        var version = 0
        _ = ccurl_easy_getinfo_long(transfer.easy, CURLINFO_NUM_CONNECTS, &connects)
        _ = ccurl_easy_getinfo_long(transfer.easy, CURLINFO_HTTP_VERSION, &version)
        statistics.withLock { stats in
            stats.connectionsOpened += connects
            stats.exchangesFinished += 1
            if version == Int(CURL_HTTP_VERSION_2_0) { stats.http2Exchanges += 1 }
        }
        curl_multi_remove_handle(multi, transfer.easy)
        if idleHandles.count < Self.maxIdleHandles {
            curl_easy_reset(transfer.easy)
            idleHandles.append(transfer.easy)
        } else {
            curl_easy_cleanup(transfer.easy)
        }
        curl_slist_free_all(transfer.headers)
        transfer.errorBuffer.deallocate()
        transfer.context.finish(error.map { .failure($0) } ?? .success(()))
        transfer.retained.release()
    }
}
