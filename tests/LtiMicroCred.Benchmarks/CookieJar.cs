using System.Globalization;

namespace LtiMicroCred.Benchmarks;

/// <summary>
/// One virtual user's cookies, kept by hand. The tool's launch-binding cookie is Secure (it lives in an https LMS
/// iframe in production), which a cookie container would never send back over plain loopback http; a browser on
/// http://localhost does send it, and so does this jar. One host only, so domains are not tracked.
/// </summary>
internal sealed class CookieJar
{
    private readonly Dictionary<string, (string Value, string Path)> cookies = new(StringComparer.Ordinal);

    public void Store(Uri requestUrl, HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Set-Cookie", out var headers))
        {
            return;
        }

        foreach (var header in headers)
        {
            var parts = header.Split(';', StringSplitOptions.TrimEntries);
            var equals = parts[0].IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }

            var name = parts[0][..equals];
            var value = parts[0][(equals + 1)..];
            var path = DefaultPath(requestUrl.AbsolutePath);
            var expired = false;
            foreach (var attribute in parts.Skip(1))
            {
                var (key, text) = SplitAttribute(attribute);
                if (key.Equals("path", StringComparison.OrdinalIgnoreCase) && text.StartsWith('/'))
                {
                    path = text;
                }
                else if (key.Equals("max-age", StringComparison.OrdinalIgnoreCase)
                    && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var maxAge))
                {
                    expired |= maxAge <= 0;
                }
                else if (key.Equals("expires", StringComparison.OrdinalIgnoreCase)
                    && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expires))
                {
                    expired |= expires <= DateTimeOffset.UtcNow;
                }
            }

            if (expired)
            {
                cookies.Remove(name);
            }
            else
            {
                cookies[name] = (value, path);
            }
        }
    }

    /// <summary>The Cookie header for a request to this URL, or null when no cookie applies.</summary>
    public string? HeaderFor(Uri url)
    {
        if (cookies.Count == 0)
        {
            return null;
        }

        var path = url.AbsolutePath;
        var matching = cookies.Where(c => PathMatches(path, c.Value.Path)).Select(c => c.Key + "=" + c.Value.Value).ToList();
        return matching.Count == 0 ? null : string.Join("; ", matching);
    }

    public int Count => cookies.Count;

    private static (string Key, string Value) SplitAttribute(string attribute)
    {
        var equals = attribute.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? (attribute, string.Empty) : (attribute[..equals].Trim(), attribute[(equals + 1)..].Trim());
    }

    // RFC 6265 5.1.4: the directory of the request path.
    private static string DefaultPath(string requestPath)
    {
        var slash = requestPath.LastIndexOf('/');
        return slash <= 0 ? "/" : requestPath[..slash];
    }

    // RFC 6265 5.1.4 path-match.
    private static bool PathMatches(string requestPath, string cookiePath) =>
        requestPath == cookiePath
        || (requestPath.StartsWith(cookiePath, StringComparison.Ordinal)
            && (cookiePath.EndsWith('/') || requestPath[cookiePath.Length] == '/'));
}
