using Xunit;

namespace GraphDsl.TestKit;

/// <summary>The small structure cases in <c>../shared/cases</c> (or the folder named by
/// <c>GRAPHDSL_CASES</c>), beside the corpus; never copied into the repository.</summary>
public static class SharedCases
{
    public const string EnvironmentVariable = "GRAPHDSL_CASES";

    public static string Directory { get; } =
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } dir
            ? Path.GetFullPath(dir)
            : Path.GetFullPath(Path.Combine(CorpusModels.Directory, "..", "cases"));

    public static bool Available => System.IO.Directory.Exists(Directory);

    /// <summary>Full path of one case file; skips loudly when it is absent.</summary>
    public static string PathOf(string fileName)
    {
        Skip.IfNot(Available, $"CASES NOT FOUND at {Directory}: set {EnvironmentVariable} or provide ../shared/cases.");
        var path = Path.Combine(Directory, fileName);
        Skip.IfNot(File.Exists(path), $"Case {fileName} not found in {Directory}.");
        return path;
    }
}
