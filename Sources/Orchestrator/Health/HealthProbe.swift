import Foundation
import Kernel
#if canImport(Glibc)
import Glibc
#endif

/// One health check, sent from inside a namespace (an NLB node's): a TCP connect, or an HTTP
/// `GET` whose status must match. Blocking, with the check's timeout; returns AWS's reason code
/// on failure, `nil` on success.
enum HealthProbe {
    static func check(from namespace: String, address: IPv4Address, port: Int, settings: NLBHealthCheckSettings) -> String? {
        guard let fd = try? NetworkNamespace.run(in: namespace, { socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue | SOCK_NONBLOCK.rawValue), 0) }),
              fd >= 0 else { return "Target.FailedHealthChecks" }
        defer { close(fd) }
        let deadline = Date().addingTimeInterval(settings.timeout)
        var target = sockaddr_in()
        target.sin_family = sa_family_t(AF_INET)
        target.sin_port = UInt16(port).bigEndian
        target.sin_addr.s_addr = address.value.bigEndian
        let started = withUnsafePointer(to: &target) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if started != 0 && errno != EINPROGRESS { return "Target.FailedHealthChecks" }
        guard wait(fd, for: Int16(POLLOUT), until: deadline) else { return "Target.Timeout" }
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
        guard error == 0 else { return "Target.FailedHealthChecks" }
        guard settings.kind != .tcp else { return nil }

        let request = "GET \(settings.path) HTTP/1.1\r\nHost: \(address):\(port)\r\nUser-Agent: ELB-HealthChecker/2.0\r\nConnection: close\r\n\r\n"
        guard Array(request.utf8).withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == request.utf8.count
        else { return "Target.FailedHealthChecks" }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !received.contains(UInt8(ascii: "\n")) {
            guard wait(fd, for: Int16(POLLIN), until: deadline) else { return "Target.Timeout" }
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return "Target.FailedHealthChecks" }
            received += buffer[0..<count]
        }
        let statusLine = String(decoding: received.prefix { $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\n") }, as: UTF8.self)
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let code = Int(parts[1]) else { return "Target.FailedHealthChecks" }
        return settings.matcher.matches(code) ? nil : "Target.ResponseCodeMismatch"
    }

    private static func wait(_ fd: Int32, for events: Int16, until deadline: Date) -> Bool {
        var entry = pollfd(fd: fd, events: events, revents: 0)
        while true {
            let remaining = Int32(max(0, deadline.timeIntervalSinceNow * 1000))
            let ready = poll(&entry, 1, remaining)
            if ready > 0 { return true }
            if ready == 0 || errno != EINTR { return false }
        }
    }
}
