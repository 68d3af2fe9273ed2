// Measuring helpers shared by every benchmark: process CPU time. No figures here.
#if canImport(Glibc)
import Glibc
#endif

/// CPU seconds used by this process so far (all threads, user + system).
func processCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}
