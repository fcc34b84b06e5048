/// The header names the node treats apart when it forwards a request or a response, recognised
/// in any letter case from the name's bytes, without a lowercased copy of the name.
enum ForwardingFieldName: Equatable {
    /// Describes one connection and is never forwarded (RFC 9110 section 7.6.1); so does
    /// `Transfer-Encoding`, the framing of one message on one connection.
    case hopByHop
    case transferEncoding
    case expect
    case host
    case contentLength
    case xForwardedFor
    /// `X-Forwarded-Proto`, `X-Forwarded-Port` and `X-Amzn-Trace-Id`: the node sets its own.
    case setByNode
    case other

    var isHopByHop: Bool { self == .hopByHop || self == .transferEncoding }

    init(_ name: String) {
        self = name.utf8.withContiguousStorageIfAvailable(Self.classify) ?? Self.classify(Array(name.utf8))
    }

    init(bytes name: some Collection<UInt8>) {
        self = Self.classify(name)
    }

    private static func classify(_ name: some Collection<UInt8>) -> ForwardingFieldName {
        let named = { (lowercase: StaticString) in HTTPBytes.equalsIgnoringCase(name, lowercase) }
        switch name.count {
        case 2 where named("te"): return .hopByHop
        case 4 where named("host"): return .host
        case 6 where named("expect"): return .expect
        case 7 where named("trailer") || named("upgrade"): return .hopByHop
        case 10 where named("connection") || named("keep-alive"): return .hopByHop
        case 14 where named("content-length"): return .contentLength
        case 15 where named("x-forwarded-for"): return .xForwardedFor
        case 15 where named("x-amzn-trace-id"): return .setByNode
        case 16 where named("proxy-connection"): return .hopByHop
        case 16 where named("x-forwarded-port"): return .setByNode
        case 17 where named("transfer-encoding"): return .transferEncoding
        case 17 where named("x-forwarded-proto"): return .setByNode
        case 18 where named("proxy-authenticate"): return .hopByHop
        case 19 where named("proxy-authorization"): return .hopByHop
        default: return .other
        }
    }
}
