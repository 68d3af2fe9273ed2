// FreedMemory: heap blocks freed by the process are given back to the system.
import Foundation
import Testing
@testable import FERCam

@Suite struct FreedMemoryTests {
    /// ThreadSanitizer brings its own allocator, where glibc's malloc_trim has nothing to give back.
    @Test(.disabled(if: ProcessInfo.processInfo.environment["TSAN_OPTIONS"] != nil, "under ThreadSanitizer (its own allocator)"))
    func freedHeapBlocksAreGivenBack() {
        // 1024 blocks of 64 kB (below glibc's mmap threshold: they come from the heap), freed.
        let blocks = (0..<1024).map { _ -> UnsafeMutableRawPointer in
            let p = malloc(64 << 10)!
            memset(p, 1, 64 << 10)   // touched: resident
            return p
        }
        // A block after them, kept: the freed ones are inside the heap, not at its top (which
        // free() itself may return).
        let kept = malloc(64 << 10)!
        defer { free(kept) }
        blocks.forEach { free($0) }
        #expect(FreedMemory.release(), "64 MB of freed heap blocks, nothing given back")
    }
}
