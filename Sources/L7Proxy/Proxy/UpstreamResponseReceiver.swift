import NIOCore
import NIOHTTP1

/// Receives what an upstream connection delivers while an exchange is using it. Called on the
/// connection's event loop, which is also the client connection's.
protocol UpstreamResponseReceiver: AnyObject {
    func upstreamReceived(_ part: UpstreamResponsePart)
    /// The parts of one read from the connection have all been delivered.
    func upstreamReadComplete()
    func upstreamWritabilityChanged(isWritable: Bool)
    func upstreamFailed(_ failure: UpstreamFailure)
}

/// Why an upstream connection could not deliver a complete response.
enum UpstreamFailure: Error, Equatable {
    /// Connecting took longer than the connect timeout (504).
    case connectTimeout
    /// Connecting failed, such as connection refused (502).
    case connectFailed(String)
    /// The connection closed or reset before the response completed (502).
    case closed
    /// The response was not valid HTTP (502).
    case malformedResponse
    /// No data moved for the idle timeout (504).
    case idleTimeout

    var statusCode: Int {
        switch self {
        case .connectTimeout, .idleTimeout: 504
        case .connectFailed, .closed, .malformedResponse: 502
        }
    }

    /// The access log's `error_reason`.
    var logReason: String {
        switch self {
        case .connectTimeout: "TargetConnectTimeout"
        case .connectFailed: "TargetConnectionError"
        case .closed: "TargetClosedConnection"
        case .malformedResponse: "TargetResponseError"
        case .idleTimeout: "TargetTimeout"
        }
    }
}
