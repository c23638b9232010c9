using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;

namespace GraphDsl.Passes.Tests;

/// <summary>The built-in passes, loaded once from the plugin folders the build copied next to the
/// tests, and a way to run a pipeline text on a model with them.</summary>
public static class BuiltInPasses
{
    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "plugins");

    private static readonly Lazy<(Pipeline.PassCatalog Catalog, IReadOnlyList<Diagnostic> Diagnostics)> Loaded = new(() =>
    {
        var catalog = new Pipeline.PassCatalog();
        var bag = new DiagnosticBag();
        Pipeline.PluginFolderLoader.LoadDirectory(Directory, catalog, bag);
        return (catalog, bag.ToList());
    });

    public static Pipeline.PassCatalog Catalog => Loaded.Value.Catalog;

    public static IReadOnlyList<Diagnostic> LoadDiagnostics => Loaded.Value.Diagnostics;

    /// <summary>Binds and runs <paramref name="pipeline"/> as the CLI does (capabilities the model's
    /// annotations establish count as provided); binding errors come back as a failed run.</summary>
    public static Pipeline.PipelineRun Run(string pipeline, Model model, CancellationToken cancellation = default)
    {
        var bag = new DiagnosticBag();
        var passes = Pipeline.PipelineBinder.Bind(pipeline, Catalog, bag, Pipeline.OptimizePipelines.Established(model));
        if (passes is null) return new Pipeline.PipelineRun(model, bag.ToList(), Pipeline.PipelineStatus.Failed, 0);
        return new Pipeline.PassManager().Run(model, passes, cancellation);
    }
}
