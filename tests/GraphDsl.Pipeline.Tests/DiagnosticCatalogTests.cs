using System.Reflection;
using System.Runtime.Loader;
using GraphDsl.Ir.Diagnostics;
using Xunit;

namespace GraphDsl.Pipeline.Tests;

/// <summary>Every diagnostic GraphDsl declares, read from every GraphDsl assembly the build put next
/// to the tests (the CLI's references and each built-in plugin's folder): each ID lies in its
/// area's declared range, no ID is declared twice, and no two areas' ranges overlap.</summary>
public sealed class DiagnosticCatalogTests
{
    [Fact]
    public void Every_id_is_unique_and_inside_its_areas_range()
    {
        var tables = DiagnosticCatalog.Read(GraphDslAssemblies());
        Assert.Empty(DiagnosticCatalog.Problems(tables));
        // The scan reached every area, plugins and the CLI's references included.
        var areas = tables.Select(t => t.Type.Name).ToHashSet();
        foreach (var area in new[] { "SyntaxDiagnostics", "ModelLoader", "IrVerifier", "TfliteDiagnostics", "OnnxDiagnostics",
                     "PipelineDiagnostics", "OutputFiles", "AnalysisDiagnostics", "TmmDiagnostics", "OrderSearchDiagnostics",
                     "ArenaDiagnostics", "LoweringDiagnostics", "TflmCompatibilityDiagnostics" })
            Assert.Contains(area, areas);
    }

    [Fact]
    public void The_check_names_each_broken_rule()
    {
        var tables = DiagnosticCatalog.Read([typeof(DiagnosticCatalogTests).Assembly]);
        var problems = DiagnosticCatalog.Problems(tables);
        string[] expected =
        [
            "GD1042 is declared twice: GraphDsl.Pipeline.Tests.BrokenTableA.Inside and GraphDsl.Pipeline.Tests.BrokenTableB.Again",
            "GraphDsl.Pipeline.Tests.BrokenTableB.Again: GD1042 is outside GraphDsl.Pipeline.Tests.BrokenTableB's range GD1045-GD1060",
            "GraphDsl.Pipeline.Tests.BrokenTableA.Outside: GD1050 is outside GraphDsl.Pipeline.Tests.BrokenTableA's range GD1040-GD1049",
            "GraphDsl.Pipeline.Tests.BrokenTableA.Malformed: 'GD12' is not GD followed by four digits",
            "GraphDsl.Pipeline.Tests.BrokenTableC declares diagnostics but no [DiagnosticRange]",
            "GraphDsl.Pipeline.Tests.BrokenTableA (GD1040-GD1049) and GraphDsl.Pipeline.Tests.BrokenTableB (GD1045-GD1060) overlap",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), problems.Order(StringComparer.Ordinal));
    }

    /// <summary>GraphDsl's assemblies in the test folder and in every plugins/&lt;Name&gt;/ folder,
    /// loaded so that an assembly the tests already reference (the IR, with DiagnosticDescriptor)
    /// is the same one.</summary>
    private static IReadOnlyList<Assembly> GraphDslAssemblies()
    {
        var folders = new[] { AppContext.BaseDirectory }
            .Concat(Directory.GetDirectories(Path.Combine(AppContext.BaseDirectory, "plugins"))).ToArray();
        var context = new SharedFirstContext(folders);
        // graphdsl.dll is the CLI.
        return folders.SelectMany(f => Directory.GetFiles(f, "*.dll")).Select(Path.GetFileNameWithoutExtension)
            .Where(name => name!.StartsWith("graphdsl", StringComparison.OrdinalIgnoreCase)).Distinct()
            .Where(name => !name!.EndsWith(".Tests", StringComparison.Ordinal) && name != "GraphDsl.TestKit")
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

[DiagnosticRange("GD1040", "GD1049")]
internal static class BrokenTableA
{
    public static readonly DiagnosticDescriptor Inside = new("GD1042", Severity.Error, "inside");
    public static readonly DiagnosticDescriptor Outside = new("GD1050", Severity.Error, "outside");
    public static readonly DiagnosticDescriptor Malformed = new("GD12", Severity.Error, "malformed");
}

[DiagnosticRange("GD1045", "GD1060")]
internal static class BrokenTableB
{
    public static readonly DiagnosticDescriptor Again = new("GD1042", Severity.Error, "declared twice");
}

internal static class BrokenTableC
{
    public static readonly DiagnosticDescriptor NoRange = new("GD1070", Severity.Error, "no range");
}
