/// The current row of a streamed result. Its values are valid only during the call
/// that receives the row (backends reuse their buffers for the next row), which is
/// what lets a task write rows into its batch without an allocation per row.
public protocol SQLRow {
    /// Whether column `index` is NULL.
    func isNull(_ index: Int) -> Bool
    /// Column `index`'s value as text: integers and decimals in decimal digits,
    /// booleans as `0`/`1`/`t`/`f`/`true`/`false`, timestamps as
    /// `YYYY-MM-DD HH:MM:SS[.ffffff]`, dates `YYYY-MM-DD`, times `HH:MM:SS[.ffffff]`;
    /// nil for NULL. For `bytes` columns, the raw bytes.
    func bytes(_ index: Int) -> UnsafeRawBufferPointer?
}
