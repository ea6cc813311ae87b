using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;

namespace LtiMicroCred.Web.Pages.App.Reports;

/// <summary>One bar: its label and its value.</summary>
public sealed record Bar(string Label, double Value);

/// <summary>
/// A horizontal bar chart as server-rendered SVG: no script, no CDN, works offline and under the page's CSP. It is an
/// image with a title and a description (role="img", aria-labelledby); every bar also prints its label and value as
/// text, so nothing is told by colour alone, and the page puts a table with the same numbers beside it.
/// </summary>
public static class BarChart
{
    private const int LabelWidth = 220;
    private const int BarArea = 360;
    private const int ValueWidth = 70;
    private const int RowHeight = 26;
    private const int BarHeight = 18;

    public static IHtmlContent Render(string id, string title, string description, IReadOnlyList<Bar> bars, string format = "0.##")
    {
        var e = HtmlEncoder.Default;
        var max = bars.Count == 0 ? 0 : bars.Max(b => b.Value);
        var width = LabelWidth + BarArea + ValueWidth;
        var height = Math.Max(1, bars.Count) * RowHeight + 8;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" id=\"{e.Encode(id)}\" aria-labelledby=\"{e.Encode(id)}-title {e.Encode(id)}-desc\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title id=\"{e.Encode(id)}-title\">{e.Encode(title)}</title>");
        svg.Append(CultureInfo.InvariantCulture, $"<desc id=\"{e.Encode(id)}-desc\">{e.Encode(description)}</desc>");
        if (bars.Count == 0)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"4\" y=\"20\" fill=\"#1a1a1a\" font-size=\"14\">Nothing to show for this filter.</text>");
        }

        for (var i = 0; i < bars.Count; i++)
        {
            var bar = bars[i];
            var y = 4 + i * RowHeight;
            var length = max <= 0 ? 0 : Math.Max(bar.Value > 0 ? 2 : 0, bar.Value / max * BarArea);
            var label = bar.Label.Length > 32 ? bar.Label[..31] + "…" : bar.Label;
            var value = bar.Value.ToString(format, CultureInfo.CurrentCulture);
            svg.Append(CultureInfo.InvariantCulture, $"<g><text x=\"{LabelWidth - 8}\" y=\"{y + 14}\" text-anchor=\"end\" fill=\"#1a1a1a\" font-size=\"13\">{e.Encode(label)}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{LabelWidth}\" y=\"{y}\" width=\"{length:0.#}\" height=\"{BarHeight}\" fill=\"#1f5f8b\"></rect>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth + length + 6:0.#}\" y=\"{y + 14}\" fill=\"#1a1a1a\" font-size=\"13\">{e.Encode(value)}</text></g>");
        }

        svg.Append("</svg>");
        return new HtmlString(svg.ToString());
    }
}
