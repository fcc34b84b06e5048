import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What tells a configuration file's versions apart without reading it: device, inode, size and
/// modification time. An atomic replace (rename) changes the inode; an edit in place changes the
/// size or time.
struct ConfigurationFileIdentity: Equatable, Sendable {
    let device: UInt64
    let inode: UInt64
    let size: Int64
    let modifiedSeconds: Int
    let modifiedNanoseconds: Int

    /// The identity of the file at `path`, `nil` when it cannot be stat'ed.
    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        modifiedSeconds = info.st_mtim.tv_sec
        modifiedNanoseconds = info.st_mtim.tv_nsec
    }
}
