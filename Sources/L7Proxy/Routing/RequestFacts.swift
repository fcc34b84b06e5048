import NIOCore
import NIOHTTP1

/// The parts of a request that listener rules look at, split out once per request.
struct RequestFacts {
    /// The method as sent.
    var method: String
    /// The path of the request target, without query; `/` when the target has none.
    var path: Substring
    /// The query without `?`, or nil when the target has no `?`.
    var query: Substring?
    /// The host the request is for (absolute-form authority, else the Host header), without port.
    var host: Substring?
    var headers: HTTPHeaders
    /// The client connection's peer.
    var peer: SocketAddress?
    /// The port the client connected to, when known (`#{port}` of redirects).
    var localPort: Int?

    init(head: HTTPRequestHead, peer: SocketAddress?, localPort: Int? = nil) {
        method = head.method.rawValue
        headers = head.headers
        self.peer = peer
        self.localPort = localPort

        var target = Substring(head.uri)
        var authority: Substring?
        // Origin-form targets (`/path`) cannot carry a scheme: skip the search for one.
        if !target.hasPrefix("/"), let schemeEnd = target.range(of: "://"),
            target[..<schemeEnd.lowerBound].allSatisfy(\.isLetter)
        {
            let rest = target[schemeEnd.upperBound...]
            let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
            authority = rest[..<authorityEnd]
            target = rest[authorityEnd...]
        }
        if let questionMark = target.utf8.firstIndex(of: UInt8(ascii: "?")) {
            path = target[..<questionMark]
            query = target[target.utf8.index(after: questionMark)...]
        } else {
            path = target
            query = nil
        }
        if path.isEmpty { path = "/" }
        host = (authority ?? head.headers.first(name: "Host").map { Substring($0) }).map(Self.withoutPort)
    }

    /// The peer address bytes of the client connection (4 or 16); made when a source-ip
    /// condition asks, not for every request.
    var sourceAddress: [UInt8]? { peer.flatMap(IPAddressBytes.of) }

    /// `example.com:8080` → `example.com`, `[::1]:80` → `[::1]`.
    static func withoutPort(_ host: Substring) -> Substring {
        let host = host.trimmingWhitespace
        let bytes = host.utf8
        if bytes.first == UInt8(ascii: "[") {
            guard let close = bytes.firstIndex(of: UInt8(ascii: "]")) else { return host }
            return host[...close]
        }
        guard let colon = bytes.lastIndex(of: UInt8(ascii: ":")) else { return host }
        return host[..<colon]
    }

    /// The query's parameters, percent-decoded (`+` as space); a parameter without `=` has an
    /// empty value.
    var queryParameters: [(key: String, value: String)] {
        guard let query else { return [] }
        return query.split(separator: "&").map { parameter in
            let parts = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (PercentDecoding.decode(parts[0]), parts.count > 1 ? PercentDecoding.decode(parts[1]) : "")
        }
    }
}

/// Decodes `application/x-www-form-urlencoded` components; malformed escapes stay as they are.
enum PercentDecoding {
    static func decode(_ text: Substring) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) else {
            return String(text)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), iterator.count >= 2,
                let high = hexValue(iterator[iterator.startIndex]),
                let low = hexValue(iterator[iterator.startIndex + 1])
            {
                bytes.append(high << 4 | low)
                iterator.removeFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
