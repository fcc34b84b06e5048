/// The protocol of a health check probe (AWS `HealthCheckProtocol` values lbnet checks with).
public enum HealthCheckProtocol: String, Sendable, Hashable, CaseIterable {
    /// A TCP connect: success once the handshake completes.
    case tcp = "TCP"
    /// An HTTP `GET`, judged by its status code.
    case http = "HTTP"
    /// An HTTP `GET` over TLS. ``HealthProbe`` does not speak TLS yet and reports such checks
    /// as failed, saying so in the result.
    case https = "HTTPS"
}
