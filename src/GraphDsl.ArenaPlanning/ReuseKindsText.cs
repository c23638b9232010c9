namespace GraphDsl.ArenaPlanning;

/// <summary>Reads and writes the <c>reuse=</c> option: <c>all</c>, <c>none</c>, or kind names
/// joined by <c>+</c> (<c>views+inplace</c>).</summary>
public static class ReuseKindsText
{
    private static readonly (string Name, ReuseKinds Kind)[] Names =
    [
        ("all", ReuseKinds.All), ("none", ReuseKinds.None), ("views", ReuseKinds.Views),
        ("inplace", ReuseKinds.InPlace), ("concat", ReuseKinds.Concat),
    ];

    /// <summary>Every accepted single word, for "expected one of" messages.</summary>
    public static IEnumerable<string> KnownNames => Names.Select(n => n.Name);

    public static bool TryParse(string text, out ReuseKinds kinds)
    {
        kinds = ReuseKinds.None;
        foreach (var part in text.Split('+', StringSplitOptions.TrimEntries))
        {
            var match = Names.Where(n => n.Name == part).ToArray();
            if (match.Length == 0) return false;
            kinds |= match[0].Kind;
        }
        return true;
    }

    public static string Format(ReuseKinds kinds)
    {
        if (kinds == ReuseKinds.All) return "all";
        if (kinds == ReuseKinds.None) return "none";
        return string.Join("+", Names.Skip(2).Where(n => kinds.HasFlag(n.Kind)).Select(n => n.Name));
    }
}
