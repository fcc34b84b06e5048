import Foundation
import L7Proxy
import Logging
import NIOCore
import NIOPosix
#if canImport(Glibc)
import Glibc
#endif

/// Any bytes a client may send to an ALB node: a proxy on 127.0.0.1, with host, path, method
/// and header rules in front of two built-in target servers, gets the input on a fresh TCP
/// connection followed by the client's half-close. The proxy must answer with well-formed
/// HTTP (or nothing) and close within a bound; it must neither hang nor keep the connection.
final class HTTPRequestFuzzTarget: FuzzTarget, Sendable {
    static let name = "http-request"
    /// Started on first use; one proxy serves every input of a run.
    static let shared = HTTPRequestFuzzTarget()

    /// How long the proxy has to answer and close: far above any answer it gives on loopback
    /// (the configured idle timeout is 3 s), far below libFuzzer's own hang limit.
    static let answerLimit: Double = 10
    private let proxyPort: Int
    private let baselineDescriptors: Int
    private let inputs = AtomicCounter()

    private init() {
        let ports = Self.blocking { () async throws -> Int in
            var targetPorts: [Int] = []
            for name in ["fuzz-a", "fuzz-b"] {
                let server = try await TargetServer(configuration: .init(instanceName: name, availabilityZone: "az-a", host: "127.0.0.1", port: 0)).bind()
                targetPorts.append(server.localAddress.port!)
            }
            var logger = Logger(label: "lbnet.fuzz")
            logger.logLevel = .critical
            let proxy = try ProxyServer(configuration: Self.configuration(targetPorts: targetPorts), logger: logger,
                                        accessLog: AccessLogSink { _ in })
            let addresses = try await proxy.start()
            return addresses.values.first!.port!
        }
        proxyPort = ports
        baselineDescriptors = Self.openDescriptors()
    }

    /// Rules of every condition type, so the router sees the fuzzed heads.
    static func configuration(targetPorts: [Int]) -> ProxyConfiguration {
        let forward = RuleAction.forward([WeightedTargetGroup(name: "web")])
        let deny = RuleAction.fixedResponse(FixedResponseAction(statusCode: "403", contentType: "text/plain", messageBody: "denied"))
        return ProxyConfiguration(
            nodeName: "alb-fuzz-a", availabilityZone: "az-a", idleTimeoutSeconds: 3, connectTimeoutSeconds: 2,
            listeners: [ListenerConfiguration(address: "127.0.0.1", port: 0, rules: [
                ListenerRule(priority: 1, conditions: [.hostHeader(["admin.example.com"])], actions: [deny]),
                ListenerRule(priority: 2, conditions: [.pathPattern(["/api/*"]), .httpRequestMethod(["POST", "PUT"])], actions: [forward]),
                ListenerRule(priority: 3, conditions: [.httpHeader(name: "X-Fuzz", values: ["a*b?"])], actions: [deny]),
                ListenerRule(priority: 4, conditions: [.queryString([QueryStringPair(key: "q", value: "x*")])], actions: [deny]),
            ], defaultActions: [forward])],
            targetGroups: [TargetGroupConfiguration(
                name: "web", port: 8080, healthCheck: HealthCheckConfiguration(enabled: false), deregistrationDelaySeconds: 0,
                targets: targetPorts.map { TargetConfiguration(address: "127.0.0.1", port: $0, availabilityZone: "az-a") })]
        )
    }

    func run(_ input: [UInt8]) {
        let answer = exchange(input)
        if !answer.isEmpty, !answer.starts(with: Array("HTTP/1.".utf8)) {
            fatalError("the proxy answered with bytes that are not an HTTP/1.x response: \(String(decoding: answer.prefix(64), as: UTF8.self))")
        }
        // A client that sent a whole request head is never left without an answer: a response
        // from a target, or the load balancer's own 4xx/5xx (RFC 9112; AWS's desync guardian).
        if answer.isEmpty, Self.holdsRequestHead(input) {
            fatalError("a complete request head got no answer: \(String(decoding: input.prefix(200), as: UTF8.self))")
        }
        if inputs.increment() % 500 == 0 { checkNoConnectionLeft() }
    }

    /// Whether `input` starts with something shaped like a request line and holds the blank
    /// line that ends a head within the size a proxy reads before refusing.
    static func holdsRequestHead(_ input: [UInt8]) -> Bool {
        guard let first = input.first, (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(first) else { return false }
        let window = input.prefix(16_384)
        let end: [UInt8] = Array("\r\n\r\n".utf8)
        return window.count >= 4 && (0...(window.count - 4)).contains { Array(window[$0..<($0 + 4)]) == end }
    }

    /// Sends `input`, half-closes, and reads until the proxy closes.
    private func exchange(_ input: [UInt8]) -> [UInt8] {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        precondition(socket >= 0, "socket: \(String(cString: strerror(errno)))")
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(proxyPort).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        precondition(connected == 0, "connect to the proxy: \(String(cString: strerror(errno)))")
        var limit = timeval(tv_sec: Int(Self.answerLimit), tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        // The proxy may answer and close before reading everything: a failed send is fine.
        _ = input.withUnsafeBytes { send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        shutdown(socket, Int32(SHUT_WR))
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count > 0 { answer += buffer[0..<count]; continue }
            if count == 0 || errno == ECONNRESET { return answer }
            if errno == EINTR { continue }
            fatalError("the proxy neither answered nor closed within \(Self.answerLimit) s (errno \(errno)); it had sent \(answer.count) bytes")
        }
    }

    /// Every connection the proxy accepted is closed again: its open descriptors return to the
    /// level they had before the first input (plus pooled upstream connections, at most a few).
    private func checkNoConnectionLeft() {
        let allowance = 16
        for _ in 0..<50 where Self.openDescriptors() > baselineDescriptors + allowance {
            Thread.sleep(forTimeInterval: 0.1)
        }
        let open = Self.openDescriptors()
        if open > baselineDescriptors + allowance {
            fatalError("\(open - baselineDescriptors) descriptors stay open after \(inputs.value) inputs: connections leak")
        }
    }

    private static func openDescriptors() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
    }

    /// Runs async setup from libFuzzer's synchronous callback (the main thread, never an event
    /// loop or the cooperative pool).
    private static func blocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) -> T {
        let result = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        Task {
            do { result.set(.success(try await body())) } catch { result.set(.failure(error)) }
            done.signal()
        }
        done.wait()
        switch result.get()! {
        case .success(let value): return value
        case .failure(let error): fatalError("the fuzz proxy did not start: \(error)")
        }
    }
}
