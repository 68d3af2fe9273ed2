// Gives the memory freed during start-up back to the system: the model file's
// bytes and the weights' plain copies are freed once the engine is built, but
// glibc keeps freed heap blocks in the process (and, once a large block was
// freed, serves later large ones from the heap too), so they would stay in
// RSS for the whole run. One call after start-up; not a periodic collector.
import CMalloc

public enum FreedMemory {
    /// Returns free heap memory to the system (glibc's malloc_trim); true when some was.
    @discardableResult
    public static func release() -> Bool {
        malloc_trim(0) == 1
    }
}
