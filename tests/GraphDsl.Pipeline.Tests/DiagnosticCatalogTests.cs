using System.Reflection;
using System.Runtime.Loader;
using GraphDsl.Ir.Diagnostics;
using Xunit;

namespace GraphDsl.Pipeline.Tests;

/// <summary>Every diagnostic GraphDsl declares, read from every GraphDsl assembly the CLI ships (its
/// output folder and each built-in plugin's folder): each ID lies in its
/// assembly's declared range, no ID is declared twice, and no two assemblies' ranges overlap.</summary>
public sealed class DiagnosticCatalogTests
{
    [Fact]
    public void Every_id_is_unique_and_inside_its_areas_range()
    {
        var areas = DiagnosticCatalog.Read(GraphDslAssemblies());
        Assert.Empty(DiagnosticCatalog.Problems(areas));
        // The scan reached every area, plugins and the CLI's references included.
        Assert.Equal(
            ["GraphDsl.Analysis", "GraphDsl.ArenaPlanning", "GraphDsl.Importers.Onnx", "GraphDsl.Importers.Tflite", "GraphDsl.Ir",
             "GraphDsl.Loading", "GraphDsl.Lowering", "GraphDsl.Passes.Tmm", "GraphDsl.Pipeline", "GraphDsl.Scheduling",
             "GraphDsl.Syntax", "GraphDsl.Tflm"],
            areas.Select(a => a.Assembly).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_check_names_each_broken_rule()
    {
        static DiagnosticDescriptor D(string id) => new(id, Severity.Error, "m");
        DiagnosticArea[] areas =
        [
            new("A", [(1040, 1049)], [("A.Inside", D("GD1042")), ("A.Outside", D("GD1050")), ("A.Malformed", D("GD12"))]),
            new("B", [(1045, 1060)], [("B.Again", D("GD1042"))]),
            new("C", [], [("C.NoRange", D("GD1070"))]),
            new("D", [(1080, 1070)], []),
        ];
        string[] expected =
        [
            "A.Outside: GD1050 is outside A's range GD1040-GD1049",
            "A.Malformed: 'GD12' is not GD followed by four digits",
            "GD1042 is declared twice: A.Inside and B.Again",
            "B.Again: GD1042 is outside B's range GD1045-GD1060",
            "C declares diagnostics but no [assembly: DiagnosticRange]",
            "D: range 1080..1070 is malformed",
            "A (GD1040-GD1049) and B (GD1045-GD1060) overlap",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), DiagnosticCatalog.Problems(areas).Order(StringComparer.Ordinal));
    }

    /// <summary>GraphDsl's assemblies as the CLI ships them: its output folder and every
    /// plugins/&lt;Name&gt;/ folder in it, loaded so that an assembly the tests already reference (the
    /// IR, with DiagnosticDescriptor) is the same one.</summary>
    private static IReadOnlyList<Assembly> GraphDslAssemblies()
    {
        var cli = Path.GetDirectoryName(TestKit.GraphDslCli.Dll)!;
        var folders = new[] { cli }.Concat(Directory.GetDirectories(Path.Combine(cli, "plugins"))).ToArray();
        var context = new SharedFirstContext(folders);
        // graphdsl.dll is the CLI itself.
        return folders.SelectMany(f => Directory.GetFiles(f, "*.dll")).Select(Path.GetFileNameWithoutExtension)
            .Where(name => name!.StartsWith("graphdsl", StringComparison.OrdinalIgnoreCase)).Distinct()
            .Select(name => context.LoadFromAssemblyName(new AssemblyName(name!))).ToList();
    }

    /// <summary>Resolves from the host first (its copies of the IR and the contract), then from the folders.</summary>
    private sealed class SharedFirstContext(string[] folders) : AssemblyLoadContext("diagnostic-catalog", isCollectible: false)
    {
        protected override Assembly? Load(AssemblyName name)
        {
            try { return Default.LoadFromAssemblyName(name); }
            catch (FileNotFoundException) { }
            return folders.Select(f => Path.Combine(f, name.Name + ".dll")).Where(File.Exists)
                .Select(LoadFromAssemblyPath).FirstOrDefault();
        }
    }
}
