// The program's entry: SwiftPM renames every executable target's `main`, which hides
// libFuzzer's own, so this hands the command line to libFuzzer's driver with the target's
// callback (`fuzz`, also exported as LLVMFuzzerTestOneInput).
import FuzzerDriver
import Glibc

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzz(data!, size) })
