using GraphDsl.Loading;
using GraphDsl.TestKit;

namespace GraphDsl.Fuzz;

/// <summary>Runs an input through the real <c>graphdsl optimize MODEL -o OUT</c> process, as users
/// run it: the exit code must be 0 or 1, stderr must carry no "internal error" nor a stack trace,
/// and on 0 the written model must re-import and verify.</summary>
public static class CliCheck
{
    /// <summary>graphdsl.dll built beside this project, in the same configuration.</summary>
    public static string CliPath => GraphDslCli.Dll;

    /// <summary>A failure verdict, or null when the CLI behaved.</summary>
    public static Verdict? Run(FuzzFormat format, byte[] input, string workDir)
    {
        var model = Path.Combine(workDir, "cli-input" + format.Extension());
        var output = Path.Combine(workDir, "cli-output" + format.Extension());
        File.WriteAllBytes(model, input);
        File.Delete(output);
        var run = ExternalProcess.Run("dotnet", [CliPath, "optimize", model, "-o", output, "--force"], TimeSpan.FromSeconds(60));
        if (run.ExitCode == -1 && run.StdErr.EndsWith("(timed out)", StringComparison.Ordinal))
            return Verdict.Failure(FailureKind.Timeout, "cli", "graphdsl optimize ran longer than 60 s");
        var err = run.StdErr;
        if (run.ExitCode is not (0 or 1))
            return Verdict.Failure(FailureKind.ExitCode, "cli", $"exit code {run.ExitCode}: {FirstLine(err)}");
        if (err.Contains("internal error", StringComparison.OrdinalIgnoreCase) || err.Contains("\n   at ", StringComparison.Ordinal))
            return Verdict.Failure(FailureKind.InternalError, "cli", "stderr: " + FirstLine(err));
        if (run.ExitCode == 0)
        {
            var again = ModelLoader.Load(output);
            if (!again.Succeeded)
                return Verdict.Failure(FailureKind.BadOutput, "cli", "graphdsl optimize exited 0 but its output does not re-import: "
                    + string.Join("; ", again.Diagnostics.Take(2)));
        }
        return null;
    }

    private static string FirstLine(string text) => text.Split('\n').FirstOrDefault(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)) ?? text.Split('\n')[0];
}
