using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using GraphDsl.Analysis;
using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;
using GraphDsl.Passes;
using McMaster.NETCore.Plugins;

namespace GraphDsl.Pipeline;

/// <summary>Loads pass plugins: each plugin is <c>&lt;dir&gt;/&lt;Name&gt;/&lt;Name&gt;.dll</c> in its own
/// load context that shares only the contract (GraphDsl.Passes.Abstractions, and the IR and
/// analyses it exposes) with the host, so plugin dependencies never clash with the host's.</summary>
/// <remarks>
/// Stages, each failure a GD9xxx diagnostic naming the plugin folder (loading goes on with the
/// next plugin):
/// 1. the folder holds <c>Name.dll</c>;
/// 2. its metadata reads (not garbage) and its reference to the contract has the host's major
///    version (read without loading, so an incompatible plugin never runs);
/// 3. the McMaster loader loads it and every public concrete IGraphPass with a public
///    parameterless constructor is created;
/// 4. descriptors are checked and names registered in the <see cref="PassCatalog"/>.
/// </remarks>
public static class PluginFolderLoader
{
    /// <summary>The types whose assemblies the host shares with every plugin.</summary>
    public static readonly Type[] SharedTypes = [typeof(IGraphPass), typeof(Graph), typeof(MemoryProblem)];

    public static AssemblyName ContractName => typeof(IGraphPass).Assembly.GetName();

    /// <summary>Loads every plugin folder directly under <paramref name="directory"/>, in name order.</summary>
    public static void LoadDirectory(string directory, PassCatalog catalog, DiagnosticBag diagnostics)
    {
        if (!Directory.Exists(directory))
        {
            diagnostics.Report(PipelineDiagnostics.PluginFolderMissing, new ModelLocation(Path.GetFullPath(directory), ""), directory);
            return;
        }
        foreach (var folder in Directory.GetDirectories(directory).Order(StringComparer.Ordinal))
            LoadPlugin(folder, catalog, diagnostics);
    }

    /// <summary>Loads one plugin folder; returns the number of passes it registered.</summary>
    public static int LoadPlugin(string folder, PassCatalog catalog, DiagnosticBag diagnostics)
    {
        folder = Path.GetFullPath(folder);
        var where = new ModelLocation(folder, "");
        var name = Path.GetFileName(folder.TrimEnd(Path.DirectorySeparatorChar));
        var dll = Path.Combine(folder, name + ".dll");
        if (!File.Exists(dll))
        {
            diagnostics.Report(PipelineDiagnostics.PluginAssemblyMissing, where, folder, name + ".dll");
            return 0;
        }
        if (!CheckContractReference(dll, folder, diagnostics)) return 0;

        Assembly assembly;
        PluginLoader loader;
        try
        {
            loader = PluginLoader.CreateFromAssemblyFile(dll, SharedTypes, config => config.PreferSharedTypes = true);
            assembly = loader.LoadDefaultAssembly();
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException or FileNotFoundException or IOException)
        {
            diagnostics.Report(PipelineDiagnostics.PluginTypeLoad, where, folder, e.Message);
            return 0;
        }

        var passes = new List<IGraphPass>();
        try
        {
            foreach (var type in PassTypes(assembly))
            {
                var pass = (IGraphPass)Activator.CreateInstance(type)!;
                if (DescriptorProblem(pass.Descriptor) is { } problem)
                    diagnostics.Report(PipelineDiagnostics.PassBadDescriptor, where, folder, type.FullName, problem);
                else passes.Add(pass);
            }
        }
        catch (Exception e) when (e is ReflectionTypeLoadException or TypeLoadException or FileNotFoundException
                                      or FileLoadException or MissingMethodException or TargetInvocationException)
        {
            var reason = e is ReflectionTypeLoadException rtle
                ? string.Join("; ", rtle.LoaderExceptions.Where(x => x is not null).Select(x => x!.Message).Distinct())
                : (e.InnerException ?? e).Message;
            diagnostics.Report(PipelineDiagnostics.PluginTypeLoad, where, folder, reason);
            return 0;
        }
        if (passes.Count == 0)
        {
            diagnostics.Report(PipelineDiagnostics.PluginNoPasses, where, folder);
            return 0;
        }
        catalog.KeepAlive(loader);
        return passes.Count(p => catalog.Add(p, folder, diagnostics));
    }

    private static IEnumerable<Type> PassTypes(Assembly assembly) =>
        assembly.GetExportedTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false }
                        && typeof(IGraphPass).IsAssignableFrom(t)
                        && t.GetConstructor(Type.EmptyTypes) is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal);

    /// <summary>Reads the plugin's assembly references without loading it and compares its
    /// contract reference with the host's contract.</summary>
    private static bool CheckContractReference(string dll, string folder, DiagnosticBag diagnostics)
    {
        var where = new ModelLocation(folder, "");
        try
        {
            using var stream = File.OpenRead(dll);
            using var pe = new PEReader(stream);
            if (!pe.HasMetadata)
            {
                diagnostics.Report(PipelineDiagnostics.PluginBadImage, where, folder, "the file has no .NET metadata");
                return false;
            }
            var md = pe.GetMetadataReader();
            var contract = ContractName;
            foreach (var handle in md.AssemblyReferences)
            {
                var reference = md.GetAssemblyReference(handle);
                if (!string.Equals(md.GetString(reference.Name), contract.Name, StringComparison.OrdinalIgnoreCase)) continue;
                if (IsCompatible(reference.Version, contract.Version!)) return true;
                diagnostics.Report(PipelineDiagnostics.PluginIncompatibleContract, where, folder, reference.Version, contract.Version);
                return false;
            }
            diagnostics.Report(PipelineDiagnostics.PluginNoContract, where, folder);
            return false;
        }
        catch (BadImageFormatException e)
        {
            diagnostics.Report(PipelineDiagnostics.PluginBadImage, where, folder, e.Message);
            return false;
        }
    }

    /// <summary>A plugin built against contract version <paramref name="referenced"/> runs on a host
    /// with contract <paramref name="host"/> when the major versions match: minor versions only add.</summary>
    public static bool IsCompatible(Version referenced, Version host) => referenced.Major == host.Major;

    /// <summary>Why a descriptor cannot be used, or null when it is fine.</summary>
    public static string? DescriptorProblem(PassDescriptor? d)
    {
        if (d is null) return "the descriptor is null";
        if (string.IsNullOrEmpty(d.Name) || !d.Name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            return $"name '{d.Name}' is not kebab-case (a-z, 0-9, '-')";
        foreach (var o in d.Options ?? [])
        {
            if (o.ValueType != typeof(long) && o.ValueType != typeof(double) && o.ValueType != typeof(bool) && o.ValueType != typeof(string))
                return $"option '{o.Name}' has unsupported type {o.ValueType.Name}";
            if (o.Default is null || o.Default.GetType() != o.ValueType)
                return $"option '{o.Name}' has a default that is not a {PassOptionTypes.Describe(o.ValueType)}";
        }
        return null;
    }
}
