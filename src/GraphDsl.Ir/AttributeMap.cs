using System.Collections;

namespace GraphDsl.Ir;

/// <summary>An ordered map from names to <see cref="AttributeValue"/>s with value equality.
/// Order is kept because it is printed, and printing must be deterministic.</summary>
public sealed class AttributeMap : IReadOnlyList<KeyValuePair<string, AttributeValue>>, IEquatable<AttributeMap>
{
    private readonly EquatableArray<KeyValuePair<string, AttributeValue>> _entries;

    public static AttributeMap Empty { get; } = new(EquatableArray<KeyValuePair<string, AttributeValue>>.Empty);

    private AttributeMap(EquatableArray<KeyValuePair<string, AttributeValue>> entries) => _entries = entries;

    /// <summary>Builds a map; a repeated name is an error of the caller (importers and the parser
    /// report duplicates as diagnostics before getting here).</summary>
    public static AttributeMap From(IEnumerable<KeyValuePair<string, AttributeValue>> entries)
    {
        var list = entries.ToList();
        if (list.Select(e => e.Key).Distinct(StringComparer.Ordinal).Count() != list.Count)
            throw new ArgumentException("Attribute names must be unique.");
        return list.Count == 0 ? Empty : new AttributeMap(list.ToEquatableArray());
    }

    public static AttributeMap From(params (string Key, AttributeValue Value)[] entries) =>
        From(entries.Select(e => KeyValuePair.Create(e.Key, e.Value)));

    public int Count => _entries.Count;

    public KeyValuePair<string, AttributeValue> this[int index] => _entries[index];

    public AttributeValue? this[string key] => TryGetValue(key, out var v) ? v : null;

    public bool TryGetValue(string key, out AttributeValue value)
    {
        foreach (var e in _entries)
        {
            if (e.Key == key) { value = e.Value; return true; }
        }
        value = null!;
        return false;
    }

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    /// <summary>A copy with <paramref name="key"/> set: replaced in place if present, else appended.</summary>
    public AttributeMap With(string key, AttributeValue value)
    {
        var list = _entries.ToList();
        var i = list.FindIndex(e => e.Key == key);
        if (i >= 0) list[i] = KeyValuePair.Create(key, value); else list.Add(KeyValuePair.Create(key, value));
        return new AttributeMap(list.ToEquatableArray());
    }

    /// <summary>A copy without <paramref name="key"/>; the same instance when it is absent.</summary>
    public AttributeMap Without(string key) =>
        ContainsKey(key) ? From(_entries.Where(e => e.Key != key)) : this;

    public bool Equals(AttributeMap? other) => other is not null && _entries.Equals(other._entries);
    public override bool Equals(object? obj) => Equals(obj as AttributeMap);
    public override int GetHashCode() => _entries.GetHashCode();

    public IEnumerator<KeyValuePair<string, AttributeValue>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, AttributeValue>>)_entries).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
