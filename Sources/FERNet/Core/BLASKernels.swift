// BLASKernels: picks OpenBLAS's AVX-512 (SkylakeX) GEMM kernels on CPUs that
// have AVX-512 but that OpenBLAS 0.3.21 runs with "Haswell"/"Zen" kernels (AMD
// Zen 4). Measured here: sgemm at conv shapes goes from ~105 to ~190-205
// GFLOP/s on one thread. It re-runs OpenBLAS's own dynamic-arch selection with
// OPENBLAS_CORETYPE set, once per process, before the engine's first GEMM
// (every layer that calls BLAS touches `BLASKernels.selected` in its init).
// Policy, from the environment:
//   FERNET_BLAS_CORE=<name>   use that OpenBLAS core (e.g. SkylakeX), even over OPENBLAS_CORETYPE
//   FERNET_BLAS_CORE=default  leave OpenBLAS's choice alone
//   OPENBLAS_CORETYPE set     respected (it is the operator's explicit choice)
//   otherwise                 Haswell/Zen -> SkylakeX when the CPU has AVX-512 F/BW/DQ/VL

#if canImport(Glibc)
import Glibc
#endif
import CBLAS

public enum BLASKernels {
    /// The OpenBLAS core in use after the one-time selection, e.g. "SkylakeX".
    public static var selected: String { selection }

    private static let selection: String = {
        let current = String(cString: openblas_get_corename())
        let env = ProcessInfoLite.environment
        let wanted: String
        if let forced = env["FERNET_BLAS_CORE"] {
            guard forced.lowercased() != "default", forced.lowercased() != current.lowercased() else { return current }
            wanted = forced
        } else {
            guard env["OPENBLAS_CORETYPE"] == nil, ["haswell", "zen"].contains(current.lowercased()) else { return current }
            wanted = "SkylakeX"
        }
        let needsAVX512 = ["skylakex", "cooperlake", "sapphirerapids"].contains(wanted.lowercased())
        guard !needsAVX512 || cpuHasAVX512() else { return current }
        guard let handle = dlopen(nil, RTLD_NOW),
              let quitSym = dlsym(handle, "gotoblas_dynamic_quit"),
              let initSym = dlsym(handle, "gotoblas_dynamic_init") else { return current }
        typealias Fn = @convention(c) () -> Void
        let quit = unsafeBitCast(quitSym, to: Fn.self), start = unsafeBitCast(initSym, to: Fn.self)
        let previous = env["OPENBLAS_CORETYPE"]
        setenv("OPENBLAS_CORETYPE", wanted, 1)
        quit()
        start()
        if let previous { setenv("OPENBLAS_CORETYPE", previous, 1) } else { unsetenv("OPENBLAS_CORETYPE") }
        return String(cString: openblas_get_corename())
    }()

    /// AVX-512 F/BW/DQ/VL as listed by the kernel in /proc/cpuinfo (the kernel
    /// hides them when it does not save AVX-512 state).
    private static func cpuHasAVX512() -> Bool {
        guard let f = fopen("/proc/cpuinfo", "r") else { return false }
        defer { fclose(f) }
        var line = [CChar](repeating: 0, count: 8192)
        while fgets(&line, Int32(line.count), f) != nil {
            let s = line.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            if s.hasPrefix("flags") {
                let flags = Set(s.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init))
                return ["avx512f", "avx512bw", "avx512dq", "avx512vl"].allSatisfy(flags.contains)
            }
        }
        return false
    }
}

/// Environment lookup without Foundation.
enum ProcessInfoLite {
    static var environment: [String: String] {
        var result: [String: String] = [:]
        var p = environ
        while let entry = p.pointee {
            let s = String(cString: entry)
            if let eq = s.firstIndex(of: "=") { result[String(s[..<eq])] = String(s[s.index(after: eq)...]) }
            p += 1
        }
        return result
    }
}
