using System.Globalization;

namespace GraphDsl.Benchmarks;

/// <summary>The benchmark's command line: where the models are, where results go, how many
/// repetitions, and which sections run.</summary>
internal sealed record BenchmarkSettings
{
    public const string ModelsEnvironmentVariable = "GRAPHDSL_MODELS";

    /// <summary>Model folder given on the command line, or null (then the environment variable,
    /// then <c>../shared/models</c> beside the repository root).</summary>
    public string? ModelsFolder { get; init; }

    public string? OutputFolder { get; init; }

    /// <summary>README to rewrite between the benchmark markers, or null.</summary>
    public string? ReadmePath { get; init; }

    /// <summary>Timed repetitions per measurement after one warm-up run.</summary>
    public int Runs { get; init; } = 5;

    /// <summary>Timed repetitions per scale case when it finishes inside the budget.</summary>
    public int ScaleRuns { get; init; } = 3;

    public TimeSpan OrderBudget { get; init; } = TimeSpan.FromSeconds(10);

    public long ArenaBudgetMilliseconds { get; init; } = 1000;

    public IReadOnlyList<int> ScaleSizes { get; init; } = [100, 250, 500, 1000];

    public bool RunCorpus { get; init; } = true;

    public bool RunScale { get; init; } = true;

    /// <summary>Run every .tflite and its optimize output on TFLM (tools/tflm-runner).</summary>
    public bool RunTflm { get; init; } = true;

    /// <summary>Run the BenchmarkDotNet micro-benchmarks instead of the tables.</summary>
    public bool BenchmarkDotNet { get; init; }

    /// <summary>The original arguments, echoed into the report so it names its own command.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    public const string Usage = """
        usage: dotnet run -c Release --project tests/GraphDsl.Benchmarks -- [MODELS_FOLDER] [options]
          MODELS_FOLDER            models to measure (default: $GRAPHDSL_MODELS, else ../shared/models
                                   beside the repository root)
          --out DIR                where the Markdown and CSV files go (default: artifacts/benchmarks)
          --update-readme FILE     replace the block between the BENCHMARKS markers in FILE
          --runs N                 timed runs per corpus measurement after a warm-up (default 5)
          --scale-runs N           timed runs per scale case that ends inside the budget (default 3)
          --scale-sizes A,B,...    operator counts of the generated graphs (default 100,250,500,1000)
          --order-budget-s S       order-search time budget in seconds (default 10)
          --arena-budget-ms MS     CP-SAT budget of the arena planner (default 1000)
          --no-scale | --no-corpus | --no-tflm   skip a section
          --bdn                    run the BenchmarkDotNet micro-benchmarks instead (slow)
        """;

    /// <summary>Parses the arguments; returns null and an error message on bad input.</summary>
    public static BenchmarkSettings? Parse(IReadOnlyList<string> args, out string? error)
    {
        string? problem = null;
        var s = new BenchmarkSettings { Arguments = args.ToArray() };
        for (int i = 0; i < args.Count; i++)
        {
            string a = args[i];
            string? Next()
            {
                if (i + 1 < args.Count) return args[++i];
                return null;
            }
            switch (a)
            {
                case "--out": s = s with { OutputFolder = Next() ?? "" }; break;
                case "--update-readme": s = s with { ReadmePath = Next() ?? "" }; break;
                case "--runs": s = s with { Runs = PositiveInt(Next(), a, ref problem) }; break;
                case "--scale-runs": s = s with { ScaleRuns = PositiveInt(Next(), a, ref problem) }; break;
                case "--order-budget-s": s = s with { OrderBudget = TimeSpan.FromSeconds(PositiveInt(Next(), a, ref problem)) }; break;
                case "--arena-budget-ms": s = s with { ArenaBudgetMilliseconds = PositiveInt(Next(), a, ref problem) }; break;
                case "--scale-sizes":
                    s = s with { ScaleSizes = (Next() ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(x => PositiveInt(x, a, ref problem)).ToArray() };
                    break;
                case "--no-scale": s = s with { RunScale = false }; break;
                case "--no-corpus": s = s with { RunCorpus = false }; break;
                case "--no-tflm": s = s with { RunTflm = false }; break;
                case "--bdn": s = s with { BenchmarkDotNet = true }; break;
                default:
                    if (a.StartsWith('-')) problem ??= $"unknown option '{a}'";
                    else if (s.ModelsFolder is not null) problem ??= $"more than one models folder: '{s.ModelsFolder}' and '{a}'";
                    else s = s with { ModelsFolder = a };
                    break;
            }
        }
        if (s.OutputFolder == "" || s.ReadmePath == "") problem ??= "--out and --update-readme need a path";
        error = problem;
        return problem is null ? s : null;
    }

    private static int PositiveInt(string? text, string option, ref string? error)
    {
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value > 0) return value;
        error ??= $"{option} needs a positive integer, got '{text}'";
        return 1;
    }
}
