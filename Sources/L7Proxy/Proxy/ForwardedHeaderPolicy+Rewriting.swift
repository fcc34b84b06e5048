import NIOHTTP1

extension ForwardedHeaderPolicy {
    /// Calls `line` with each `X-Forwarded-For` line the target gets, from the client's lines
    /// (in order) and the client's address and port: one line with the address appended
    /// (`append`), the lines as sent (`preserve`), or none (`remove`).
    func forEachForwardedFor<Failure: Error>(
        _ lines: [String], clientAddress: String, clientPort: Int?, _ line: (String) throws(Failure) -> Void
    ) throws(Failure) {
        switch xffHeaderProcessingMode {
        case .append:
            let client = xffClientPort && clientPort != nil ? Self.withPort(clientAddress, clientPort!) : clientAddress
            try line(lines.isEmpty ? client : (lines + [client]).joined(separator: ", "))
        case .preserve:
            for sent in lines { try line(sent) }
        case .remove:
            break
        }
    }

    /// The port a `Host` without one gets when the listener's port is not its scheme's default
    /// and the host header is not preserved; nil when `Host` goes unchanged.
    func hostPortToAdd(scheme: String, listenerPort: Int) -> Int? {
        guard !preserveHostHeader, listenerPort != (scheme == "https" ? 443 : 80) else { return nil }
        return listenerPort
    }

    /// `host` with `port` appended when it has none (`[v6]` literals included).
    static func host(_ host: String, adding port: Int) -> String {
        let colon = UInt8(ascii: ":")
        let bytes = host.utf8
        let hasPort = host.hasPrefix("[")
            ? bytes.lastIndex(of: UInt8(ascii: "]")).map { bytes[$0...].dropFirst().first == colon } ?? false
            : bytes.contains(colon)
        return hasPort ? host : "\(host):\(port)"
    }

    private static func withPort(_ address: String, _ port: Int) -> String {
        address.utf8.contains(UInt8(ascii: ":")) ? "[\(address)]:\(port)" : "\(address):\(port)"
    }
}
