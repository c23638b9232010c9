using GraphDsl.ArenaPlanning.Strategies;

namespace GraphDsl.ArenaPlanning;

/// <summary>The placement strategies by name (the <c>strategy=</c> option).</summary>
public static class ArenaStrategies
{
    private static readonly (string Name, Func<ArenaStrategyOptions, IArenaStrategy> Create)[] Factories =
    [
        ("auto", o => new AutoStrategy(o)),
        ("greedy-by-size", _ => new GreedyBySizeStrategy()),
        ("greedy-by-conflicts", _ => new GreedyByConflictsStrategy()),
        ("best-fit", _ => new BestFitStrategy()),
        ("cpsat", o => new CpSatStrategy(o)),
    ];

    public static IReadOnlyList<string> Names { get; } = Factories.Select(f => f.Name).ToArray();

    /// <summary>The strategy called <paramref name="name"/>, or null when there is none.</summary>
    public static IArenaStrategy? Create(string name, ArenaStrategyOptions options) =>
        Factories.Where(f => f.Name == name).Select(f => f.Create(options)).FirstOrDefault();
}
