import CNetlink

/// An nftables data register, numbered as the kernel reports it back in dumps: the four 128-bit
/// registers `NFT_REG_1`...`NFT_REG_4` and the sixteen 32-bit words `NFT_REG32_00`...`15` that
/// overlay them. The kernel names a word that starts a 128-bit register by that register
/// (word 0 is `NFT_REG_1`), so `word(_:)` does the same and read-back compares equal.
public struct NFTRegister: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `NFT_REG_VERDICT`: where verdicts (accept, drop, jump) are written.
    public static let verdict = NFTRegister(rawValue: NFT_REG_VERDICT.rawValue)

    /// The 128-bit register `NFT_REG_<number>` (1...4).
    public static func register(_ number: UInt32) -> NFTRegister {
        precondition((1...4).contains(number), "nftables has 128-bit registers 1 to 4")
        return NFTRegister(rawValue: number)
    }

    /// The 32-bit word `NFT_REG32_<index>` (0...15), named canonically.
    public static func word(_ index: UInt32) -> NFTRegister {
        precondition(index < 16, "nftables has 32-bit registers 0 to 15")
        return index % 4 == 0 ? register(index / 4 + 1) : NFTRegister(rawValue: NFT_REG32_00.rawValue + index)
    }

    public var description: String {
        rawValue < NFT_REG32_00.rawValue ? "reg \(rawValue)" : "reg32 \(rawValue - NFT_REG32_00.rawValue)"
    }
}
