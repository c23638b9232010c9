using System.Text;
using System.Text.RegularExpressions;

namespace GraphDsl.Fuzz.Mutators;

/// <summary>Grammar-aware mutations of graph-language text (grammar/GraphDsl.g4): the text is cut
/// into tokens (names, numbers, strings, punctuation, comments, space) and edited as a user or a
/// generator might get it wrong: tokens swapped, deleted or duplicated, brackets deleted or left
/// open, numbers replaced by huge or boundary values (dimensions of 2^40, 1e999), deep nesting,
/// an operator input renamed to a later output (cycles, use before definition), statements
/// repeated or moved, whole-graph duplication with fresh names (large graphs).</summary>
public sealed partial class GdslMutator : IMutator
{
    public string Name => "gdsl";

    [GeneratedRegex("""\s+|//[^\n]*|b?"(?:[^"\\\n]|\\.)*"?|->|[A-Za-z_][A-Za-z0-9_.]*|[-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+)|.""", RegexOptions.Singleline)]
    private static partial Regex Token();

    private static readonly string[] Numbers = [
        "0", "-1", "1", "2147483647", "2147483648", "4294967296", "1099511627776", "9223372036854775807",
        "9223372036854775808", "-9223372036854775808", "99999999999999999999999", "1e308", "1e999", "-0", "0.0", "1e-400", "65536",
    ];

    private static readonly string[] Openers = ["(", "[", "{"];
    private static readonly string[] Closers = [")", "]", "}"];
    private static readonly string[] Keywords = ["graph", "model", "const", "var", "q", "data", "->", "=", ":", ",", "_", "inf", "nan", "i8", "f32", "i64", "bool"];

    public byte[] Mutate(byte[] input, Random rng)
    {
        var tokens = Token().Matches(Encoding.UTF8.GetString(input)).Select(m => m.Value).ToList();
        if (tokens.Count == 0) return Encoding.UTF8.GetBytes("graph g() -> () {}");
        var meaningful = Enumerable.Range(0, tokens.Count).Where(i => !string.IsNullOrWhiteSpace(tokens[i]) && !tokens[i].StartsWith("//", StringComparison.Ordinal)).ToList();
        if (meaningful.Count == 0) meaningful = [0];
        int Pick() => meaningful[rng.Next(meaningful.Count)];
        var names = meaningful.Where(i => IsName(tokens[i])).ToList();
        var numbers = meaningful.Where(i => char.IsAsciiDigit(tokens[i][^1])).ToList();
        var brackets = meaningful.Where(i => Openers.Contains(tokens[i]) || Closers.Contains(tokens[i])).ToList();

        switch (rng.Next(12))
        {
            case 0: // swap two tokens
            {
                int a = Pick(), b = Pick();
                (tokens[a], tokens[b]) = (tokens[b], tokens[a]);
                break;
            }
            case 1: tokens.RemoveAt(Pick()); break;
            case 2: { int a = Pick(); tokens.Insert(a, tokens[a]); break; }
            case 3 when brackets.Count > 0: tokens.RemoveAt(brackets[rng.Next(brackets.Count)]); break;
            case 4 when numbers.Count > 0: tokens[numbers[rng.Next(numbers.Count)]] = Numbers[rng.Next(Numbers.Length)]; break;
            case 5: // deep nesting
            {
                int depth = new[] { 100, 1000, 10_000, 100_000 }[rng.Next(4)];
                int kind = rng.Next(3);
                string nest = rng.Next(2) == 0
                    ? string.Concat(Enumerable.Repeat(Openers[kind], depth))
                    : string.Concat(Enumerable.Repeat(Openers[kind], depth)) + "1" + string.Concat(Enumerable.Repeat(Closers[kind], depth));
                tokens.Insert(Pick(), nest);
                break;
            }
            case 6 when names.Count >= 2: // a use renamed to another name: cycles, undefined names, duplicates
            {
                int a = names[rng.Next(names.Count)], b = names[rng.Next(names.Count)];
                tokens[a] = tokens[b];
                break;
            }
            case 7: // a statement (line) repeated, deleted or moved
            {
                var lines = string.Concat(tokens).Split('\n').ToList();
                int l = rng.Next(lines.Count);
                switch (rng.Next(3))
                {
                    case 0: lines.Insert(rng.Next(lines.Count + 1), lines[l]); break;
                    case 1: lines.RemoveAt(l); break;
                    default: { var line = lines[l]; lines.RemoveAt(l); lines.Insert(rng.Next(lines.Count + 1), line); break; }
                }
                return Encoding.UTF8.GetBytes(string.Join('\n', lines));
            }
            case 8: // a keyword or punctuation where it does not belong
                tokens.Insert(Pick(), Keywords[rng.Next(Keywords.Length)]);
                break;
            case 9: // the graph body repeated with fresh names: a much larger graph
                return Encoding.UTF8.GetBytes(Grow(string.Concat(tokens), rng));
            case 10 when numbers.Count > 0: // a shape or list made very long
            {
                int at = numbers[rng.Next(numbers.Count)];
                int count = new[] { 8, 100, 5000 }[rng.Next(3)];
                tokens[at] = string.Join(",", Enumerable.Repeat(tokens[at], count));
                break;
            }
            default: // cut the text short
                return Encoding.UTF8.GetBytes(string.Concat(tokens.Take(rng.Next(tokens.Count))));
        }
        return Encoding.UTF8.GetBytes(string.Concat(tokens));
    }

    private static bool IsName(string token) =>
        (char.IsAsciiLetter(token[0]) || token[0] == '_') && !Keywords.Contains(token) && token != "graph";

    /// <summary>Repeats the statement lines of the body k times, suffixing every defined name in
    /// copy i with _i (uses of earlier definitions are renamed too), so the copies are parallel
    /// branches reading the same graph inputs.</summary>
    private static string Grow(string text, Random rng)
    {
        var lines = text.Split('\n').ToList();
        int open = lines.FindIndex(l => l.TrimStart().StartsWith("graph", StringComparison.Ordinal) && l.TrimEnd().EndsWith('{'));
        int close = lines.FindLastIndex(l => l.Trim() == "}");
        if (open < 0 || close <= open + 1) return text;
        var body = lines.GetRange(open + 1, close - open - 1);
        var defined = body.Select(l => Regex.Match(l, @"^\s*(?:const\s+|var\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*:")).Where(m => m.Success).Select(m => m.Groups[1].Value).ToHashSet();
        int copies = new[] { 2, 10, 50 }[rng.Next(3)];
        var extra = new List<string>();
        for (int i = 1; i < copies; i++)
            foreach (var line in body)
                extra.Add(Regex.Replace(line, @"\b[A-Za-z_][A-Za-z0-9_]*\b", m => defined.Contains(m.Value) ? $"{m.Value}_{i}" : m.Value));
        lines.InsertRange(close, extra);
        return string.Join('\n', lines);
    }
}
