using System.Text.Json;

namespace GraphDsl.TestKit;

/// <summary>The <c>graphdsl</c> command built beside the calling test project (same configuration),
/// run as a process as users run it. The test project must reference src/GraphDsl.Cli (with
/// ReferenceOutputAssembly=false) so that it is built.</summary>
public static class GraphDslCli
{
    /// <summary>src/GraphDsl.Cli/bin/&lt;configuration&gt;/net10.0/graphdsl.dll.</summary>
    public static string Dll
    {
        get
        {
            var config = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // bin/<config>/net10.0/
            return RepositoryPaths.Combine("src", "GraphDsl.Cli", "bin", config, "net10.0", "graphdsl.dll");
        }
    }

    public static ExternalProcess.Outcome Run(params string[] args) =>
        ExternalProcess.Run("dotnet", [Dll, .. args], TimeSpan.FromMinutes(10));

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
