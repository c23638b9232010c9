using System.Text.Json;
using System.Text.Json.Serialization;
using Xunit;

namespace GraphDsl.TestKit.Tflm;

/// <summary>One input or output of the main subgraph with the FNV-1a 64 hash (hex) of its bytes
/// for each seed, in seed order (for an input: the bytes the runner gave it).</summary>
public sealed record TflmOutput(int Index, string Name, string Type, long Bytes, IReadOnlyList<string> Hashes);

/// <summary>Where TFLM put a planned tensor: <see cref="Offset"/> in bytes from the start of the
/// (16-byte aligned) arena, i.e. of the head section where an offline plan's offsets apply.</summary>
public sealed record TflmTensor(int Subgraph, int Index, long Offset, long Bytes);

/// <summary>An operator TFLM refuses. <see cref="Reason"/>: "no kernel" (no registration for the
/// operator code), "prepare" (its kernel's Prepare failed: a type or shape it does not run) or
/// "invoke" (its Eval failed).</summary>
public sealed record TflmRefusal(int Subgraph, int Index, string Op, string Reason);

/// <summary>What <c>tools/tflm-runner</c> printed for one model (its JSON contract, README "TFLM
/// runner"). Head = planned section (<c>GetNonPersistentUsedBytes</c>), tail = persistent section
/// (<c>GetPersistentUsedBytes</c>, host pointer width), all in bytes.</summary>
public sealed record TflmRunResult(
    bool Ok,
    string Error,
    IReadOnlyList<string> Log,
    IReadOnlyList<string> UnsupportedOps,
    IReadOnlyList<TflmRefusal> Refused,
    long HeadBytes,
    long TailBytes,
    long ArenaUsedBytes,
    long ArenaBytes,
    IReadOnlyList<TflmOutput> Inputs,
    IReadOnlyList<TflmOutput> Outputs,
    IReadOnlyList<TflmTensor> Tensors)
{
    /// <summary>Every output's hashes, "name:hash,hash..." per output, for comparing two runs.</summary>
    public string OutputFingerprint =>
        string.Join("\n", Outputs.Select(o => $"{o.Index} {o.Type}[{o.Bytes}]: {string.Join(",", o.Hashes)}"));

    /// <summary>One line: ok with head/arena, or the error with TFLM's first log lines.</summary>
    public override string ToString() => Ok
        ? $"ok, head {HeadBytes} B, tail {TailBytes} B, arena_used {ArenaUsedBytes} B"
        : $"refused: {Error}" + (UnsupportedOps.Count > 0 ? $" (unsupported: {string.Join(", ", UnsupportedOps)})" : "");
}

/// <summary>Runs models on the real TensorFlow Lite Micro (reference kernels): builds
/// <c>tools/tflm-runner</c> with <c>build.sh</c> once per test run (TFLM itself is cached outside
/// the clone, in <c>~/.cache/graphdsl</c>, so only the first build on a machine takes ~10 min) and
/// parses what it prints.</summary>
/// <remarks>TFLM source: <c>GRAPHDSL_TFLM</c>, else <c>../shared/tflm</c> beside the clone. Where it
/// or g++ is missing the tests that need TFLM are skipped with a message saying so.</remarks>
public static class TflmRunner
{
    public const string EnvironmentVariable = "GRAPHDSL_TFLM";

    /// <summary>Default number of input seeds per run (2-byte outputs can collide; 8 do not in practice).</summary>
    public const int DefaultSeeds = 8;

    public static string SourceDirectory { get; } =
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } dir
            ? Path.GetFullPath(dir)
            : Path.GetFullPath(Path.Combine(RepositoryPaths.Root, "..", "shared", "tflm"));

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    };

    // ExecutionAndPublication: parallel tests wait for one build (build.sh also takes a file
    // lock, for test assemblies running in parallel processes).
    private static readonly Lazy<(string? Binary, string? Problem)> Built = new(() => Build(m32: false), LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<(string? Binary, string? Problem)> Built32 = new(() => Build(m32: true), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Set to 1 to build and run the 32-bit (i386, <c>g++ -m32</c>) runner too: the
    /// persistent section's 32-bit layout. Off by default: the first build takes ~40 min on 2 cores.</summary>
    public const string M32Variable = "GRAPHDSL_TFLM_M32";

    /// <summary>The TFLM commit the runner is built from (the first 40-hex commit in the source's README), or "unknown".</summary>
    public static string TflmCommit
    {
        get
        {
            var readme = Path.Combine(SourceDirectory, "README.md");
            if (!File.Exists(readme)) return "unknown";
            var m = System.Text.RegularExpressions.Regex.Match(File.ReadAllText(readme), @"tflite-micro \| commit `([0-9a-f]{40})`");
            return m.Success ? m.Groups[1].Value : "unknown";
        }
    }

    /// <summary>Why TFLM cannot be used here (no source, no g++), or null when it can.</summary>
    public static string? Unavailable()
    {
        if (!File.Exists(Path.Combine(SourceDirectory, "sources.txt")))
            return $"TFLM SOURCE NOT FOUND at {SourceDirectory}: set {EnvironmentVariable} or provide ../shared/tflm. TFLM tests skipped.";
        if (ExternalProcess.Find("g++") is null)
            return "g++ NOT FOUND on PATH: the TFLM runner cannot be built. TFLM tests skipped.";
        return null;
    }

    /// <summary>Path of the runner binary, building it if needed; skips the calling test loudly when
    /// TFLM or g++ is missing.</summary>
    /// <exception cref="InvalidOperationException">The build failed (its log is in the message).</exception>
    public static string Binary()
    {
        var missing = Unavailable();
        Skip.If(missing is not null, missing);
        var (binary, problem) = Built.Value;
        return binary ?? throw new InvalidOperationException(problem);
    }

    /// <summary>Path of the 32-bit runner (TFLM built with <c>g++ -m32</c>), building it if needed;
    /// skips the calling test loudly unless <see cref="M32Variable"/> is 1 and <c>g++ -m32</c> works.</summary>
    /// <exception cref="InvalidOperationException">The build failed (its log is in the message).</exception>
    public static string Binary32()
    {
        var missing = Unavailable();
        Skip.If(missing is not null, missing);
        Skip.If(Environment.GetEnvironmentVariable(M32Variable) != "1",
            $"32-BIT TFLM NOT REQUESTED: set {M32Variable}=1 (needs g++-multilib; the first build takes ~40 min). 32-bit tests skipped.");
        var (binary, problem) = Built32.Value;
        return binary ?? throw new InvalidOperationException(problem);
    }

    /// <summary>Runs <paramref name="modelPath"/> on TFLM over <paramref name="seeds"/> input seeds.</summary>
    /// <param name="arenaBytes">Arena given to TFLM, in bytes (the runner's default is 64 MiB).</param>
    /// <param name="binary">The runner to use (<see cref="Binary32"/>); null: the 64-bit one.</param>
    /// <exception cref="InvalidOperationException">The runner printed no JSON (its output is in the message).</exception>
    public static TflmRunResult Run(string modelPath, int seeds = DefaultSeeds, long? arenaBytes = null, TimeSpan? timeout = null,
        string? binary = null)
    {
        List<string> args = [modelPath, "--seeds", seeds.ToString()];
        if (arenaBytes is { } a) args.AddRange(["--arena-bytes", a.ToString()]);
        var run = ExternalProcess.Run(binary ?? Binary(), args, timeout ?? TimeSpan.FromMinutes(5));
        if (run.ExitCode == -1 && run.StdErr.EndsWith("(timed out)"))
            throw new TimeoutException($"tflm-runner timed out on {modelPath}");
        var line = run.StdOut.Split('\n').LastOrDefault(l => l.StartsWith('{'));
        TflmRunResult? result = null;
        try
        {
            if (line is not null) result = JsonSerializer.Deserialize<TflmRunResult>(line, Json);
        }
        catch (JsonException)
        {
        }
        if (result is null || result.Ok != (run.ExitCode == 0))
            throw new InvalidOperationException($"tflm-runner gave no valid result for {modelPath}: {run}");
        return result;
    }

    private static (string?, string?) Build(bool m32)
    {
        var script = RepositoryPaths.Combine("tools", "tflm-runner", "build.sh");
        // build.sh reads GRAPHDSL_TFLM; pass the resolved folder so both agree.
        var env = new Dictionary<string, string> { [EnvironmentVariable] = SourceDirectory };
        if (m32) env["TFLM_M32"] = "1";
        var run = ExternalProcess.Run("bash", [script], TimeSpan.FromMinutes(m32 ? 120 : 45), environment: env);
        var binary = run.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()?.Trim();
        if (run.ExitCode != 0 || binary is null || !File.Exists(binary))
            return (null, $"building the TFLM runner failed ({script}):\n{run}");
        return (binary, null);
    }
}
