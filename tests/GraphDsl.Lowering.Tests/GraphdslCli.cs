using System.Text.Json;
using GraphDsl.TestKit;

namespace GraphDsl.Lowering.Tests;

/// <summary>The graphdsl command built beside this test project (same configuration), run as a
/// process as users run it.</summary>
internal static class GraphdslCli
{
    public static string Dll
    {
        get
        {
            var config = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // bin/<config>/net10.0/
            return RepositoryPaths.Combine("src", "GraphDsl.Cli", "bin", config, "net10.0", "graphdsl.dll");
        }
    }

    public static ExternalProcess.Outcome Run(params string[] args) =>
        ExternalProcess.Run("dotnet", [Dll, .. args], TimeSpan.FromMinutes(5));

    /// <summary>Runs a command with <c>--json</c>, asserting exit 0 and no stack trace.</summary>
    public static JsonElement Json(params string[] args)
    {
        var run = Run([.. args, "--json"]);
        if (run.ExitCode != 0 || run.StdErr.Contains("   at ", StringComparison.Ordinal))
            throw new Xunit.Sdk.XunitException($"graphdsl {string.Join(' ', args)} --json failed: {run}");
        using var doc = JsonDocument.Parse(run.StdOut);
        return doc.RootElement.Clone();
    }
}
