import Foundation

/// The inputs kept in the repository for each target: seeds and every input that once failed.
enum FuzzCorpus {
    /// The files at `path`: the file itself, or a folder's regular files (recursively), sorted.
    static func files(at path: String) -> [String] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { return [] }
        guard isFolder.boolValue else { return [path] }
        let names = (FileManager.default.enumerator(atPath: path)?.allObjects as? [String]) ?? []
        return names.map { "\(path)/\($0)" }.filter {
            var folder: ObjCBool = false
            return FileManager.default.fileExists(atPath: $0, isDirectory: &folder) && !folder.boolValue
        }.sorted()
    }
}
