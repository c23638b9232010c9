using System.Text.Json;
using GraphDsl.TestKit;

namespace GraphDsl.Lowering.Tests;

/// <summary><see cref="GraphDslCli"/> with the JSON read back: the structure tests check the
/// figures every command prints with <c>--json</c>.</summary>
internal static class GraphdslCli
{
    public static ExternalProcess.Outcome Run(params string[] args) => GraphDslCli.Run(args);

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
