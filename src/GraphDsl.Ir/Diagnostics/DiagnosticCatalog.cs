using System.Globalization;
using System.Reflection;

namespace GraphDsl.Ir.Diagnostics;

/// <summary>Marks a static class as the diagnostic table of one area and names the IDs the area
/// owns, both ends included (<c>[DiagnosticRange("GD3301", "GD3399")]</c>); a table may own more
/// than one range. Each area declares its <see cref="DiagnosticDescriptor"/>s as public static
/// fields of its table, beside the code that reports them. The tables are declarations only:
/// what they share (IDs in range, each ID once, no two areas' ranges overlapping) is checked in
/// one place, <see cref="DiagnosticCatalog"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DiagnosticRangeAttribute(string first, string last) : Attribute
{
    public string First { get; } = first;

    public string Last { get; } = last;
}

/// <summary>One area's table: its type, the ID ranges it declares and the descriptors it holds.</summary>
/// <param name="Ranges">Inclusive ranges of ID numbers (<c>GD3301</c> is 3301); empty when the
/// type holds descriptors but declares no range, which <see cref="DiagnosticCatalog.Problems"/> reports.</param>
public sealed record DiagnosticTable(Type Type, IReadOnlyList<(int First, int Last)> Ranges,
    IReadOnlyList<(string Field, DiagnosticDescriptor Descriptor)> Descriptors);

/// <summary>Every diagnostic table of a set of assemblies, and the rules all tables follow. The ID
/// areas (<see cref="DiagnosticDescriptor"/>): <c>GD0xxx</c> syntax and loading, <c>GD1xxx</c>
/// meaning and IR, <c>GD2xxx</c> importers, <c>GD3xxx</c> pipeline and passes, <c>GD9xxx</c> plugins.</summary>
public static class DiagnosticCatalog
{
    /// <summary>Every type of <paramref name="assemblies"/> that declares a range or holds a public
    /// static <see cref="DiagnosticDescriptor"/> field (reading the fields runs the type's static
    /// initializer).</summary>
    public static IReadOnlyList<DiagnosticTable> Read(IEnumerable<Assembly> assemblies)
    {
        var tables = new List<DiagnosticTable>();
        foreach (var type in assemblies.SelectMany(a => a.GetTypes()).Where(t => !t.IsGenericTypeDefinition))
        {
            var ranges = type.GetCustomAttributes<DiagnosticRangeAttribute>(inherit: false)
                .Select(r => (Number(r.First), Number(r.Last))).ToList();
            var descriptors = type.GetFields(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
                .Select(f => (f.Name, (DiagnosticDescriptor)f.GetValue(null)!)).ToList();
            if (ranges.Count > 0 || descriptors.Count > 0) tables.Add(new DiagnosticTable(type, ranges, descriptors));
        }
        return tables;
    }

    /// <summary>One line per broken rule, empty when none: a table without a range, a malformed
    /// ID, an ID outside its table's ranges, an ID declared twice, two tables' ranges overlapping.</summary>
    public static IReadOnlyList<string> Problems(IReadOnlyList<DiagnosticTable> tables)
    {
        var problems = new List<string>();
        var declared = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            var name = table.Type.FullName;
            if (table.Ranges.Count == 0) problems.Add($"{name} declares diagnostics but no [DiagnosticRange]");
            foreach (var (first, last) in table.Ranges.Where(r => r.First < 0 || r.Last < r.First))
                problems.Add($"{name}: range {first}..{last} is malformed");
            foreach (var (field, d) in table.Descriptors)
            {
                var where = $"{name}.{field}";
                if (!declared.TryAdd(d.Id, where)) problems.Add($"{d.Id} is declared twice: {declared[d.Id]} and {where}");
                int n = Number(d.Id);
                if (n < 0) problems.Add($"{where}: '{d.Id}' is not GD followed by four digits");
                else if (table.Ranges.Count > 0 && !table.Ranges.Any(r => n >= r.First && n <= r.Last))
                    problems.Add($"{where}: {d.Id} is outside {name}'s range {string.Join(", ", table.Ranges.Select(Text))}");
            }
        }
        var owned = tables.SelectMany(t => t.Ranges.Select(r => (t.Type, Range: r))).OrderBy(x => x.Range.First).ToList();
        for (int i = 1; i < owned.Count; i++)
            if (owned[i].Range.First <= owned[i - 1].Range.Last)
                problems.Add($"{owned[i - 1].Type.FullName} ({Text(owned[i - 1].Range)}) and {owned[i].Type.FullName} ({Text(owned[i].Range)}) overlap");
        return problems;
    }

    /// <summary>3301 for <c>GD3301</c>; -1 when the text is not <c>GD</c> and four digits.</summary>
    public static int Number(string id) =>
        id.Length == 6 && id.StartsWith("GD", StringComparison.Ordinal)
        && int.TryParse(id.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1;

    private static string Text((int First, int Last) r) => $"GD{r.First:D4}-GD{r.Last:D4}";
}
