import NIOCore

/// A client connection's addresses in the forms requests need (access log fields, forwarded
/// headers, routing facts), worked out once per connection instead of once per request; a class,
/// so each request takes them with one retain rather than a copy of every field.
final class ClientAddresses {
    let peer: SocketAddress?
    /// `ip:port` of the client, `-` when unknown.
    let clientHostPort: String
    /// The client's IP, `-` when unknown.
    let clientIP: String
    /// The node's address of the connection, when known.
    let localIP: String?
    let localPort: Int?

    init(channel: Channel) {
        peer = channel.remoteAddress
        clientHostPort = peer?.hostPort ?? "-"
        clientIP = peer?.ipAddress ?? "-"
        let local = channel.localAddress
        localIP = local?.ipAddress
        localPort = local?.port
    }
}
