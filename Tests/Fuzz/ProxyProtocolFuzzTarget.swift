import L7Proxy

/// Any bytes as the start of a connection to the built-in target server: a PROXY protocol v2
/// header is read or refused, never a crash or an out-of-bounds read, however its lengths lie;
/// a header read is encoded again and reads back the same.
struct ProxyProtocolFuzzTarget: FuzzTarget {
    static let name = "proxy-protocol"

    func run(_ input: [UInt8]) {
        guard case .header(let header, let length)? = try? ProxyProtocolHeader.parse(input) else { return }
        precondition(length <= input.count, "a header longer than its input")
        guard header.command == .proxy, header.source != nil else { return }
        guard case .header(let again, _)? = try? ProxyProtocolHeader.parse(header.encoded()), again == header else {
            preconditionFailure("a header read does not read back after encoding")
        }
    }
}
