using System.Collections.Concurrent;
using GraphDsl.TestKit;
using GraphDsl.TestKit.Tflm;
using Xunit;

namespace GraphDsl.Tflm.Tests;

/// <summary>Every .tflite the TFLM tests run: the corpus (<c>models/NAME</c>) and the shared cases
/// (<c>cases/NAME</c>), with each original's TFLM run and each <c>graphdsl optimize</c> output
/// computed once per test run and shared by the tests.</summary>
internal static class TflmModels
{
    private static readonly ConcurrentDictionary<string, Lazy<TflmRunResult>> Runs = new();
    private static readonly ConcurrentDictionary<string, Lazy<(string? Path, string Output)>> Optimized = new();
    private static readonly string Scratch = CreateScratch();

    private static string CreateScratch()
    {
        var dir = Directory.CreateTempSubdirectory("graphdsl-tflm-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        };
        return dir;
    }

    /// <summary>Labels "models/x.tflite" and "cases/y.tflite", sorted; one placeholder when neither
    /// folder exists, so a theory reports itself skipped instead of running nothing.</summary>
    public static IEnumerable<object[]> All()
    {
        var labels = new List<string>();
        if (CorpusModels.Available)
            labels.AddRange(Directory.GetFiles(CorpusModels.Directory, "*.tflite").Select(f => "models/" + Path.GetFileName(f)));
        if (CaseModels.Available)
            labels.AddRange(Directory.GetFiles(CaseModels.Directory, "*.tflite").Select(f => "cases/" + Path.GetFileName(f)));
        if (labels.Count == 0) return [["(corpus absent)"]];
        return labels.Order(StringComparer.Ordinal).Select(l => new object[] { l });
    }

    public static IReadOnlyList<string> Labels => All().Select(a => (string)a[0]).ToList();

    /// <summary>Full path for a label; skips loudly when the folder or file is absent.</summary>
    public static string PathOf(string label)
    {
        CorpusModels.RequireCorpus();
        var slash = label.IndexOf('/');
        var (folder, file) = (label[..slash], label[(slash + 1)..]);
        return folder == "cases" ? CaseModels.PathOf(file) : CorpusModels.PathOf(file);
    }

    /// <summary>The original model on TFLM (8 seeds), once per test run.</summary>
    public static TflmRunResult Original(string label) =>
        Runs.GetOrAdd(PathOf(label), p => new Lazy<TflmRunResult>(() => TflmRunner.Run(p))).Value;

    /// <summary><c>graphdsl optimize</c> (the command users run) on the model, once per test run:
    /// the written file's path, or null, with the command's output.</summary>
    public static (string? Path, string Output) Optimize(string label)
    {
        var source = PathOf(label);
        return Optimized.GetOrAdd(source, s => new Lazy<(string?, string)>(() =>
        {
            var target = Path.Combine(Scratch, label.Replace('/', '_').Replace(".tflite", ".opt.tflite"));
            var run = GraphDslCli.Run("optimize", s, "-o", target, "--force");
            return (run.ExitCode == 0 && File.Exists(target) ? target : null, run.ToString());
        })).Value;
    }
}
