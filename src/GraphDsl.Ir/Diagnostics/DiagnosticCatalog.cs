using System.Globalization;
using System.Reflection;

namespace GraphDsl.Ir.Diagnostics;

/// <summary>Names IDs an assembly's diagnostics own, both ends included
/// (<c>[assembly: DiagnosticRange("GD3301", "GD3399")]</c> for arena planning); an assembly may own
/// more than one range. Each area declares its <see cref="DiagnosticDescriptor"/>s as public static
/// fields of a table beside the code that reports them. The tables are declarations only: what
/// they share (IDs inside their assembly's ranges, each ID once, no two assemblies' ranges
/// overlapping) is checked in one place, <see cref="DiagnosticCatalog"/>.</summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class DiagnosticRangeAttribute(string first, string last) : Attribute
{
    public string First { get; } = first;

    public string Last { get; } = last;
}

/// <summary>One assembly's diagnostics: the ID ranges it declares and every descriptor its tables hold.</summary>
/// <param name="Ranges">Inclusive ranges of ID numbers (<c>GD3301</c> is 3301).</param>
/// <param name="Descriptors">Each descriptor with the <c>Type.Field</c> that declares it.</param>
public sealed record DiagnosticArea(string Assembly, IReadOnlyList<(int First, int Last)> Ranges,
    IReadOnlyList<(string Where, DiagnosticDescriptor Descriptor)> Descriptors);

/// <summary>Every diagnostic of a set of assemblies, and the rules all of them follow. The ID
/// areas (<see cref="DiagnosticDescriptor"/>): <c>GD0xxx</c> syntax and loading, <c>GD1xxx</c>
/// meaning and IR, <c>GD2xxx</c> importers, <c>GD3xxx</c> pipeline and passes, <c>GD9xxx</c> plugins.</summary>
public static class DiagnosticCatalog
{
    /// <summary>The area of each assembly that declares a range or holds a public static
    /// <see cref="DiagnosticDescriptor"/> field (reading a field runs its type's static initializer).</summary>
    public static IReadOnlyList<DiagnosticArea> Read(IEnumerable<Assembly> assemblies)
    {
        var areas = new List<DiagnosticArea>();
        foreach (var assembly in assemblies)
        {
            var ranges = assembly.GetCustomAttributes<DiagnosticRangeAttribute>().Select(r => (Number(r.First), Number(r.Last))).ToList();
            var descriptors = assembly.GetTypes().Where(t => !t.IsGenericTypeDefinition)
                .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly)
                    .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
                    .Select(f => ($"{t.FullName}.{f.Name}", (DiagnosticDescriptor)f.GetValue(null)!)))
                .ToList();
            if (ranges.Count > 0 || descriptors.Count > 0) areas.Add(new DiagnosticArea(assembly.GetName().Name!, ranges, descriptors));
        }
        return areas;
    }

    /// <summary>One line per broken rule, empty when none: diagnostics in an assembly without a
    /// range, a malformed ID or range, an ID outside its assembly's ranges, an ID declared twice,
    /// two assemblies' ranges overlapping.</summary>
    public static IReadOnlyList<string> Problems(IReadOnlyList<DiagnosticArea> areas)
    {
        var problems = new List<string>();
        var declared = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var area in areas)
        {
            if (area.Ranges.Count == 0) problems.Add($"{area.Assembly} declares diagnostics but no [assembly: DiagnosticRange]");
            foreach (var (first, last) in area.Ranges.Where(r => r.First < 0 || r.Last < r.First))
                problems.Add($"{area.Assembly}: range {first}..{last} is malformed");
            foreach (var (where, d) in area.Descriptors)
            {
                if (!declared.TryAdd(d.Id, where)) problems.Add($"{d.Id} is declared twice: {declared[d.Id]} and {where}");
                int n = Number(d.Id);
                if (n < 0) problems.Add($"{where}: '{d.Id}' is not GD followed by four digits");
                else if (area.Ranges.Count > 0 && !area.Ranges.Any(r => n >= r.First && n <= r.Last))
                    problems.Add($"{where}: {d.Id} is outside {area.Assembly}'s range {string.Join(", ", area.Ranges.Select(Text))}");
            }
        }
        var owned = areas.SelectMany(a => a.Ranges.Select(r => (a.Assembly, Range: r))).OrderBy(x => x.Range.First).ToList();
        for (int i = 1; i < owned.Count; i++)
            if (owned[i].Range.First <= owned[i - 1].Range.Last)
                problems.Add($"{owned[i - 1].Assembly} ({Text(owned[i - 1].Range)}) and {owned[i].Assembly} ({Text(owned[i].Range)}) overlap");
        return problems;
    }

    /// <summary>3301 for <c>GD3301</c>; -1 when the text is not <c>GD</c> and four digits.</summary>
    public static int Number(string id) =>
        id.Length == 6 && id.StartsWith("GD", StringComparison.Ordinal)
        && int.TryParse(id.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1;

    private static string Text((int First, int Last) r) => $"GD{r.First:D4}-GD{r.Last:D4}";
}
