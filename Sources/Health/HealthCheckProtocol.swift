/// The protocol of a health check probe (AWS `HealthCheckProtocol` values lbnet checks with).
public enum HealthCheckProtocol: String, Sendable, Hashable, CaseIterable, Codable {
    /// A TCP connect: success once the handshake completes.
    case tcp = "TCP"
    /// An HTTP `GET`, judged by its status code.
    case http = "HTTP"
    /// An HTTP `GET` over TLS; the target's certificate is not verified (``TargetTLSContext``).
    case https = "HTTPS"
}
