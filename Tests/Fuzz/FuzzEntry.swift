import Foundation

#if LBNET_FUZZING
// Built by `scripts/fuzz` with `-sanitize=fuzzer,address`: libFuzzer drives the target that
// LBNET_FUZZ_TARGET names. SwiftPM links an executable with `main` aliased to the module's
// entry point, so that entry point hands over to libFuzzer's driver.

/// The target of this run, chosen before the first input.
nonisolated(unsafe) private var selected: (any FuzzTarget)?  // written once in `lbnet_fuzz_main` before libFuzzer calls in

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ start: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    selected!.run(size == 0 ? [] : Array(UnsafeBufferPointer(start: start, count: size)))
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<CInt>,
                     _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                     _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

@_cdecl("lbnet_fuzz_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    let name = ProcessInfo.processInfo.environment["LBNET_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTargets.make(name) else {
        FileHandle.standardError.write(Data("LBNET_FUZZ_TARGET must be one of \(FuzzTargets.names.joined(separator: ", "))\n".utf8))
        return 2
    }
    selected = target
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments, fuzzOneInput)
}
#else
/// Without libFuzzer: replays saved inputs through a target, so a crash found once stays a
/// regression check. `lbnet-fuzz TARGET FILE-OR-FOLDER...`
@main
struct FuzzReplay {
    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        guard let name = arguments.first, let target = FuzzTargets.make(name), arguments.count > 1 else {
            print("usage: lbnet-fuzz {\(FuzzTargets.names.joined(separator: "|"))} FILE-OR-FOLDER...")
            exit(2)
        }
        var count = 0
        for path in arguments.dropFirst() {
            for file in FuzzCorpus.files(at: path) {
                target.run(Array(FileManager.default.contents(atPath: file) ?? Data()))
                count += 1
            }
        }
        print("\(name): \(count) inputs replayed, no failure")
    }
}
#endif
