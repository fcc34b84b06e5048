import NIOCore
#if canImport(Glibc)
import Glibc
#endif
import NIOHTTP1
import NIOSSL

/// Handles one client connection of a listener: routes each request, answers fixed responses,
/// redirects and errors itself, and streams forwarded requests and their responses between
/// the client and a pooled upstream connection, reading from each side only as fast as the
/// other side can write. Confined to the connection's event loop.
final class ClientConnectionHandler: ChannelDuplexHandler, UpstreamResponseReceiver {
    typealias InboundIn = ClientRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    /// What an HTTP/2 stream's codec takes; an HTTP/1 connection gets the response's bytes
    /// (``ClientResponseBytes``) as `IOData`.
    typealias OutboundOut = HTTPServerResponsePart

    private enum State {
        /// Between requests.
        case idle
        /// The node answered itself; the rest of the request body is read and dropped.
        case discardingBody
        case forwarding(ForwardedExchange)
        /// The connection is closing; nothing more is answered.
        case closed
    }

    private let core: ProxyCore
    private let listenerKey: String
    private let pool: UpstreamPool
    /// The loop's counters; each request that gets a response is counted once.
    private let metrics: ProxyLoopMetrics
    private var context: ChannelHandlerContext?
    private var state = State.idle
    private var readsPaused = false
    private var readPending = false
    /// Response parts written to the client since the last flush: flushed once per upstream
    /// read, so a response that arrives in one read leaves in one write.
    private var responseNeedsFlush = false
    private var random = FastRandomNumberGenerator()
    /// Set when the first request arrives: the connection is active by then.
    private var cachedAddresses: ClientAddresses?
    /// Set with the first request on an HTTPS listener's connection.
    private var cachedSSLProtocol: String?
    /// The router last used, for connections whose listener a reload removed.
    private var lastRouter: ListenerRouter?
    /// The node name of the configuration the current request started with.
    private var nodeName: String
    /// The configuration `lastRouter` and `nodeName` come from: while the node serves it,
    /// requests take them as they are, without looking them up again.
    private var routedSnapshot: ProxyCore.Snapshot
    /// The connection's `conn_trace_id` in access logs, made when the first request arrives.
    private var connectionTraceID: String?

    /// Whether the handler serves one stream of an HTTP/2 connection (its channel's parent).
    private let isHTTP2Stream: Bool
    /// The idle timeout (HTTP/1; an HTTP/2 stream's connection has its own) and
    /// `client_keep_alive.seconds`: when that ends, the connection closes after its next response.
    private let timer: ConnectionTimer
    /// The HTTP/1 connection's request reader, told when the next request may be read.
    private let requestDecoder: ClientRequestDecoder?
    /// The HTTP/1 connection's response bytes, gathered until the next flush; nil on an HTTP/2
    /// stream, whose response parts go to NIO's HTTP/2 codec.
    private var responseBytes: ClientResponseBytes?
    /// Whether closing first shuts the write side and reads until the client closes (plain
    /// HTTP/1), so a response is not lost to a reset caused by unread bytes.
    private let lingersOnClose: Bool
    /// Set when the connection must close after the current response: the client closed its
    /// side, or the request was Ambiguous under the defensive desync mitigation mode.
    private var closeAfterResponse = false

    init(core: ProxyCore, listenerKey: String, pool: UpstreamPool, metrics: ProxyLoopMetrics, isHTTP2Stream: Bool = false,
         requestDecoder: ClientRequestDecoder? = nil, lingersOnClose: Bool = false) {
        self.isHTTP2Stream = isHTTP2Stream
        self.requestDecoder = requestDecoder
        responseBytes = isHTTP2Stream ? nil : ClientResponseBytes()
        self.lingersOnClose = lingersOnClose
        self.core = core
        self.listenerKey = listenerKey
        self.pool = pool
        self.metrics = metrics
        let snapshot = core.snapshot
        lastRouter = snapshot.routers[listenerKey]
        nodeName = snapshot.configuration.nodeName
        routedSnapshot = snapshot
        let configuration = snapshot.configuration
        timer = isHTTP2Stream ? ConnectionTimer(idleTimeout: nil)
            : ConnectionTimer(idleTimeout: .seconds(Int64(configuration.idleTimeoutSeconds)),
                              lifetime: .seconds(Int64(configuration.clientKeepAliveSeconds)))
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        // The closures hold the handler until `handlerRemoved` cancels the timer.
        timer.start(on: context.eventLoop, onIdle: { self.clientWentIdle() }, onLifetimeOver: {
            // An idle connection closes at once; a busy one after its response.
            guard case .idle = self.state, self.requestDecoder?.hasPartialRequest != true else { return }
            self.state = .closed
            self.context?.close(promise: nil)
        })
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer.cancel()
        self.context = nil
    }

    // MARK: Client requests

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let parsed): receivedHead(parsed, context: context)
        case .body(let body): receivedBody(body)
        case .end(let trailers): receivedEnd(trailers)
        }
    }

    private func receivedHead(_ parsed: ParsedRequestHead, context: ChannelHandlerContext) {
        guard case .idle = state else {
            context.close(promise: nil)
            return
        }
        let snapshot = core.snapshot
        if snapshot !== routedSnapshot {
            lastRouter = snapshot.routers[listenerKey] ?? lastRouter
            nodeName = snapshot.configuration.nodeName
            routedSnapshot = snapshot
        }
        let router = lastRouter
        let addresses = addresses(context: context)
        let handling = snapshot.configuration.requestHandling
        let head = parsed.hasInvalidHeaderNames && handling.dropInvalidHeaderFields ? parsed.droppingInvalidHeaders() : parsed.head
        let record = RequestLogRecord(head: head, addresses: addresses, scheme: router?.scheme ?? "http")
        record.connectionTraceID = traceIDOfConnection()
        record.classification = parsed.classification
        if router?.scheme == "https" { record.sslProtocol = sslProtocol(context: context) }
        if let refusal = parsed.refusal {
            record.errorReason = refusal.logReason
            respondWithError(refusal.statusCode, to: head, record: record, close: true)
            return
        }
        switch handling.desyncMitigationMode.verdict(for: parsed.classification.tier) {
        case .allow: break
        case .allowThenClose: closeAfterResponse = true
        case .block:
            respondWithError(400, to: head, record: record, close: true)
            return
        }
        if let refusal = RequestScreening.check(head) {
            record.errorReason = refusal.logReason
            respondWithError(refusal.statusCode, to: head, record: record, close: true)
            return
        }
        guard let router else {
            respondWithError(503, to: head, record: record, close: true)
            return
        }
        let decision = router.route(
            RequestFacts(head: head, peer: addresses.peer, localPort: addresses.localPort),
            using: &random
        )
        record.matchedRulePriority = decision.rulePriority
        record.actionsExecuted = decision.actionsExecuted
        switch decision.outcome {
        case .fixedResponse(let statusCode, let contentType, let body):
            respondLocally(statusCode, contentType: contentType, body: body ?? "", to: head, record: record)
        case .redirect(let statusCode, let location):
            record.redirectURL = location
            respondLocally(
                statusCode, contentType: "text/html", body: ProxyErrorResponse.body(statusCode), to: head, record: record,
                extraHeaders: [("Location", location)]
            )
        case .forward(let group):
            record.targetGroup = group
            // Only HTTP/2 streams and HTTP2 groups need looking at: HTTP/1 requests to HTTP1 groups pay nothing.
            let http2Group = !snapshot.http2Groups.isEmpty && snapshot.http2Groups.contains(group)
            if http2Group ? !isHTTP2Stream
                : isHTTP2Stream && head.headers.first(name: "Content-Type")?.lowercased().hasPrefix("application/grpc") == true {
                // AWS's 464: an HTTP/1 request to an HTTP2 target group, or a gRPC request to an HTTP1 one.
                record.errorReason = "IncompatibleProtocol"
                respondWithError(464, to: head, record: record, close: false)
                return
            }
            let sticky = snapshot.stickiness.isEmpty && decision.targetGroupStickinessSeconds == nil ? nil
                : StickySession(group: group, target: snapshot.stickiness[group], groupSeconds: decision.targetGroupStickinessSeconds,
                                request: head.headers, now: Int(record.receivedDate.timeIntervalSince1970))
            switch core.select(group: group, preferring: sticky?.requestedTarget) {
            case .noRegisteredTargets:
                respondWithError(503, to: head, record: record, close: false)
            case .target(let target):
                forward(
                    head, to: target, group: group, router: router, snapshot: snapshot, record: record, addresses: addresses,
                    context: context, sticky: sticky
                )
            }
        }
    }

    private func traceIDOfConnection() -> String {
        if let connectionTraceID { return connectionTraceID }
        let made = ConnectionTraceID.make(using: &random)
        connectionTraceID = made
        return made
    }

    /// `TLSv1.2` or `TLSv1.3` on an HTTPS listener's connection (an HTTP/2 stream's parent), once known.
    private func sslProtocol(context: ChannelHandlerContext) -> String? {
        if let cachedSSLProtocol { return cachedSSLProtocol }
        // An accepted connection's parent is the listening socket, on another loop.
        guard let connection = isHTTP2Stream ? context.channel.parent : context.channel else { return nil }
        guard let handler = try? connection.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self) else { return nil }
        cachedSSLProtocol = handler.tlsVersion.map { version in
            switch version {
            case .tlsv1: "TLSv1"
            case .tlsv11: "TLSv1.1"
            case .tlsv12: "TLSv1.2"
            case .tlsv13: "TLSv1.3"
            }
        }
        return cachedSSLProtocol
    }

    private func addresses(context: ChannelHandlerContext) -> ClientAddresses {
        if let cachedAddresses { return cachedAddresses }
        let addresses = ClientAddresses(channel: context.channel)
        cachedAddresses = addresses
        return addresses
    }

    private func receivedBody(_ body: ByteBuffer) {
        guard case .forwarding(let exchange) = state else { return }
        exchange.record.receivedBytes += body.readableBytes
        send(.body(.byteBuffer(body)), in: exchange)
    }

    private func receivedEnd(_ trailers: HTTPHeaders?) {
        switch state {
        case .discardingBody:
            state = .idle
            becameIdle()
        case .forwarding(let exchange):
            exchange.requestComplete = true
            send(.end(trailers), in: exchange)
            exchange.upstream?.flush()
            exchange.needsFlush = false
        case .idle, .closed:
            break
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        timer.noteActivity()
        if case .forwarding(let exchange) = state, exchange.needsFlush, let upstream = exchange.upstream {
            exchange.needsFlush = false
            upstream.flush()
        }
        context.fireChannelReadComplete()
    }

    private func send(_ part: UpstreamRequestPart, in exchange: ForwardedExchange) {
        guard let upstream = exchange.upstream else {
            exchange.bufferedParts.append(part)
            return
        }
        upstream.write(part)
        exchange.needsFlush = true
        if !upstream.isWritable {
            // Flushing may make it writable again at once; reads resume on that event.
            upstream.flush()
            exchange.needsFlush = false
            if !upstream.isWritable { pauseReads() }
        }
    }

    // MARK: Forwarding

    private func forward(
        _ head: HTTPRequestHead, to target: TargetEndpoint, group: String, router: ListenerRouter,
        snapshot: ProxyCore.Snapshot, record: RequestLogRecord, addresses: ClientAddresses, context: ChannelHandlerContext,
        sticky: StickySession?
    ) {
        let traceID = TraceIdentifier.forwarded(
            incoming: head.headers["X-Amzn-Trace-Id"], epochSeconds: Int(record.receivedDate.timeIntervalSince1970), using: &random)
        record.traceID = traceID
        record.target = target.description
        let forwardedHead = ForwardedRequestHead(
            request: head,
            context: ForwardedRequestHead.Context(
                clientAddress: addresses.clientIP, listenerScheme: router.scheme,
                listenerPort: addresses.localPort ?? router.port,
                nodeName: nodeName, traceID: traceID, clientPort: addresses.peer?.port,
                policy: snapshot.configuration.forwardedHeaders
            )
        )
        let exchange = ForwardedExchange(forwardedHead: forwardedHead, group: group, target: target, record: record)
        exchange.sticky = sticky
        state = .forwarding(exchange)
        if head.headers[canonicalForm: "Expect"].contains(where: { $0.lowercased() == "100-continue" }) {
            writeHead(HTTPResponseHead(version: head.version, status: .continue), answersHEAD: false, context: context)
            flushWrites(context: context)
        }
        // Hold further reads until the target is connected: what already arrived is buffered.
        pauseReads()
        if let parked = pool.parkedConnection(to: target.key, settings: snapshot.upstreamSettings) {
            connected(.success(parked), for: exchange)
            return
        }
        pool.acquire(target.key, settings: snapshot.upstreamSettings) { [weak self] result in
            self?.connected(result, for: exchange)
        }
    }

    private func connected(_ result: Result<UpstreamConnection, UpstreamFailure>, for exchange: ForwardedExchange) {
        guard case .forwarding(let current) = state, current === exchange else {
            if case .success(let connection) = result { pool.release(connection) }
            return
        }
        switch result {
        case .failure(let failure):
            failExchange(exchange, failure)
        case .success(let connection):
            exchange.upstream = connection
            connection.receiver = self
            exchange.record.sentToTargetAt = .now()
            connection.write(.head(exchange.forwardedHead))
            for part in exchange.bufferedParts { connection.write(part) }
            exchange.bufferedParts.removeAll()
            connection.flush()
            if connection.isWritable { resumeReads() }
        }
    }

    // MARK: Upstream responses

    func upstreamReceived(_ part: UpstreamResponsePart) {
        guard case .forwarding(let exchange) = state, let context else { return }
        switch part {
        case .head(let response):
            exchange.record.responseHeadAt = .now()
            exchange.record.targetStatusCode = Int(response.status.code)
            exchange.record.elbStatusCode = Int(response.status.code)
            let request = exchange.request
            exchange.keepClientAlive = !closeAfterResponse && !timer.lifetimeIsOver && ClientResponseHead.canKeepAlive(
                response: response, request: request, requestMethod: request.method
            )
            exchange.responseStarted = true
            if responseBytes != nil, exchange.sticky == nil, let fieldLines = response.forwardableFieldLines {
                // The target's field lines go on as they are, without becoming strings.
                exchange.record.sentBytes += responseBytes!.head(
                    version: ClientResponseHead.version(requestVersion: request.version), status: response.status,
                    fieldLines: fieldLines,
                    connection: ClientResponseHead.connection(requestVersion: request.version, keepAlive: exchange.keepClientAlive),
                    answersHEAD: request.method == .HEAD, allocator: context.channel.allocator
                )
            } else {
                let received = response.head
                var head = ClientResponseHead.make(from: received, requestVersion: request.version, keepAlive: exchange.keepClientAlive)
                if let sticky = exchange.sticky {
                    sticky.addCookies(to: &head.headers, endpoint: exchange.target, response: received.headers,
                                      now: Int(exchange.record.receivedDate.timeIntervalSince1970))
                }
                exchange.record.sentBytes += HTTPHeadSize.response(head)
                writeHead(head, answersHEAD: request.method == .HEAD, context: context)
            }
            responseNeedsFlush = true
        case .body(let body):
            exchange.record.sentBytes += body.readableBytes
            writeBody(body, context: context)
            responseNeedsFlush = true
            if !context.channel.isWritable {
                // Flushing may make it writable again at once; upstream reads resume on that event.
                flushResponse(context: context)
                if !context.channel.isWritable { exchange.upstream?.pauseReading() }
            }
        case .end(let trailers):
            completeExchange(exchange, trailers: trailers, context: context)
        }
    }

    func upstreamReadComplete() {
        timer.noteActivity()
        guard let context else { return }
        flushResponse(context: context)
    }

    private func flushResponse(context: ChannelHandlerContext) {
        guard responseNeedsFlush else { return }
        responseNeedsFlush = false
        flushWrites(context: context)
    }

    // MARK: Response writes

    /// Writes a response head: gathered as bytes on HTTP/1 (until ``flushWrites(context:promise:)``),
    /// a part for the codec on an HTTP/2 stream. `answersHEAD`: no body follows on the wire.
    private func writeHead(_ head: HTTPResponseHead, answersHEAD: Bool, context: ChannelHandlerContext) {
        guard responseBytes != nil else {
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            return
        }
        responseBytes!.head(head, answersHEAD: answersHEAD, allocator: context.channel.allocator)
    }

    /// Writes a piece of the response body: gathered when small, else written as it is after
    /// what was gathered.
    private func writeBody(_ body: ByteBuffer, context: ChannelHandlerContext) {
        guard responseBytes != nil else {
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
            return
        }
        guard let large = responseBytes!.body(body, allocator: context.channel.allocator) else { return }
        writeGathered(context: context, promise: nil)
        context.write(NIOAny(IOData.byteBuffer(large)), promise: nil)
        responseBytes!.afterLargeBody(allocator: context.channel.allocator)
    }

    /// Writes the response's end and flushes; `promise` completes when all of it is written.
    private func writeEndAndFlush(_ trailers: HTTPHeaders?, context: ChannelHandlerContext, promise: EventLoopPromise<Void>?) {
        guard responseBytes != nil else {
            context.writeAndFlush(wrapOutboundOut(.end(trailers)), promise: promise)
            return
        }
        responseBytes!.end(trailers: trailers, allocator: context.channel.allocator)
        flushWrites(context: context, promise: promise)
    }

    /// Writes what was gathered and flushes the connection.
    private func flushWrites(context: ChannelHandlerContext, promise: EventLoopPromise<Void>? = nil) {
        writeGathered(context: context, promise: promise)
        context.flush()
    }

    /// Writes the gathered bytes (an empty write when there are none but `promise` must complete
    /// in order with the writes before it).
    private func writeGathered(context: ChannelHandlerContext, promise: EventLoopPromise<Void>?) {
        if let bytes = responseBytes?.take() {
            context.write(NIOAny(IOData.byteBuffer(bytes)), promise: promise)
        } else if let promise {
            context.write(NIOAny(IOData.byteBuffer(context.channel.allocator.buffer(capacity: 0))), promise: promise)
        }
    }

    func upstreamWritabilityChanged(isWritable: Bool) {
        if isWritable { resumeReads() } else { pauseReads() }
    }

    func upstreamFailed(_ failure: UpstreamFailure) {
        guard case .forwarding(let exchange) = state else { return }
        exchange.upstream = nil
        failExchange(exchange, failure)
    }

    /// Settles the exchange before its `.end` goes out: writing the `.end` lets a pipelined
    /// next request in at once, which must find the connection idle.
    private func completeExchange(_ exchange: ForwardedExchange, trailers: HTTPHeaders?, context: ChannelHandlerContext) {
        core.finish(group: exchange.group, target: exchange.target.key)
        core.log(exchange.record)
        metrics.countAnswered(exchange.record)
        if let upstream = exchange.upstream {
            exchange.upstream = nil
            if exchange.requestComplete, !closeAfterResponse { pool.release(upstream) } else { detachAndClose(upstream) }
        }
        if !exchange.keepClientAlive {
            state = .closed
        } else {
            state = exchange.requestComplete ? .idle : .discardingBody
        }
        resumeReads()
        responseNeedsFlush = false
        writeEnd(trailers, closing: !exchange.keepClientAlive, context: context)
    }

    /// Writes a response's end; then the connection closes (`closing`) or, once idle, reads the
    /// next request. Only a closing write is watched for completion.
    private func writeEnd(_ trailers: HTTPHeaders?, closing: Bool, context: ChannelHandlerContext) {
        guard !closing else {
            let written = context.eventLoop.makePromise(of: Void.self)
            writeEndAndFlush(trailers, context: context, promise: written)
            closeAfter(written.futureResult)
            return
        }
        writeEndAndFlush(trailers, context: context, promise: nil)
        if case .idle = state { becameIdle() }
    }

    /// The connection is between requests and stays open: the next request may be read.
    private func becameIdle() {
        requestDecoder?.resume()
    }

    /// Whether the connection stays open after answering `request`.
    private func keepsAlive(_ request: HTTPRequestHead) -> Bool {
        request.isKeepAlive && !closeAfterResponse && !timer.lifetimeIsOver
    }

    /// Closes an upstream connection without hearing back from it.
    private func detachAndClose(_ upstream: UpstreamConnection) {
        upstream.receiver = nil
        upstream.close()
    }

    private func failExchange(_ exchange: ForwardedExchange, _ failure: UpstreamFailure) {
        core.finish(group: exchange.group, target: exchange.target.key)
        if let upstream = exchange.upstream { detachAndClose(upstream) }
        exchange.upstream = nil
        exchange.record.errorReason = failure.logReason
        resumeReads()
        guard !exchange.responseStarted else {
            core.log(exchange.record)
            metrics.countAnswered(exchange.record)
            state = .closed
            if let context {
                flushResponse(context: context)
                context.close(promise: nil)
            }
            return
        }
        respondWithError(failure.statusCode, to: exchange.request, record: exchange.record, close: false, requestComplete: exchange.requestComplete)
    }

    // MARK: Local responses

    private func respondWithError(
        _ statusCode: Int, to request: HTTPRequestHead, record: RequestLogRecord, close: Bool, requestComplete: Bool = false
    ) {
        let (head, body) = ProxyErrorResponse.response(statusCode, version: request.version, close: close || !keepsAlive(request))
        write(head, body: body, to: request, record: record, close: close, requestComplete: requestComplete)
    }

    private func respondLocally(
        _ statusCode: Int, contentType: String?, body: String, to request: HTTPRequestHead, record: RequestLogRecord,
        extraHeaders: [(String, String)] = []
    ) {
        var headers = HTTPHeaders()
        headers.add(name: "Server", value: "awselb/2.0")
        if let contentType { headers.add(name: "Content-Type", value: contentType) }
        headers.add(name: "Content-Length", value: String(body.utf8.count))
        headers.add(contentsOf: extraHeaders)
        headers.add(name: "Connection", value: keepsAlive(request) ? "keep-alive" : "close")
        let status = HTTPResponseStatus(statusCode: statusCode)
        let head = HTTPResponseHead(version: request.version == .http1_0 ? .http1_0 : .http1_1, status: status, headers: headers)
        write(head, body: body, to: request, record: record, close: false, requestComplete: false)
    }

    /// Writes a complete response the node makes itself, logs it, and decides what happens to
    /// the connection: closed when asked or the client wants it, else the request body (if
    /// still arriving) is dropped.
    private func write(
        _ head: HTTPResponseHead, body: String, to request: HTTPRequestHead, record: RequestLogRecord, close: Bool,
        requestComplete: Bool
    ) {
        guard let context else { return }
        record.elbStatusCode = Int(head.status.code)
        record.sentBytes += HTTPHeadSize.response(head)
        let sendsBody = request.method != .HEAD && !body.isEmpty
        if sendsBody { record.sentBytes += body.utf8.count }
        core.log(record)
        metrics.countAnswered(record)
        // Settle the state first: the `.end` may let a pipelined request in at once.
        let closing = close || !keepsAlive(request)
        state = closing ? .closed : requestComplete ? .idle : .discardingBody
        writeHead(head, answersHEAD: request.method == .HEAD, context: context)
        if sendsBody { writeBody(context.channel.allocator.buffer(string: body), context: context) }
        writeEnd(nil, closing: closing, context: context)
    }

    /// How long a closing plain HTTP/1 connection reads and drops what the client still sends.
    private static let lingeringTimeout = TimeAmount.seconds(2)

    /// Closes the connection once `written` is sent. Nothing after the answered request is read
    /// as a request. On plain HTTP/1 the write side is shut first and the connection read until
    /// the client closes (or for ``lingeringTimeout``): closing with unread bytes would reset the
    /// connection and could destroy the response before the client read it.
    private func closeAfter(_ written: EventLoopFuture<Void>) {
        guard let context else { return }
        requestDecoder?.stop()
        let channel = context.channel
        guard lingersOnClose else {
            written.whenComplete { _ in channel.close(promise: nil) }
            return
        }
        written.whenComplete { _ in
            channel.close(mode: .output, promise: nil)
            channel.eventLoop.scheduleTask(in: Self.lingeringTimeout) { channel.close(promise: nil) }
        }
    }

    // MARK: Connection events

    func read(context: ChannelHandlerContext) {
        if readsPaused {
            readPending = true
        } else {
            context.read()
        }
    }

    private func pauseReads() {
        readsPaused = true
    }

    private func resumeReads() {
        guard readsPaused else { return }
        readsPaused = false
        if readPending, let context {
            readPending = false
            context.read()
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable, case .forwarding(let exchange) = state {
            exchange.upstream?.resumeReading()
        }
        context.fireChannelWritabilityChanged()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            // The client shut its write side: what it sent is answered, then the connection closes.
            closeAfterResponse = true
            switch state {
            case .idle, .closed:
                state = .closed
                context.close(promise: nil)
            case .discardingBody, .forwarding:
                break
            }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// No data either way for the idle timeout: a request the client has not finished sending is
    /// answered 408 (as ALB does); between requests the connection just closes. While the target
    /// is answering, the upstream connection's own idle timer decides.
    private func clientWentIdle() {
        guard let context else { return }
        switch state {
        case .idle where requestDecoder?.hasPartialRequest == true:
            let record = RequestLogRecord(unreadableFrom: addresses(context: context))
            record.connectionTraceID = traceIDOfConnection()
            record.errorReason = "RequestTimeout"
            let (head, body) = ProxyErrorResponse.response(408, version: .http1_1, close: true)
            respondToUnreadable(head, body: body, record: record, context: context)
        case .forwarding(let exchange) where !exchange.requestComplete && !exchange.responseStarted:
            core.finish(group: exchange.group, target: exchange.target.key)
            if let upstream = exchange.upstream { detachAndClose(upstream) }
            exchange.upstream = nil
            exchange.record.errorReason = "RequestTimeout"
            respondWithError(408, to: exchange.request, record: exchange.record, close: true)
        case .forwarding:
            break
        case .idle, .discardingBody, .closed:
            state = .closed
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let refusal: RequestRefusal
        if let read = error as? RequestRefusal {
            refusal = read
        } else if error is HTTPParserError {
            refusal = .malformed("MalformedRequest")
        } else {
            let reset = (error as? IOError).map { $0.errnoCode == ECONNRESET || $0.errnoCode == EPIPE } ?? false
            abandon(context: context, errorReason: reset ? "ClientClosedConnection" : "ClientConnectionError")
            return
        }
        switch state {
        case .idle:
            let record = RequestLogRecord(unreadableFrom: addresses(context: context))
            record.connectionTraceID = traceIDOfConnection()
            record.errorReason = refusal.logReason
            record.classification = refusal.classification
            let (head, body) = ProxyErrorResponse.response(refusal.statusCode, version: .http1_1, close: true)
            respondToUnreadable(head, body: body, record: record, context: context)
        case .forwarding(let exchange) where !exchange.responseStarted:
            core.finish(group: exchange.group, target: exchange.target.key)
            if let upstream = exchange.upstream { detachAndClose(upstream) }
            exchange.upstream = nil
            exchange.record.errorReason = refusal.logReason
            respondWithError(refusal.statusCode, to: exchange.request, record: exchange.record, close: true)
        case .forwarding, .discardingBody, .closed:
            abandon(context: context, errorReason: refusal.logReason)
        }
    }

    private func respondToUnreadable(_ head: HTTPResponseHead, body: String, record: RequestLogRecord, context: ChannelHandlerContext) {
        record.elbStatusCode = Int(head.status.code)
        writeHead(head, answersHEAD: false, context: context)
        writeBody(context.channel.allocator.buffer(string: body), context: context)
        let written = context.eventLoop.makePromise(of: Void.self)
        writeEndAndFlush(nil, context: context, promise: written)
        core.log(record)
        metrics.countAnswered(record)
        state = .closed
        closeAfter(written.futureResult)
    }

    func channelInactive(context: ChannelHandlerContext) {
        abandon(context: context, errorReason: "ClientClosedConnection")
        context.fireChannelInactive()
    }

    /// The client connection is gone or unusable: an exchange in progress is cut off and logged
    /// (460 when the client left before any answer, as ALB logs it).
    private func abandon(context: ChannelHandlerContext, errorReason: String) {
        if case .forwarding(let exchange) = state {
            state = .closed
            core.finish(group: exchange.group, target: exchange.target.key)
            if let upstream = exchange.upstream { detachAndClose(upstream) }
            exchange.upstream = nil
            if !exchange.responseStarted { exchange.record.elbStatusCode = 460 }
            exchange.record.errorReason = errorReason
            core.log(exchange.record)
            if exchange.responseStarted { metrics.countAnswered(exchange.record) }
        }
        state = .closed
        flushResponse(context: context)
        context.close(promise: nil)
    }
}
