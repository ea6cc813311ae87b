using System.Net;
using System.Text.RegularExpressions;

namespace LtiMicroCred.Benchmarks;

/// <summary>
/// The sandbox's self-submitting form (<c>&lt;form id="auto-submit" method="post" action="..."&gt;</c> with hidden
/// inputs), read the way a browser would submit it. Values are HTML-encoded in the page and decoded here.
/// </summary>
internal static partial class AutoPostForm
{
    public static (Uri Action, List<KeyValuePair<string, string>> Fields) Parse(string html, Uri pageUrl)
    {
        var form = FormPattern().Match(html);
        if (!form.Success)
        {
            throw new LaunchFailedException("no <form id=\"auto-submit\"> in the page: " + Snippet(html));
        }

        var attributes = Attributes(form.Groups["attrs"].Value);
        if (!attributes.TryGetValue("action", out var actionText) || !Uri.TryCreate(pageUrl, actionText, out var action))
        {
            throw new LaunchFailedException("the auto-submit form has no usable action");
        }

        if (attributes.TryGetValue("method", out var method) && !method.Equals("post", StringComparison.OrdinalIgnoreCase))
        {
            throw new LaunchFailedException($"the auto-submit form's method is '{method}', not post");
        }

        var fields = new List<KeyValuePair<string, string>>();
        foreach (Match input in InputPattern().Matches(form.Groups["body"].Value))
        {
            var inputAttributes = Attributes(input.Groups["attrs"].Value);
            if (inputAttributes.TryGetValue("name", out var name) && name.Length > 0)
            {
                fields.Add(new(name, inputAttributes.GetValueOrDefault("value") ?? string.Empty));
            }
        }

        return (action, fields);
    }

    public static string Snippet(string text)
    {
        var flat = WhitespacePattern().Replace(text, " ").Trim();
        return flat.Length <= 300 ? flat : flat[..300] + "...";
    }

    private static Dictionary<string, string> Attributes(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (Match attribute in AttributePattern().Matches(text))
        {
            result[attribute.Groups["name"].Value] = WebUtility.HtmlDecode(attribute.Groups["value"].Value);
        }

        return result;
    }

    [GeneratedRegex("""<form\b(?<attrs>[^>]*\bid="auto-submit"[^>]*)>(?<body>.*?)</form>""", RegexOptions.Singleline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FormPattern();

    [GeneratedRegex("""<input\b(?<attrs>[^>]*)>""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex InputPattern();

    [GeneratedRegex(@"\b(?<name>[a-zA-Z_:-]+)=""(?<value>[^""]*)""", RegexOptions.CultureInvariant)]
    private static partial Regex AttributePattern();

    [GeneratedRegex("""\s+""", RegexOptions.CultureInvariant)]
    private static partial Regex WhitespacePattern();
}
