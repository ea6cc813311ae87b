namespace LtiMicroCred.Canvas;

/// <summary>
/// One spelling for a Canvas base URL, so the registry, the token source and the product's database all key a host
/// the same way: lower-case scheme and host, default port dropped, path prefix kept (the development LMS serves
/// Canvas under <c>/sandbox</c>), no trailing slash, no query or fragment.
/// </summary>
public static class CanvasHost
{
    public static string Normalize(Uri baseUrl)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        if (!baseUrl.IsAbsoluteUri || baseUrl.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"A Canvas base URL must be an absolute http(s) URL, not '{baseUrl}'.", nameof(baseUrl));
        }

        if (!string.IsNullOrEmpty(baseUrl.Query) || !string.IsNullOrEmpty(baseUrl.Fragment) || !string.IsNullOrEmpty(baseUrl.UserInfo))
        {
            throw new ArgumentException("A Canvas base URL must not carry a query, a fragment or credentials.", nameof(baseUrl));
        }

        var path = baseUrl.AbsolutePath.TrimEnd('/');
        return baseUrl.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped).ToLowerInvariant() + path;
    }

    /// <summary>Same scheme, host and port: the only places the client sends a Canvas bearer token to.</summary>
    internal static bool IsSameOrigin(Uri a, Uri b) =>
        Uri.Compare(a, b, UriComponents.SchemeAndServer, UriFormat.SafeUnescaped, StringComparison.OrdinalIgnoreCase) == 0;
}
