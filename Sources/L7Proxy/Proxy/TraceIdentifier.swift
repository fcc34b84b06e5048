/// The `X-Amzn-Trace-Id` the node forwards, as AWS's request tracing describes it: without the
/// header it makes `Root=1-<time>-<random>`; with a valid one it keeps its fields (a Root and any
/// custom ones) and inserts (or updates) `Self=` with an id of its own; a malformed one (or
/// several headers) is replaced by a new Root. Pure.
enum TraceIdentifier {
    static func forwarded(incoming: [String], epochSeconds: Int, using generator: inout some RandomNumberGenerator) -> String {
        let root = TraceID.make(epochSeconds: epochSeconds, using: &generator)
        guard incoming.count == 1, let fields = validFields(incoming[0]) else { return root }
        let id = root.dropFirst("Root=".count)
        return (["Self=\(id)"] + fields.filter { !$0.hasPrefix("Self=") }).joined(separator: ";")
    }

    /// The fields of a header with exactly one well-formed `Root` and well-formed `key=value`
    /// fields, else nil.
    private static func validFields(_ header: String) -> [Substring]? {
        let fields = header.split(separator: ";", omittingEmptySubsequences: false).map { $0.trimmingWhitespace }
        var roots = 0
        for field in fields {
            guard let equals = field.firstIndex(of: "="), equals != field.startIndex,
                field[..<equals].utf8.allSatisfy(HTTPToken.isTokenByte),
                field[field.index(after: equals)...].utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ";") })
            else { return nil }
            let key = field[..<equals]
            let value = field[field.index(after: equals)...]
            if key == "Root" || key == "Self" {
                guard isTraceID(value) else { return nil }
                if key == "Root" { roots += 1 }
            }
        }
        return roots == 1 ? fields : nil
    }

    /// `1-` then 8 hex digits, `-`, 24 hex digits.
    private static func isTraceID(_ value: Substring) -> Bool {
        let parts = value.split(separator: "-", omittingEmptySubsequences: false)
        return parts.count == 3 && parts[0] == "1" && parts[1].count == 8 && parts[2].count == 24
            && (parts[1] + parts[2]).utf8.allSatisfy { $0.isASCIIHexDigit }
    }
}

extension UInt8 {
    fileprivate var isASCIIHexDigit: Bool {
        (48...57).contains(self) || (65...70).contains(self) || (97...102).contains(self)
    }
}
