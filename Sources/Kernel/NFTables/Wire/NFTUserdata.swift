import CNetlink

/// Rule and set userdata (`NFTA_RULE_USERDATA`, `NFTA_SET_USERDATA`): type-length-value
/// records the kernel stores for nft. lbnet tags rules with a comment, and marks maps whose keys
/// are host-endian so that `nft list` prints them as the numbers they are.
enum NFTUserdata {
    /// `NFTNL_UDATA_SET_KEYBYTEORDER` = nft's `BYTEORDER_HOST_ENDIAN`.
    static func hostByteOrderKeys() -> [UInt8] {
        let buffer = nftnl_udata_buf_alloc(16)!
        defer { nftnl_udata_buf_free(buffer) }
        _ = nftnl_udata_put_u32(buffer, UInt8(NFTNL_UDATA_SET_KEYBYTEORDER.rawValue), hostByteOrder)
        return Array(UnsafeRawBufferPointer(start: nftnl_udata_buf_data(buffer), count: Int(nftnl_udata_buf_len(buffer))))
    }

    /// nft's `enum byteorder`: `BYTEORDER_HOST_ENDIAN`.
    static let hostByteOrder: UInt32 = 1

    /// Userdata holding `comment` as `NFTNL_UDATA_RULE_COMMENT` (NUL-terminated, as nft does).
    static func comment(_ comment: String) -> [UInt8] {
        let buffer = nftnl_udata_buf_alloc(UInt32(comment.utf8.count + 8))!
        defer { nftnl_udata_buf_free(buffer) }
        _ = nftnl_udata_put_strz(buffer, UInt8(NFTNL_UDATA_RULE_COMMENT.rawValue), comment)
        return Array(UnsafeRawBufferPointer(start: nftnl_udata_buf_data(buffer), count: Int(nftnl_udata_buf_len(buffer))))
    }

    /// The comment record of rule userdata, if it has one.
    static func comment(from userdata: UnsafeRawBufferPointer) -> String? {
        guard let base = userdata.baseAddress else { return nil }
        var comment: String?
        _ = withUnsafeMutablePointer(to: &comment) { found in
            nftnl_udata_parse(base, UInt32(userdata.count), { record, context in
                guard let record, let context,
                      nftnl_udata_type(record) == UInt8(NFTNL_UDATA_RULE_COMMENT.rawValue) else { return 1 }
                let value = UnsafeRawBufferPointer(start: nftnl_udata_get(record), count: Int(nftnl_udata_len(record)))
                context.assumingMemoryBound(to: String?.self).pointee = String(decoding: value.prefix { $0 != 0 }, as: UTF8.self)
                return 1
            }, found)
        }
        return comment
    }
}
