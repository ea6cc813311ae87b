using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace LtiMicroCred.Web.Pages.App.District.Editor;

/// <summary>
/// Between the catalog file's problem paths and the editor's form fields. A field's id is its path inside the edited
/// entry (<c>$.credentials[0].rubric.criteria[1].descriptors[2]</c> is <c>rubric-criteria-1-descriptors-2</c>), so
/// every problem the import's validator reports links to the field it is about.
/// </summary>
public static partial class CatalogFields
{
    private static readonly Dictionary<string, string> Words = new(StringComparer.Ordinal)
    {
        ["keyMethod"] = "key method", ["methodComponents"] = "method components", ["resources"] = "resource", ["url"] = "address",
        ["kind"] = "evidence kind", ["minMinutes"] = "shortest video (minutes)", ["maxMinutes"] = "longest video (minutes)",
        ["levels"] = "level", ["descriptors"] = "descriptor for level", ["passing"] = "passing rule", ["minimumLevel"] = "level",
        ["minimumTotal"] = "minimum total points", ["skills"] = "skill", ["minimumCount"] = "how many credentials",
        ["committeeSize"] = "committee size", ["rewardDetail"] = "reward detail", ["prerequisites"] = "prerequisite", ["credentials"] = "credential",
    };

    /// <summary>The form field a problem path is about; whole lists edited in one field (method components, checkboxes) name the list.</summary>
    public static string FieldId(string path, string entryPrefix, IReadOnlyList<string> wholeLists)
    {
        var inner = path.StartsWith(entryPrefix, StringComparison.Ordinal) ? path[entryPrefix.Length..] : path;
        var id = Index().Replace(inner, "-$1").Replace('.', '-').Trim('-');
        foreach (var whole in wholeLists)
        {
            if (id.StartsWith(whole, StringComparison.Ordinal))
            {
                return whole;
            }
        }

        return id.Length == 0 ? "key" : id;
    }

    /// <summary>A field's name in words: "Rubric criterion 2 descriptor for level 3".</summary>
    public static string Label(string fieldId)
    {
        var words = new List<string>();
        var parts = fieldId.Split('-');
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            if (int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                words.Add((index + 1).ToString(CultureInfo.InvariantCulture));
            }
            else if (part == "criteria")
            {
                words.Add(i > 0 && parts[i - 1] == "rubric" ? "criterion" : "submission criterion");
            }
            else
            {
                words.Add(Words.GetValueOrDefault(part, part));
            }
        }

        var label = string.Join(' ', words);
        return char.ToUpperInvariant(label[0]) + label[1..];
    }

    /// <summary>Each refused path as an error on its field, in words, for the error summary (which links to the field).</summary>
    /// <param name="idPrefix">Put before each field id, where two entries' forms share a page ("pathway-").</param>
    public static void AddProblems(ModelStateDictionary modelState, IReadOnlyDictionary<string, string> errors, string entryPrefix, string idPrefix, IReadOnlyList<string> wholeLists)
    {
        foreach (var (path, reason) in errors)
        {
            var id = idPrefix + FieldId(path, entryPrefix, wholeLists);
            modelState.AddModelError(id, $"{Label(id)}: {reason}");
        }
    }

    /// <summary>Text from a one-per-line field, blank lines left out.</summary>
    public static List<string> Lines(string? text) =>
        [.. (text ?? string.Empty).Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0)];

    public static bool Blank(params string?[] values) => values.All(string.IsNullOrWhiteSpace);

    public static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>A whole number typed in a field, or a problem at its path.</summary>
    public static int? Number(string? text, string path, Dictionary<string, string> problems, bool required)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            if (required)
            {
                problems[path] = "is missing or empty.";
            }

            return null;
        }

        if (int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        problems[path] = "must be a whole number, such as 3.";
        return null;
    }

    [GeneratedRegex(@"\[(\d+)\]")]
    private static partial Regex Index();
}
