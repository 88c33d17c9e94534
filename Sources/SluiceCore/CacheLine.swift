/// The distance kept between data written by different threads.
///
/// 128 bytes rather than 64: Intel's adjacent-line prefetcher pulls cache lines in
/// pairs, so two hot fields 64 bytes apart still interfere (the same figure
/// `std::hardware_destructive_interference_size` uses on x86-64 with GCC).
public enum CacheLine {
    /// Bytes between two independently written fields.
    public static let padding = 128
}
