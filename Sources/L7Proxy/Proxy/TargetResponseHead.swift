import NIOCore
import NIOHTTP1

/// A target's final response head as the node received it. From an HTTP/1.1 target whose
/// field lines an HTTP/1 client can get as they are (``ParsedResponseHead``), the lines are
/// kept as their bytes and forwarded without being made into strings; any other head's fields
/// are decoded into NIO's type.
public struct TargetResponseHead {
    public let version: HTTPVersion
    public let status: HTTPResponseStatus
    private let fields: Fields

    private enum Fields {
        /// Field lines, each `name: value` and CRLF, none hop-by-hop, one of them `Content-Length`.
        case forwardable(ByteBuffer)
        case decoded(HTTPHeaders)
    }

    /// A head from NIO's codec (HTTP/2 targets).
    public init(_ head: HTTPResponseHead) {
        version = head.version
        status = head.status
        fields = .decoded(head.headers)
    }

    /// The head read from `section` (the status line through the empty line) as `parsed`;
    /// without `Content-Length` when `droppingLength` (the body is chunked or ends with the
    /// connection).
    init(section: ByteBuffer, parsed: ParsedResponseHead, droppingLength: Bool) {
        version = parsed.version
        status = parsed.status
        if parsed.fieldLinesAreForwardable, !droppingLength {
            fields = .forwardable(section.getSlice(at: section.readerIndex + parsed.fieldLines.lowerBound, length: parsed.fieldLines.count)!)
        } else {
            fields = .decoded(section.withUnsafeReadableBytes {
                ResponseFieldLines.decode($0, from: parsed.fieldLines.lowerBound, droppingLength: droppingLength)
            })
        }
    }

    /// The field lines' bytes, when an HTTP/1 client may get them exactly as received.
    var forwardableFieldLines: ByteBuffer? {
        if case .forwardable(let lines) = fields { lines } else { nil }
    }

    /// The fields as NIO's type (decoded again from their bytes when they were kept as bytes).
    public var headers: HTTPHeaders {
        switch fields {
        case .decoded(let headers): headers
        case .forwardable(let lines): lines.withUnsafeReadableBytes { ResponseFieldLines.decode($0) }
        }
    }

    /// The head as NIO's type.
    public var head: HTTPResponseHead {
        HTTPResponseHead(version: version, status: status, headers: headers)
    }

    /// Whether the target keeps the connection open after this response.
    var isKeepAlive: Bool {
        switch fields {
        // No `Connection` field: the version's default.
        case .forwardable: version.minor >= 1
        case .decoded(let headers): HTTPResponseHead(version: version, status: status, headers: headers).isKeepAlive
        }
    }

    /// Whether a `Content-Length` field is among the fields.
    var hasContentLength: Bool {
        switch fields {
        case .forwardable: true
        case .decoded(let headers): headers.contains(name: "Content-Length")
        }
    }
}
