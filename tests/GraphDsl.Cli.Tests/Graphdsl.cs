using GraphDsl.TestKit;

namespace GraphDsl.Cli.Tests;

/// <summary>Runs <see cref="GraphDslCli"/> in a given working directory (these tests name
/// outputs relative to it, as users do), and finds the shared cases.</summary>
internal static class Graphdsl
{
    public static ExternalProcess.Outcome Run(string workingDirectory, params string[] args) =>
        ExternalProcess.Run("dotnet", [GraphDslCli.Dll, .. args], TimeSpan.FromMinutes(5), workingDirectory);

    /// <summary>Full path of one case of ../shared/cases; skips loudly when absent.</summary>
    public static string Case(string fileName) => CaseModels.PathOf(fileName);
}
