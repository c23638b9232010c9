using System.Text;

namespace GraphDsl.Lowering;

/// <summary>Turns arbitrary model names into C identifiers: upper case ASCII letters, digits and
/// underscores, never starting with a digit, and short enough for C99's 63 significant
/// characters once prefixed.</summary>
public static class CIdentifier
{
    public const int MaxPartLength = 40;

    /// <summary>The name in upper case with every run of other characters replaced by one
    /// underscore; <paramref name="fallback"/> when nothing usable is left.</summary>
    public static string Upper(string name, string fallback = "X")
    {
        var sb = new StringBuilder();
        foreach (var c in name)
        {
            if (c < 128 && char.IsLetterOrDigit(c)) sb.Append(char.ToUpperInvariant(c));
            else if (sb.Length > 0 && sb[^1] != '_') sb.Append('_');
            if (sb.Length >= MaxPartLength) break;
        }
        var text = sb.ToString().Trim('_');
        if (text.Length == 0) text = fallback;
        return char.IsDigit(text[0]) ? "_" + text : text;
    }

    /// <summary>Text safe inside a C block comment: ASCII, no comment terminator.</summary>
    public static string Comment(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text) sb.Append(c is >= ' ' and < (char)127 ? c : '?');
        return sb.ToString().Replace("*/", "*_/").Replace("/*", "/_*");
    }
}
