using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace LtiMicroCred.Sandbox.Http;

/// <summary>
/// Canvas's Api.paginate: a page of a list plus a Link header with current/next/prev/first/last. Each link is the
/// absolute request URL with its other query parameters kept (page, per_page and access_token dropped) and
/// page/per_page appended, which is what clients that follow "next" blindly depend on.
/// </summary>
internal static class SandboxPaging
{
    public const int DefaultPageSize = 10;
    public const int MaxPageSize = 100;

    private static readonly HashSet<string> Dropped = new(["page", "per_page", "access_token", "api_key"], StringComparer.Ordinal);

    /// <param name="sizeParameter">"limit" on the LTI Advantage routes, "per_page" on REST.</param>
    public static IReadOnlyList<T> Page<T>(HttpContext context, SandboxLms lms, IReadOnlyList<T> items, string sizeParameter)
    {
        var query = context.Request.Query;
        var size = Positive(query[sizeParameter]) ?? Positive(query["per_page"]) ?? DefaultPageSize;
        size = Math.Min(size, MaxPageSize);
        var page = Positive(query["page"]) ?? 1;
        var last = Math.Max(1, (items.Count + size - 1) / size);

        var prefix = new StringBuilder(lms.BaseUrl).Append(context.Request.Path.Value).Append('?');
        foreach (var (name, values) in query)
        {
            if (Dropped.Contains(name))
            {
                continue;
            }

            foreach (var value in values)
            {
                prefix.Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value ?? string.Empty)).Append('&');
            }
        }

        string Link(int number, string rel) =>
            "<" + prefix + "page=" + number.ToString(CultureInfo.InvariantCulture) + "&per_page=" + size.ToString(CultureInfo.InvariantCulture) +
            ">; rel=\"" + rel + "\"";

        var links = new List<string> { Link(page, "current") };
        if (page < last)
        {
            links.Add(Link(page + 1, "next"));
        }

        if (page > 1)
        {
            links.Add(Link(Math.Min(page - 1, last), "prev"));
        }

        links.Add(Link(1, "first"));
        links.Add(Link(last, "last"));
        context.Response.Headers.Link = string.Join(",", links);
        var skip = (long)(page - 1) * size;
        return skip >= items.Count ? [] : items.Skip((int)skip).Take(size).ToList();
    }

    private static int? Positive(string? value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;
}
