namespace LtiMicroCred.Lti.Http;

/// <summary>
/// The links of an RFC 8288 <c>Link</c> header, as Canvas and the LTI Advantage services send them for paging
/// (<c>&lt;url&gt;; rel="next"</c>, comma separated). Links are opaque: the client follows them, never builds page numbers.
/// </summary>
public sealed class LinkHeader
{
    private readonly Dictionary<string, Uri> _links;

    private LinkHeader(Dictionary<string, Uri> links) => _links = links;

    public Uri? Next => Get("next");

    public Uri? Previous => Get("prev");

    public Uri? First => Get("first");

    public Uri? Last => Get("last");

    public Uri? Current => Get("current");

    public Uri? Get(string relation) => _links.GetValueOrDefault(relation);

    /// <summary>Parses one or more header values; malformed entries are skipped rather than failing the page.</summary>
    public static LinkHeader Parse(IEnumerable<string>? values)
    {
        var links = new Dictionary<string, Uri>(StringComparer.OrdinalIgnoreCase);
        foreach (var value in values ?? [])
        {
            foreach (var entry in SplitEntries(value))
            {
                var close = entry.IndexOf('>', StringComparison.Ordinal);
                var open = entry.IndexOf('<', StringComparison.Ordinal);
                if (open < 0 || close <= open || !Uri.TryCreate(entry[(open + 1)..close].Trim(), UriKind.Absolute, out var uri))
                {
                    continue;
                }

                foreach (var parameter in entry[(close + 1)..].Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    var equals = parameter.IndexOf('=', StringComparison.Ordinal);
                    if (equals <= 0 || !parameter[..equals].Trim().Equals("rel", StringComparison.OrdinalIgnoreCase))
                    {
                        continue;
                    }

                    // rel may hold several space-separated relation types.
                    foreach (var relation in parameter[(equals + 1)..].Trim().Trim('"').Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    {
                        links.TryAdd(relation, uri);
                    }
                }
            }
        }

        return new LinkHeader(links);
    }

    // Commas inside <...> belong to the URL, not the list.
    private static IEnumerable<string> SplitEntries(string value)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < value.Length; i++)
        {
            switch (value[i])
            {
                case '<':
                    depth++;
                    break;
                case '>':
                    depth = Math.Max(0, depth - 1);
                    break;
                case ',' when depth == 0:
                    yield return value[start..i];
                    start = i + 1;
                    break;
            }
        }

        if (start < value.Length)
        {
            yield return value[start..];
        }
    }
}
