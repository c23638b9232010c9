using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace GraphDsl.Fuzz;

/// <summary>The long campaign:
/// <c>dotnet run -c Release --project tests/GraphDsl.Fuzz -- [--format tflite|onnx|gdsl|all]
/// [--inputs 10000] [--seed 1] [--out DIR] [--cli-every 500]</c> prints a table of inputs tried,
/// accepted, rejected and failed per format. Each format runs in a child worker process that the
/// supervisor restarts after the next input when one crashes the process (stack overflow) or is
/// abandoned (timeout, memory), so one fault does not end the campaign.
/// <c>--replay I</c> runs input I of the campaign again and prints its verdict.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var a = new Args(args);
        try
        {
            var formats = a.Get("--format", "all") == "all" ? FuzzFormats.All : [FuzzFormats.Parse(a.Get("--format", "all"))];
            int seed = a.Int("--seed", 1), inputs = a.Int("--inputs", 10_000);
            var failures = Path.GetFullPath(a.Get("--out", Path.Combine(Path.GetTempPath(), "graphdsl-fuzz-failures")));
            long maxSeedBytes = a.Int("--max-seed-bytes", (int)Seeds.MaxCorpusBytes);
            if (a.Has("--replay")) return Replay(formats[0], seed, a.Int("--replay", 0), maxSeedBytes);
            if (a.Has("--afl")) return AflEntry.Run(formats[0]);
            if (a.Has("--write-seeds")) return AflEntry.WriteSeeds(formats[0], a.Get("--write-seeds", "seeds"));
            if (a.Has("--run")) return RunFiles(args.SkipWhile(x => x != "--run").Skip(1).ToList());
            var options = new CampaignOptions(formats[0], seed, inputs)
            {
                Start = a.Int("--start", 0),
                FailureDirectory = failures,
                CliEvery = a.Int("--cli-every", 500),
                MaxSeedBytes = maxSeedBytes,
            };
            if (a.Has("--worker")) return Worker(options, a.Get("--stats", ""));

            var clock = Stopwatch.StartNew();
            var results = formats.Select(f => Supervise(options with { Format = f })).ToList();
            Console.WriteLine();
            Console.WriteLine($"GraphDsl fuzz campaign, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, seed {seed}, {inputs:N0} inputs per format, {clock.Elapsed.TotalMinutes:0.0} min");
            Console.WriteLine(Table(results));
            foreach (var f in results.SelectMany(r => r.Failures))
                Console.WriteLine($"  input {f.Index} ({f.Mutations}): {f.Verdict} -> {f.SavedAs}");
            if (results.Any(r => r.Failures.Count > 0)) Console.WriteLine($"failing inputs (original and minimized) are in {failures}");
            return results.Any(r => r.Failures.Count > 0) ? 1 : 0;
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"graphdsl-fuzz: {e.Message}");
            return 2;
        }
    }

    /// <summary>Markdown table of the campaign figures (what the README shows).</summary>
    public static string Table(IEnumerable<CampaignStats> results)
    {
        var lines = new List<string>
        {
            "| Format | Seeds | Inputs tried | Accepted (optimized, re-imported) | Rejected (clear error) | Failures | Through the CLI | Slowest input ms | Peak growth MiB |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        };
        foreach (var r in results)
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Format.Extension()} | {r.Seeds} | {r.Tried:N0} | {r.Accepted:N0} | {r.Rejected:N0} | {r.Failures.Count} | {r.CliRuns} | {r.SlowestMs:0} | {r.PeakGrowthBytes / 1048576.0:0} |"));
        return string.Join(Environment.NewLine, lines);
    }

    private static CampaignStats Supervise(CampaignOptions options)
    {
        var total = new CampaignStats { Format = options.Format };
        int start = options.Start;
        while (start < options.Inputs)
        {
            var statsFile = Path.Combine(Path.GetTempPath(), $"graphdsl-fuzz-stats-{Environment.ProcessId}-{options.Format}.json");
            File.Delete(statsFile);
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var arg in new[] { "exec", typeof(Program).Assembly.Location, "--worker", "--format", options.Format.ToString().ToLowerInvariant(),
                         "--seed", options.Seed.ToString(CultureInfo.InvariantCulture), "--inputs", options.Inputs.ToString(CultureInfo.InvariantCulture),
                         "--start", start.ToString(CultureInfo.InvariantCulture), "--out", options.FailureDirectory!,
                         "--cli-every", options.CliEvery.ToString(CultureInfo.InvariantCulture), "--stats", statsFile,
                         "--max-seed-bytes", options.MaxSeedBytes.ToString(CultureInfo.InvariantCulture) })
                info.ArgumentList.Add(arg);
            using var worker = Process.Start(info)!;
            int last = start - 1;
            string? line;
            while ((line = worker.StandardOutput.ReadLine()) is not null)
            {
                if (line.StartsWith("@ ", StringComparison.Ordinal)) last = int.Parse(line[2..], CultureInfo.InvariantCulture);
                if (last % 500 == 0 && line.StartsWith("@ ", StringComparison.Ordinal))
                    Console.Error.WriteLine($"graphdsl-fuzz: {options.Format} input {last:N0}/{options.Inputs:N0}, {total.Failures.Count} failures so far");
            }
            worker.WaitForExit();
            if (File.Exists(statsFile))
            {
                var part = JsonSerializer.Deserialize<CampaignStats>(File.ReadAllText(statsFile))!;
                total.Add(part);
                start = part.Abandoned ? last + 1 : options.Inputs;
            }
            else
            {
                // The process died on input `last` (stack overflow, native crash).
                var seeds = Seeds.For(options.Format, options.MaxSeedBytes);
                var (bytes, description) = Campaign.Generate(options.Format, seeds, options.Seed, last);
                var verdict = Verdict.Failure(FailureKind.Crash, "process", $"worker died with exit code {worker.ExitCode}");
                Directory.CreateDirectory(options.FailureDirectory!);
                var stem = Path.Combine(options.FailureDirectory!, $"{options.Format.ToString().ToLowerInvariant()}-{options.Seed}-{last}-Crash");
                File.WriteAllBytes(stem + options.Format.Extension(), bytes);
                total.Tried++;
                total.Failures.Add(new FoundFailure(last, description, verdict, bytes.Length, bytes.Length, stem));
                start = last + 1;
            }
        }
        return total;
    }

    private static int Worker(CampaignOptions options, string statsFile)
    {
        Console.SetError(TextWriter.Null); // passes and pass plugins may write progress: not ours
        var stats = Campaign.Run(options with { BeforeInput = i => { Console.Out.WriteLine($"@ {i}"); Console.Out.Flush(); } });
        File.WriteAllText(statsFile, JsonSerializer.Serialize(stats));
        return stats.Abandoned ? 3 : 0;
    }

    private static int Replay(FuzzFormat format, int seed, int index, long maxSeedBytes)
    {
        var seeds = Seeds.For(format, maxSeedBytes);
        var (bytes, description) = Campaign.Generate(format, seeds, seed, index);
        var path = Path.GetFullPath($"replay-{format.ToString().ToLowerInvariant()}-{seed}-{index}{format.Extension()}");
        File.WriteAllBytes(path, bytes);
        var work = Directory.CreateTempSubdirectory("graphdsl-fuzz-").FullName;
        FuzzJob.Warm();
        var measured = Campaign.RunOne(new CampaignOptions(format, seed, index + 1), bytes, work);
        Console.WriteLine($"input {index} of seed {seed}: {description}; written to {path}");
        Console.WriteLine($"{measured.Verdict} ({measured.Elapsed.TotalMilliseconds:0} ms, managed +{measured.PeakManagedBytes >> 20} MiB)");
        return measured.Verdict.IsFailure ? 1 : 0;
    }

    /// <summary><c>--run FILE...</c>: each file through the job (format from its extension).</summary>
    private static int RunFiles(IReadOnlyList<string> files)
    {
        var work = Directory.CreateTempSubdirectory("graphdsl-fuzz-").FullName;
        FuzzJob.Warm();
        int failed = 0;
        foreach (var file in files)
        {
            var format = FuzzFormats.Parse(Path.GetExtension(file));
            var limit = TimeSpan.FromSeconds(double.Parse(Environment.GetEnvironmentVariable("GRAPHDSL_FUZZ_TIME_LIMIT") ?? "10", CultureInfo.InvariantCulture));
            var measured = Campaign.RunOne(new CampaignOptions(format, 0, 1) { TimeLimit = limit }, File.ReadAllBytes(file), work);
            if (measured.Verdict.IsFailure) failed++;
            Console.WriteLine($"{file}: {measured.Verdict} ({measured.Elapsed.TotalMilliseconds:0} ms, managed +{measured.PeakManagedBytes >> 20} MiB)");
        }
        return failed > 0 ? 1 : 0;
    }

    private sealed class Args(string[] args)
    {
        public bool Has(string name) => args.Contains(name);

        public string Get(string name, string fallback)
        {
            int i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }

        public int Int(string name, int fallback) =>
            int.TryParse(Get(name, fallback.ToString(CultureInfo.InvariantCulture)), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)
                ? v : throw new ArgumentException($"{name} expects an integer");
    }
}
