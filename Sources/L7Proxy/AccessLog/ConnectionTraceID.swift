/// Makes `conn_trace_id` values in AWS's format: `TID_` and 16 hex digits, one per client connection.
enum ConnectionTraceID {
    static func make(using generator: inout some RandomNumberGenerator) -> String {
        let hex = String(UInt64.random(in: .min ... .max, using: &generator), radix: 16)
        return "TID_" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}
