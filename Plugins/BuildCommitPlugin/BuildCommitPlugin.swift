import Foundation
import PackagePlugin

/// Records the git commit a target is built from, for `GET /` of the REST API (as
/// Kafka Connect shows its own commit there).
///
/// Before every build it runs `git rev-parse --short=16 HEAD` in the package's
/// directory and writes `BuildCommit.swift`:
///
/// ```swift
/// enum BuildCommit { static let hash = "0be7404c8d6b1f2a" }
/// ```
///
/// Outside a git checkout (a source tarball, no `git` installed) the hash is
/// `"unknown"`. The file is rewritten only when the hash changed, so an unchanged
/// checkout does not recompile the target.
@main
struct BuildCommitPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appending(path: "GeneratedSources")
        let file = output.appending(path: "BuildCommit.swift")
        // $1: the package directory, $2: the file to write.
        let script = """
            commit=$(git -C "$1" rev-parse --short=16 HEAD 2>/dev/null) || commit=unknown
            text="// Written by BuildCommitPlugin before each build; do not edit.
            enum BuildCommit { static let hash = \\"$commit\\" }"
            mkdir -p "$(dirname "$2")"
            if [ ! -f "$2" ] || [ "$(cat "$2")" != "$text" ]; then printf '%s\\n' "$text" > "$2"; fi
            """
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        return [
            .prebuildCommand(
                displayName: "Recording the git commit of \(target.name)",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: ["-c", script, "sh", context.package.directoryURL.path, file.path],
                environment: ["PATH": path.isEmpty ? "/usr/local/bin:/usr/bin:/bin" : path],
                outputFilesDirectory: output)
        ]
    }
}
