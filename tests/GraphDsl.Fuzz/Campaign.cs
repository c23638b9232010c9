using GraphDsl.Fuzz.Mutators;

namespace GraphDsl.Fuzz;

/// <summary>Settings of one campaign on one format. Input <c>i</c> of a campaign depends only on
/// (<see cref="Seed"/>, i), so any input is reproduced with <c>--replay i</c>.</summary>
public sealed record CampaignOptions(FuzzFormat Format, int Seed, int Inputs)
{
    /// <summary>First input index (the supervisor restarts a worker after a crash from here).</summary>
    public int Start { get; init; }
    /// <summary>Stop early after this much wall time (the CI budget); null: run every input.</summary>
    public TimeSpan? Budget { get; init; }
    /// <summary>Largest corpus file used as a seed (bytes).</summary>
    public long MaxSeedBytes { get; init; } = Seeds.MaxCorpusBytes;
    public TimeSpan TimeLimit { get; init; } = Watchdog.DefaultTimeLimit;
    public long MemoryLimit { get; init; } = Watchdog.DefaultMemoryLimit;
    /// <summary>Where failing inputs (original and minimized) are written; null: not written.</summary>
    public string? FailureDirectory { get; init; }
    /// <summary>Time spent minimizing one failing input.</summary>
    public TimeSpan MinimizeBudget { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>Also run every n-th input through the graphdsl process (exit code 0/1); 0: never.</summary>
    public int CliEvery { get; init; }
    /// <summary>Called before each input runs (the worker prints its index for the supervisor).</summary>
    public Action<int>? BeforeInput { get; init; }
}

/// <summary>One failure: the input's index, what happened, and where its files were written.</summary>
public sealed record FoundFailure(int Index, string Mutations, Verdict Verdict, int Bytes, int MinimizedBytes, string? SavedAs);

/// <summary>Figures of a campaign (or of the part one worker ran).</summary>
public sealed class CampaignStats
{
    public FuzzFormat Format { get; init; }
    public int Seeds { get; set; }
    public int Tried { get; set; }
    public int Accepted { get; set; }
    public int Rejected { get; set; }
    public int CliRuns { get; set; }
    public List<FoundFailure> Failures { get; init; } = [];
    public double SlowestMs { get; set; }
    public long PeakGrowthBytes { get; set; }
    public double WallSeconds { get; set; }
    /// <summary>True when the last input was abandoned (timeout/memory): the process must stop.</summary>
    public bool Abandoned { get; set; }

    public void Add(CampaignStats other)
    {
        Seeds = Math.Max(Seeds, other.Seeds);
        Tried += other.Tried; Accepted += other.Accepted; Rejected += other.Rejected; CliRuns += other.CliRuns;
        Failures.AddRange(other.Failures);
        SlowestMs = Math.Max(SlowestMs, other.SlowestMs);
        PeakGrowthBytes = Math.Max(PeakGrowthBytes, other.PeakGrowthBytes);
        WallSeconds += other.WallSeconds;
    }
}

/// <summary>The mutation loop: the first inputs are the seeds themselves, then each input is a seed
/// with 1 to 6 stacked mutations (mostly structure-aware for the format, some byte-level), run
/// through <see cref="FuzzJob"/> under the <see cref="Watchdog"/>. A failing input is minimized
/// and saved.</summary>
public static class Campaign
{
    /// <summary>Input <paramref name="index"/> of the campaign <paramref name="seed"/>, and the
    /// seed and mutators that made it.</summary>
    public static (byte[] Bytes, string Description) Generate(FuzzFormat format, IReadOnlyList<Seed> seeds, int seed, int index)
    {
        if (index < seeds.Count) return (seeds[index].Bytes, seeds[index].Name);
        var rng = new Random(unchecked(seed * 1_000_003 + index * 7919 + (int)format * 104_729));
        // Small seeds most of the time: they run fast and their structure is all there is to break.
        var small = seeds.Where(s => s.Bytes.Length <= 64 << 10).ToList();
        var pool = small.Count > 0 && rng.Next(5) > 0 ? small : seeds;
        var start = pool[rng.Next(pool.Count)];
        var bytes = start.Bytes;
        var names = new List<string>();
        int count = 1;
        while (count < 6 && rng.Next(3) == 0) count++;
        long limit = MaxInputBytes(start.Bytes.Length);
        for (int i = 0; i < count; i++)
        {
            var mutator = Pick(format, rng);
            var mutant = mutator.Mutate(bytes, rng);
            if (mutant.Length > limit) continue; // see MaxInputBytes
            bytes = mutant;
            names.Add(mutator.Name);
        }
        return (bytes, $"{start.Name} + {string.Join(",", names)}");
    }

    /// <summary>Largest mutant of a seed of <paramref name="seedBytes"/> bytes: twice the seed, at
    /// least 1 MiB. Fuzzers bound input size (AFL++ 1 MB, libFuzzer -max_len) because time and
    /// memory grow with it; without a bound, "repeat a field 2000 times" on a 300 KB weight made
    /// 700 MB files whose reading alone took seconds. Huge repeats of small fields (dims, nodes,
    /// inputs) stay within it.</summary>
    public static long MaxInputBytes(int seedBytes) => Math.Max(2L * seedBytes, 1 << 20);

    private static readonly IMutator Bytes = new ByteMutator();
    private static readonly IMutator Flat = new FlatBufferMutator();
    private static readonly IMutator Proto = new ProtobufMutator();
    private static readonly IMutator Text = new GdslMutator();

    private static IMutator Pick(FuzzFormat format, Random rng)
    {
        if (rng.Next(4) == 0) return Bytes;
        return format switch { FuzzFormat.Tflite => Flat, FuzzFormat.Onnx => Proto, _ => Text };
    }

    public static CampaignStats Run(CampaignOptions options)
    {
        var seeds = Seeds.For(options.Format, options.MaxSeedBytes);
        if (seeds.Count == 0) throw new InvalidOperationException($"no seeds for {options.Format}");
        var stats = new CampaignStats { Format = options.Format, Seeds = seeds.Count };
        var work = Directory.CreateTempSubdirectory("graphdsl-fuzz-").FullName;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        FuzzJob.Warm();
        try
        {
            for (int index = options.Start; index < options.Inputs; index++)
            {
                if (options.Budget is { } budget && clock.Elapsed > budget) break;
                var (bytes, description) = Generate(options.Format, seeds, options.Seed, index);
                options.BeforeInput?.Invoke(index);
                var measured = RunOne(options, bytes, work);
                stats.Tried++;
                stats.SlowestMs = Math.Max(stats.SlowestMs, measured.Elapsed.TotalMilliseconds);
                stats.PeakGrowthBytes = Math.Max(stats.PeakGrowthBytes, Math.Max(measured.PeakManagedBytes, measured.PeakWorkingSetBytes));
                var verdict = measured.Verdict;
                if (!verdict.IsFailure && options.CliEvery > 0 && index % options.CliEvery == 0)
                {
                    stats.CliRuns++;
                    verdict = CliCheck.Run(options.Format, bytes, work) ?? verdict;
                }
                switch (verdict.Outcome)
                {
                    case Outcome.Accepted: stats.Accepted++; break;
                    case Outcome.Rejected: stats.Rejected++; break;
                    default:
                        stats.Failures.Add(Record(options, index, description, bytes, verdict, minimize: !measured.Abandoned, work));
                        break;
                }
                if (measured.Abandoned)
                {
                    stats.Abandoned = true;
                    break;
                }
            }
        }
        finally
        {
            stats.WallSeconds = clock.Elapsed.TotalSeconds;
            try { Directory.Delete(work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
        return stats;
    }

    public static Watchdog.Measured RunOne(CampaignOptions options, byte[] bytes, string work) =>
        Watchdog.Run(() => FuzzJob.Run(options.Format, bytes, work), options.TimeLimit, options.MemoryLimit);

    private static FoundFailure Record(CampaignOptions options, int index, string description, byte[] bytes, Verdict verdict, bool minimize, string work)
    {
        var minimized = bytes;
        if (minimize && verdict.Kind != FailureKind.ExitCode)
            minimized = Minimizer.Minimize(bytes, candidate =>
            {
                var again = RunOne(options, candidate, work);
                return !again.Abandoned && again.Verdict.IsFailure && again.Verdict.Signature == verdict.Signature;
            }, options.MinimizeBudget);
        string? saved = null;
        if (options.FailureDirectory is { } dir)
        {
            Directory.CreateDirectory(dir);
            var stem = Path.Combine(dir, $"{options.Format.ToString().ToLowerInvariant()}-{options.Seed}-{index}-{verdict.Kind}");
            File.WriteAllBytes(stem + options.Format.Extension(), bytes);
            File.WriteAllBytes(stem + ".min" + options.Format.Extension(), minimized);
            File.WriteAllText(stem + ".txt",
                $"{verdict}\ninput {index} of seed {options.Seed}: {description}\n{bytes.Length} bytes, minimized to {minimized.Length}\n" +
                $"replay: dotnet run -c Release --project tests/GraphDsl.Fuzz -- --format {options.Format.ToString().ToLowerInvariant()} --seed {options.Seed} --max-seed-bytes {options.MaxSeedBytes} --replay {index}\n");
            saved = stem;
        }
        return new FoundFailure(index, description, verdict, bytes.Length, minimized.Length, saved);
    }
}
