using System.CommandLine;
using System.Globalization;
using GraphDsl.Passes;
using GraphDsl.Pipeline;

namespace GraphDsl.Cli;

/// <summary>Command flags that set one option of a pass (<c>order --budget-ms 500</c> is the
/// pipeline step <c>order{budget-ms=500}</c>). A flag has no default of its own: when it is not
/// given, the step leaves the option out and the pass's descriptor default applies, so every
/// default is written once, in the pass (<c>graphdsl passes</c> lists them).</summary>
/// <remarks>The flags are declared when the command tree is built, before the plugins are loaded,
/// so they are listed here by name rather than generated from the descriptors; the binder checks
/// each value against the descriptor's type like any pipeline option (GD3004).</remarks>
public sealed class PassFlags(string passName)
{
    private readonly List<(Option Flag, string Key, Func<ParseResult, object?> Value)> _flags = new();

    /// <summary>A flag <c>--KEY</c> for the pass option <paramref name="key"/>; <paramref name="rule"/>
    /// (the pass option's own <see cref="OptionRules"/> rule) refuses a bad value with a one-line error
    /// naming the flag, before the model is read.</summary>
    public Option<T?> Add<T>(string key, string description, Func<object, string?>? rule = null) where T : struct
    {
        var flag = new Option<T?>("--" + key) { Description = description + " Default: the '" + passName + "' pass's (see graphdsl passes)." };
        if (rule is not null)
            flag.Validators.Add(result =>
            {
                // A value of the wrong type is the parser's error already (and cannot be read here).
                if (result.Tokens.Count != 1 || !PassOptionTypes.TryParse(typeof(T), result.Tokens[0].Value, out var value)) return;
                if (rule(value) is { } why)
                    result.AddError($"--{key} {Convert.ToString(value, CultureInfo.InvariantCulture)} is refused: it {why}.");
            });
        _flags.Add((flag, key, p => p.GetValue(flag)));
        return flag;
    }

    /// <summary>A text flag <c>--KEY</c> for the pass option <paramref name="key"/>.</summary>
    public Option<string?> AddText(string key, string description)
    {
        var flag = new Option<string?>("--" + key) { Description = description + " Default: the '" + passName + "' pass's (see graphdsl passes)." };
        _flags.Add((flag, key, p => p.GetValue(flag)));
        return flag;
    }

    public IEnumerable<Option> Options => _flags.Select(f => f.Flag);

    /// <summary>The pipeline step, e.g. <c>arena{align=64}</c>, with only the flags given, after the
    /// options the command itself sets (<paramref name="fixedOptions"/>, e.g. <c>reuse-savings=true</c>).</summary>
    public string Step(ParseResult parse, params (string Key, string Value)[] fixedOptions)
    {
        var given = fixedOptions.Select(f => KeyValuePair.Create(f.Key, f.Value))
            .Concat(_flags
                .Select(f => (f.Key, Value: f.Value(parse)))
                .Where(f => f.Value is not null)
                .Select(f => KeyValuePair.Create(f.Key, Convert.ToString(f.Value, CultureInfo.InvariantCulture)!)))
            .ToList();
        return PipelineText.Print([new PipelineStep(passName, given)]);
    }
}
