using GraphDsl.TestKit;
using Xunit;
using Xunit.Abstractions;

namespace GraphDsl.Fuzz;

/// <summary>The CI share of the fuzzing: per format, a seeded campaign with a short time budget
/// (about a minute), and a few inputs through the real graphdsl process. The long campaign is
/// the program of this project (see the README).</summary>
public sealed class FuzzCampaignTests(ITestOutputHelper output)
{
    /// <summary>Fixed, so a CI failure is reproduced with <c>--seed 17 --replay I</c>.</summary>
    public const int CiSeed = 17;

    private static readonly TimeSpan CiBudget = TimeSpan.FromSeconds(50);

    /// <summary>CI mutates the small corpus models only (the long campaign takes up to 1 MiB):
    /// more inputs per minute, and no large model near the 10 s limit on a busy machine.</summary>
    private const long CiSeedBytes = 64 << 10;

    [Theory]
    [InlineData(FuzzFormat.Tflite)]
    [InlineData(FuzzFormat.Onnx)]
    [InlineData(FuzzFormat.Gdsl)]
    public void A_seeded_short_campaign_finds_no_failure(FuzzFormat format)
    {
        var failures = Path.Combine(Path.GetTempPath(), $"graphdsl-fuzz-ci-{Environment.ProcessId}");
        var stats = Campaign.Run(new CampaignOptions(format, CiSeed, 1_000_000) { Budget = CiBudget, MaxSeedBytes = CiSeedBytes, FailureDirectory = failures, MinimizeBudget = TimeSpan.FromSeconds(20) });
        output.WriteLine(Program.Table([stats]));

        Assert.True(stats.Failures.Count == 0, $"{stats.Failures.Count} failing inputs (saved in {failures}):\n"
            + string.Join("\n", stats.Failures.Select(f => $"input {f.Index} ({f.Mutations}): {f.Verdict}")));
        // Every seed ran unmutated first, then mutants; both paths of the job were taken.
        Assert.True(stats.Tried > stats.Seeds, $"only {stats.Tried} inputs for {stats.Seeds} seeds in {CiBudget.TotalSeconds} s");
        Assert.True(stats.Accepted > 0 && stats.Rejected > 0, $"accepted {stats.Accepted}, rejected {stats.Rejected}");
    }

    /// <summary>Input i of a campaign is a function of (seed, i): what --replay relies on.</summary>
    [Fact]
    public void Inputs_are_reproducible_from_seed_and_index()
    {
        foreach (var format in FuzzFormats.All)
        {
            var seeds = Seeds.For(format);
            for (int i = seeds.Count; i < seeds.Count + 20; i++)
                Assert.Equal(Campaign.Generate(format, seeds, CiSeed, i).Bytes, Campaign.Generate(format, seeds, CiSeed, i).Bytes);
            Assert.NotEqual(Campaign.Generate(format, seeds, CiSeed, seeds.Count).Bytes, Campaign.Generate(format, seeds, CiSeed + 1, seeds.Count).Bytes);
        }
    }

    /// <summary>The user's view: graphdsl optimize exits 0 or 1 (never 2, the internal-error
    /// code), and what it writes on 0 re-imports. Seeds and mutants of each format.</summary>
    [SkippableTheory]
    [InlineData(FuzzFormat.Tflite)]
    [InlineData(FuzzFormat.Onnx)]
    [InlineData(FuzzFormat.Gdsl)]
    public void The_cli_exits_0_or_1_on_mutated_inputs(FuzzFormat format)
    {
        Skip.IfNot(File.Exists(CliCheck.CliPath), $"graphdsl not built at {CliCheck.CliPath}");
        var seeds = Seeds.For(format);
        var work = Directory.CreateTempSubdirectory("graphdsl-fuzz-cli-").FullName;
        try
        {
            var problems = new List<string>();
            foreach (int index in new[] { 0, seeds.Count, seeds.Count + 1, seeds.Count + 2, seeds.Count + 3 })
            {
                var (bytes, description) = Campaign.Generate(format, seeds, CiSeed, index);
                if (CliCheck.Run(format, bytes, work) is { } failure) problems.Add($"input {index} ({description}): {failure}");
            }
            Assert.True(problems.Count == 0, string.Join("\n", problems));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
