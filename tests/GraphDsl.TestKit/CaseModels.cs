using Xunit;

namespace GraphDsl.TestKit;

/// <summary>The small structure cases in <c>../shared/cases</c> (or the folder named by the
/// environment variable <c>GRAPHDSL_CASES</c>), each with its right value in that folder's
/// README (measured on the real TFLite Micro). Tests read them in place, never copy them.</summary>
public static class CaseModels
{
    public const string EnvironmentVariable = "GRAPHDSL_CASES";

    public static string Directory { get; } =
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } dir
            ? Path.GetFullPath(dir)
            : Path.GetFullPath(Path.Combine(RepositoryPaths.Root, "..", "shared", "cases"));

    public static bool Available => System.IO.Directory.Exists(Directory);

    /// <summary>Full path of one case file; skips loudly when it is absent.</summary>
    public static string PathOf(string fileName)
    {
        var path = Path.Combine(Directory, fileName);
        Skip.IfNot(File.Exists(path), $"CASE {fileName} NOT FOUND in {Directory}: set {EnvironmentVariable} or provide ../shared/cases.");
        return path;
    }
}
