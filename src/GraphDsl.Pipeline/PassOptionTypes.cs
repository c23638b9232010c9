using System.Globalization;

namespace GraphDsl.Pipeline;

/// <summary>The text forms of pass option values: how to read them from pipeline text, how to
/// print them back, and how to name their types in messages.</summary>
public static class PassOptionTypes
{
    public static string Describe(Type type) =>
        type == typeof(long) ? "integer" : type == typeof(double) ? "number" : type == typeof(bool) ? "boolean (true|false)" : "string";

    public static bool TryParse(Type type, string text, out object value)
    {
        value = text;
        if (type == typeof(string)) return true;
        if (type == typeof(long) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) { value = l; return true; }
        if (type == typeof(double) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) { value = d; return true; }
        if (type == typeof(bool) && text is "true" or "false") { value = text == "true"; return true; }
        return false;
    }

    public static string Format(object value) => value switch
    {
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
