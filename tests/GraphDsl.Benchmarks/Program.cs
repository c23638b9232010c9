using System.Diagnostics;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using GraphDsl.Benchmarks;

// Entry point: the tables (default), one scale case for a child process, or BenchmarkDotNet.
if (args.Length > 0 && args[0] == ScaleBenchmark.ChildSwitch)
    return ScaleBenchmark.RunCase(args[1..]);

var settings = BenchmarkSettings.Parse(args, out var error);
if (settings is null)
{
    Console.Error.WriteLine("error: " + error);
    Console.Error.WriteLine(BenchmarkSettings.Usage);
    return 1;
}

var modelsFolder = RepositoryLocation.ModelsFolder(settings.ModelsFolder);
if (settings.RunCorpus && (modelsFolder is null || !Directory.Exists(modelsFolder)))
{
    Console.Error.WriteLine($"error: model folder not found: {modelsFolder ?? "(no repository root, so no ../shared/models)"}; " +
        $"give a folder as the first argument or set {BenchmarkSettings.ModelsEnvironmentVariable}");
    return 1;
}

var outFolder = settings.OutputFolder ?? Path.Combine(RepositoryLocation.Root ?? Environment.CurrentDirectory, "artifacts", "benchmarks");
Directory.CreateDirectory(outFolder);

if (settings.BenchmarkDotNet)
{
    Environment.SetEnvironmentVariable(BenchmarkSettings.ModelsEnvironmentVariable, modelsFolder);
    // In-process: no second build of this project, which would not fit a small machine's budget.
    var config = DefaultConfig.Instance.AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
        .WithArtifactsPath(Path.Combine(outFolder, "bdn"));
    BenchmarkRunner.Run<MicroBenchmarks>(config);
    return 0;
}

var started = DateTime.UtcNow;
var clock = Stopwatch.StartNew();
var machine = MachineInfo.Current();
Console.WriteLine($"Machine: {machine}");
Console.WriteLine($"Models: {modelsFolder}");

var corpus = new List<CorpusRow>();
if (settings.RunCorpus)
{
    var files = CorpusBenchmark.ModelFiles(modelsFolder!);
    if (files.Count == 0) Console.Error.WriteLine($"warning: no {string.Join("/", CorpusBenchmark.Extensions)} files in {modelsFolder}");
    foreach (var file in files)
    {
        var row = CorpusBenchmark.Measure(file, settings);
        corpus.Add(row);
        Console.WriteLine(row.Error is null
            ? $"  {row.Model}: ops {row.Operators}, stored peak {row.StoredPeak}, optimized peak {row.OptimizedPeak} (bound {row.LowerBound}), " +
              $"greedy {row.GreedyArenaStored} -> arena {row.OptimizedArena}; order {row.OrderTime?.Format()} ms, arena {row.ArenaTime?.Format()} ms, import {row.ImportTime?.Format()} ms"
            : $"  {row.Model}: ERROR {row.Error}");
    }
}

var onnxTiling = new List<OnnxTilingRow>();
if (settings.RunCorpus)
{
    var scratch = Directory.CreateTempSubdirectory("graphdsl-bench-onnx-").FullName;
    try
    {
        foreach (var file in CorpusBenchmark.ModelFiles(modelsFolder!).Where(f => f.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase)))
        {
            var row = OnnxTilingBenchmark.Measure(file, scratch);
            onnxTiling.Add(row);
            Console.WriteLine(row.Error is not null ? $"  ONNX tiling {row.Model}: ERROR {row.Error}"
                : $"  ONNX tiling {row.Model}: GraphDsl arena {row.ArenaBefore:N0} -> {row.ArenaAfter:N0} B, {row.Regions} region(s) {row.Bands}, MACs +{row.MacOverheadPercent:0.0} %");
        }
    }
    finally
    {
        Directory.Delete(scratch, recursive: true);
    }
}

var tflm = new List<TflmRow>();
var tflmUnavailable = settings.RunTflm && modelsFolder is not null ? TflmBenchmark.Unavailable() : null;
if (settings.RunTflm && modelsFolder is not null && tflmUnavailable is null)
{
    var scratch = Directory.CreateTempSubdirectory("graphdsl-bench-tflm-").FullName;
    try
    {
        foreach (var file in CorpusBenchmark.ModelFiles(modelsFolder).Where(f => f.EndsWith(".tflite", StringComparison.OrdinalIgnoreCase)))
        {
            var row = TflmBenchmark.Measure(file, scratch);
            tflm.Add(row);
            Console.WriteLine(row.Refused is not null ? $"  TFLM {row.Model}: refused ({row.Refused})"
                : row.Error is not null ? $"  TFLM {row.Model}: ERROR {row.Error}"
                : $"  TFLM {row.Model}: head {row.HeadBefore} -> {row.HeadAfter}, arena_used {row.UsedBefore} -> {row.UsedAfter}, outputs identical: {row.OutputsIdentical}");
        }
    }
    finally
    {
        Directory.Delete(scratch, recursive: true);
    }
}
else if (tflmUnavailable is not null) Console.Error.WriteLine("warning: TFLM section skipped: " + tflmUnavailable);

var scale = new List<ScaleRow>();
if (settings.RunScale)
{
    scale.AddRange(ScaleBenchmark.RunAll(settings, s => Console.WriteLine(s.Error is null
        ? $"  {s.Kind} {s.Operators} ops: peak {s.Peak}, bound {s.LowerBound}, {(s.ProvenOptimal ? "optimal" : s.Outcome)}, " +
          $"{new TimingSample(s.TimesMs).Format()} ms, peak WS {s.PeakWorkingSetBytes / (1024 * 1024)} MB"
        : $"  {s.Kind} {s.RequestedOperators} ops: ERROR {s.Error}")));
}

var command = "dotnet run -c Release --project tests/GraphDsl.Benchmarks" + (args.Length > 0 ? " -- " + string.Join(' ', args) : "");
// The script passes exactly these arguments; the report then names both spellings.
var script = args.SequenceEqual(["--update-readme", "README.md"]) ? "scripts/update-readme-benchmarks.sh" : null;
var report = new BenchmarkReport(machine, command, script, modelsFolder ?? "", started, clock.Elapsed, settings, corpus, scale, tflm,
    GraphDsl.TestKit.Tflm.TflmRunner.TflmCommit, tflmUnavailable, onnxTiling);
var markdown = MarkdownReport.Render(report);

File.WriteAllText(Path.Combine(outFolder, "benchmarks.md"), markdown);
CsvReport.Write(report, outFolder);
Console.WriteLine();
Console.WriteLine(markdown);
Console.WriteLine($"Wrote {Path.Combine(outFolder, "benchmarks.md")} and the CSV files beside it.");

if (settings.ReadmePath is not null)
{
    var problem = ReadmeBlock.Replace(settings.ReadmePath, markdown);
    if (problem is not null)
    {
        Console.Error.WriteLine("error: " + problem);
        return 1;
    }
    Console.WriteLine($"Updated the benchmark block of {settings.ReadmePath}.");
    // The README's sample of the main command is its real output, rerun with the tables.
    var sample = GraphDsl.TestKit.GraphDslCli.Run("optimize");
    if (sample.ExitCode != 0)
    {
        Console.Error.WriteLine("error: graphdsl optimize failed: " + sample);
        return 1;
    }
    var block = "```text\n$ graphdsl optimize\n" + sample.StdOut.TrimEnd('\n') + "\n```";
    if (ReadmeBlock.Replace(settings.ReadmePath, block, ReadmeBlock.OutputBegin, ReadmeBlock.OutputEnd) is { } missing)
    {
        Console.Error.WriteLine("error: " + missing);
        return 1;
    }
    Console.WriteLine($"Updated the optimize output sample of {settings.ReadmePath}.");
}
return 0;
