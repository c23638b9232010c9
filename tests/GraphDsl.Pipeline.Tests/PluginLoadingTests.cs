using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;
using GraphDsl.Passes;
using Xunit;

namespace GraphDsl.Pipeline.Tests;

/// <summary>Loads the real plugins the build copied next to the tests (built-in ones from
/// plugins/, the third-party example from examples/) and broken plugin folders made on the fly.</summary>
public sealed class PluginLoadingTests : IDisposable
{
    private static readonly string BuiltIn = Path.Combine(AppContext.BaseDirectory, "plugins");
    private static readonly string Examples = Path.Combine(AppContext.BaseDirectory, "example-plugins");
    private readonly string _scratch = Directory.CreateTempSubdirectory("graphdsl-plugins-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public void Every_built_in_plugin_folder_loads_and_tmm_is_among_them()
    {
        var catalog = new PassCatalog();
        var bag = new DiagnosticBag();
        PluginFolderLoader.LoadDirectory(BuiltIn, catalog, bag);
        Assert.Empty(bag);
        var tmm = catalog.Find("tmm");
        Assert.NotNull(tmm);
        Assert.Equal(Path.Combine(BuiltIn, "GraphDsl.Passes.Tmm"), tmm.Source);
        // One folder per plugin project, each with only its own assembly (no contract copies).
        var folders = Directory.GetDirectories(BuiltIn).Select(Path.GetFileName).ToList();
        var projects = Directory.GetDirectories(Path.Combine(TestKit.RepositoryPaths.Root, "plugins"))
            .Where(d => File.Exists(Path.Combine(d, Path.GetFileName(d) + ".csproj"))).Select(Path.GetFileName);
        Assert.Equal(projects.Order(), folders.Order());
        foreach (var folder in Directory.GetDirectories(BuiltIn))
            Assert.False(File.Exists(Path.Combine(folder, "GraphDsl.Passes.Abstractions.dll")), folder);
    }

    [Fact]
    public void Contract_types_of_a_plugin_are_the_hosts_types()
    {
        var catalog = new PassCatalog();
        PluginFolderLoader.LoadDirectory(BuiltIn, catalog, new DiagnosticBag());
        var pass = catalog.Find("tmm")!.Pass;
        var passType = pass.GetType();
        Assert.Same(typeof(IGraphPass), passType.GetInterfaces().Single(i => i.Name == nameof(IGraphPass)));
        Assert.Same(typeof(Model), passType.GetMethod("Run")!.GetParameters()[0].ParameterType);
        // The plugin's own assembly lives in its own load context, not the host's.
        Assert.NotSame(System.Runtime.Loader.AssemblyLoadContext.Default, System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(passType.Assembly));
        Assert.Same(System.Runtime.Loader.AssemblyLoadContext.Default, System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(typeof(IGraphPass).Assembly));
    }

    [Fact]
    public void The_third_party_example_loads_from_a_folder_and_runs_in_a_pipeline()
    {
        var catalog = new PassCatalog();
        var bag = new DiagnosticBag();
        PluginFolderLoader.LoadDirectory(BuiltIn, catalog, bag);
        PluginFolderLoader.LoadDirectory(Examples, catalog, bag);
        Assert.Empty(bag);
        Assert.Equal(Path.Combine(Examples, "ThirdPartyPass"), catalog.Find("tensor-budget")!.Source);

        var passes = PipelineBinder.Bind("tmm,tensor-budget{budget=200}", catalog, bag);
        Assert.Empty(bag);
        var model = TestGraphs.Chain();
        var run = new PassManager().Run(model, passes!);
        Assert.True(run.Succeeded);
        // Every f32[1,64] activation (256 bytes) is over a 200-byte budget: warned and annotated.
        Assert.Equal(3, run.Diagnostics.Count(d => d.Id == "TP0001" && d.Severity == Severity.Warning));
        foreach (var t in run.Model.Main.Tensors)
            Assert.Equal(256L, ((AttributeValue.Record)t.Annotations["over_budget"]!).Fields["bytes"]!.AsInt());
        Assert.NotNull(run.Model.Main.Annotations["tmm"]);
    }

    [Fact]
    public void A_garbage_dll_is_reported_by_folder()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_scratch, "Garbage")).FullName;
        File.WriteAllText(Path.Combine(folder, "Garbage.dll"), "this is not a PE file");
        var d = LoadOnly(_scratch);
        Assert.Equal("GD9003", d.Id);
        Assert.Contains(folder, d.Message);
        Assert.StartsWith($"plugin '{folder}' could not be read as a .NET assembly", d.Message);
    }

    [Fact]
    public void A_folder_without_its_assembly_is_reported()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_scratch, "Empty")).FullName;
        var d = LoadOnly(_scratch);
        Assert.Equal("GD9002", d.Id);
        Assert.Equal($"plugin folder '{folder}' has no assembly 'Empty.dll' (each plugin lives in <dir>/<Name>/<Name>.dll)", d.Message);
    }

    [Fact]
    public void An_assembly_without_the_contract_is_reported()
    {
        // The xunit assembly is a valid .NET assembly that knows nothing of passes.
        var folder = Directory.CreateDirectory(Path.Combine(_scratch, "xunit.assert")).FullName;
        File.Copy(Path.Combine(AppContext.BaseDirectory, "xunit.assert.dll"), Path.Combine(folder, "xunit.assert.dll"));
        var d = LoadOnly(_scratch);
        Assert.Equal("GD9005", d.Id);
        Assert.Contains(folder, d.Message);
    }

    [Fact]
    public void The_same_pass_name_in_two_folders_names_both()
    {
        var copy = Path.Combine(_scratch, "GraphDsl.Passes.Tmm");
        Directory.CreateDirectory(copy);
        foreach (var f in Directory.GetFiles(Path.Combine(BuiltIn, "GraphDsl.Passes.Tmm")))
            File.Copy(f, Path.Combine(copy, Path.GetFileName(f)));
        var catalog = new PassCatalog();
        var bag = new DiagnosticBag();
        PluginFolderLoader.LoadDirectory(BuiltIn, catalog, bag);
        PluginFolderLoader.LoadDirectory(_scratch, catalog, bag);
        var d = Assert.Single(bag);
        Assert.Equal("GD9008", d.Id);
        Assert.Equal($"pass name 'tmm' is defined twice: in '{Path.Combine(BuiltIn, "GraphDsl.Passes.Tmm")}' and in '{copy}'", d.Message);
    }

    [Theory]
    [InlineData(1, 1, true)]
    [InlineData(3, 3, true)]
    [InlineData(2, 1, false)]
    [InlineData(0, 1, false)]
    public void Contract_versions_are_compatible_when_the_major_matches(int pluginMajor, int hostMajor, bool compatible)
    {
        Assert.Equal(compatible, PluginFolderLoader.IsCompatible(new Version(pluginMajor, 4, 0, 0), new Version(hostMajor, 0, 0, 0)));
    }

    [Fact]
    public void A_missing_plugin_directory_is_reported()
    {
        var bag = new DiagnosticBag();
        PluginFolderLoader.LoadDirectory(Path.Combine(_scratch, "nope"), new PassCatalog(), bag);
        Assert.Equal("GD9001", Assert.Single(bag).Id);
    }

    private static Diagnostic LoadOnly(string directory)
    {
        var bag = new DiagnosticBag();
        var catalog = new PassCatalog();
        PluginFolderLoader.LoadDirectory(directory, catalog, bag);
        Assert.Empty(catalog.Passes);
        return Assert.Single(bag);
    }
}
