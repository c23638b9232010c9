using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;
using GraphDsl.Lowering;
using GraphDsl.Pipeline;
using Xunit;

namespace GraphDsl.TestKit;

/// <summary>Runs pipelines in the test process with the real built plugins, as the CLI does (plugin
/// folder loading, <see cref="PipelineBinder"/>, <see cref="PassManager"/>; <c>optimize</c>'s
/// pipeline is <see cref="OptimizePipelines.Default"/>). The test project must import
/// plugins/PassPlugins.targets, which copies the plugins into its output.</summary>
public static class PipelineHost
{
    private static readonly Lazy<(PassCatalog Catalog, IReadOnlyList<Diagnostic> Problems)> Loaded = new(() =>
    {
        var catalog = new PassCatalog();
        var bag = new DiagnosticBag();
        PluginFolderLoader.LoadDirectory(Path.Combine(AppContext.BaseDirectory, "plugins"), catalog, bag);
        return (catalog, bag.ToList());
    });

    public sealed record Outcome(Model? Model, IReadOnlyDictionary<string, byte[]> Artifacts, IReadOnlyList<Diagnostic> Diagnostics)
    {
        public bool Succeeded => Model is not null;
        public override string ToString() => string.Join("\n", Diagnostics);
    }

    /// <summary>A loaded pass by name; skips loudly when it is not built into this tree.</summary>
    public static GraphDsl.Passes.IGraphPass Pass(string name)
    {
        RequirePasses(name);
        return Loaded.Value.Catalog.Find(name)!.Pass;
    }

    /// <summary>Skips loudly while a pass the test needs is not built into this tree.</summary>
    public static void RequirePasses(params string[] names)
    {
        var missing = names.Where(n => Loaded.Value.Catalog.Find(n) is null).ToList();
        Skip.If(missing.Count > 0, $"PASSES NOT AVAILABLE: {string.Join(", ", missing)} (plugin load problems: {string.Join("; ", Loaded.Value.Problems)})");
    }

    public static Outcome Run(Model model, string? sourcePath, string pipeline = OptimizePipelines.Default)
    {
        var bag = new DiagnosticBag();
        var passes = PipelineBinder.Bind(pipeline, Loaded.Value.Catalog, bag, OptimizePipelines.Established(model));
        if (passes is null) return new Outcome(null, new Dictionary<string, byte[]>(), bag.ToList());
        var artifacts = new ArtifactBuffer();
        var run = new PassManager(new PassManagerSettings { Artifacts = artifacts, Source = SourceOf(sourcePath) }).Run(model, passes);
        return new Outcome(run.Succeeded ? run.Model : null, artifacts.Items, run.Diagnostics);
    }

    /// <summary>The source as the CLI hands it over: the loader's format and the file's bytes.</summary>
    private static ModelSource? SourceOf(string? path) =>
        path is null || !File.Exists(path) ? null
            : new ModelSource(path, GraphDsl.Loading.ModelLoader.FormatOf(path) ?? ModelSource.Text, File.ReadAllBytes(path));
}
