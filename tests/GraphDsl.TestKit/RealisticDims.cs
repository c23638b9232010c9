using System.Text.RegularExpressions;
using GraphDsl.Ir;
using GraphDsl.Loading;

namespace GraphDsl.TestKit;

/// <summary>The sizes the benchmark gives a model's dynamic (symbolic) ONNX dimensions, as
/// <c>--dim NAME=N</c> arguments: a realistic input rather than the importer's default of 1
/// (PP-OCR on a 1x1 image measures nothing). Used by the benchmark and the tests.</summary>
/// <remarks>The dimension names are read from the model itself (the importer's
/// <see cref="WellKnownAttributes.AssumedDims"/> of a first, default import: <c>x dim 2 ('h') = 1</c>),
/// so a rule gives sizes by input position and works for any export's naming.</remarks>
public static partial class RealisticDims
{
    /// <summary>A model family and the shape of its one image input (NCHW, batch 1).</summary>
    private sealed record Rule(string Family, Func<string, bool> Matches, long[] Shape, string Why);

    private static readonly Rule[] Rules =
    [
        // PP-OCR detection (DBNet): PaddleOCR resizes a page so that its longer side is at most
        // det_limit_side_len (960 by default) and both sides are multiples of 32; a 640x640 page.
        new("PP-OCR detection", f => f.Contains("OCR", StringComparison.OrdinalIgnoreCase) && f.Contains("_det", StringComparison.OrdinalIgnoreCase),
            [1, 3, 640, 640], "a 640x640 page (sides multiples of 32, under PaddleOCR's default det_limit_side_len 960)"),
        // PP-OCR recognition (SVTR/CRNN): one text-line crop at PaddleOCR's rec_image_shape 3,48,320.
        new("PP-OCR recognition", f => f.Contains("OCR", StringComparison.OrdinalIgnoreCase) && f.Contains("_rec", StringComparison.OrdinalIgnoreCase),
            [1, 3, 48, 320], "one 48x320 text-line crop (PaddleOCR's rec_image_shape)"),
    ];

    [GeneratedRegex(@"^(?<input>.+) dim (?<position>\d+) \('(?<name>[^']+)'\) = \d+$")]
    private static partial Regex AssumedDim();

    /// <summary>The <c>--dim</c> arguments for the model at <paramref name="path"/> and why, or none
    /// when it has no dynamic dimension or no rule covers it (a dynamic batch then stays 1, which is
    /// what an MCU runs; other defaulted dims show in the row's assumed dims).</summary>
    public static (IReadOnlyList<string> Arguments, string? Why) For(string path)
    {
        var file = Path.GetFileName(path);
        if (Rules.FirstOrDefault(r => r.Matches(file)) is not { } rule) return ([], null);
        var first = ModelLoader.Load(path);
        if (first.Model is not { } model) return ([], null);
        var arguments = new List<string>();
        foreach (var text in (model.Main.Attributes[WellKnownAttributes.AssumedDims] as AttributeValue.List)?.Items.OfType<AttributeValue.Str>() ?? [])
        {
            var m = AssumedDim().Match(text.Value);
            int position = m.Success ? int.Parse(m.Groups["position"].Value, System.Globalization.CultureInfo.InvariantCulture) : -1;
            // The image input's dims by position; one name used twice gets one argument.
            if (position >= 0 && position < rule.Shape.Length && !arguments.Any(a => a.StartsWith(m.Groups["name"].Value + "=", StringComparison.Ordinal)))
                arguments.Add($"{m.Groups["name"].Value}={rule.Shape[position]}");
        }
        return (arguments, $"{rule.Family}: input {string.Join("x", rule.Shape)}, {rule.Why}");
    }
}
