using GraphDsl.TestKit;

namespace GraphDsl.Cli.Tests;

/// <summary>Runs the graphdsl built beside this test project, and finds the shared cases
/// (<c>../shared/cases</c>, beside the model corpus; <c>GRAPHDSL_CASES</c> may point elsewhere).</summary>
internal static class Graphdsl
{
    private static string Cli
    {
        get
        {
            var config = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // bin/<config>/net10.0/
            return RepositoryPaths.Combine("src", "GraphDsl.Cli", "bin", config, "net10.0", "graphdsl.dll");
        }
    }

    public static ExternalProcess.Outcome Run(string workingDirectory, params string[] args) =>
        ExternalProcess.Run("dotnet", [Cli, .. args], TimeSpan.FromMinutes(5), workingDirectory);

    public static string CasesDirectory { get; } =
        Environment.GetEnvironmentVariable("GRAPHDSL_CASES") is { Length: > 0 } dir
            ? Path.GetFullPath(dir)
            : Path.GetFullPath(Path.Combine(CorpusModels.Directory, "..", "cases"));

    /// <summary>Full path of one shared case; skips loudly when the cases are absent.</summary>
    public static string Case(string fileName)
    {
        var path = Path.Combine(CasesDirectory, fileName);
        Xunit.Skip.IfNot(File.Exists(path), $"SHARED CASE NOT FOUND: {path} (set GRAPHDSL_CASES or provide ../shared/cases).");
        return path;
    }
}
