using System.Net;
using System.Text;

namespace LtiMicroCred.Evidence;

/// <summary>What a teacher types in a text box becomes paragraphs of encoded text: their words, never markup.</summary>
public static class PlainText
{
    public static string ToHtml(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return string.Empty;
        }

        var html = new StringBuilder();
        foreach (var paragraph in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            html.Append("<p>").Append(WebUtility.HtmlEncode(paragraph).Replace("\n", "<br>", StringComparison.Ordinal)).Append("</p>");
        }

        return html.ToString();
    }
}
