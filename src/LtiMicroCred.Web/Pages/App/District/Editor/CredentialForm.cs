using LtiMicroCred.Catalog;

namespace LtiMicroCred.Web.Pages.App.District.Editor;

/// <summary>
/// The credential editor's form as posted: text as typed, numbers unparsed, lists with the rows the admin added. It
/// turns into a one-credential catalog entry; rows left empty are dropped first, so that the entry's list positions
/// (and so the problem paths) are the rows shown again.
/// </summary>
public sealed class CredentialForm
{
    public const string Prefix = "$.credentials[0]";

    public bool IsNew { get; set; }

    public string? Key { get; set; }

    public string? Title { get; set; }

    public string? Summary { get; set; }

    public bool Retired { get; set; }

    public string? Competency { get; set; }

    public string? KeyMethod { get; set; }

    /// <summary>One per line.</summary>
    public string? MethodComponents { get; set; }

    public List<ResourceRow> Resources { get; set; } = [];

    public List<CriterionRow> Criteria { get; set; } = [];

    public List<LevelRow> Levels { get; set; } = [];

    public List<RubricCriterionRow> RubricCriteria { get; set; } = [];

    /// <summary>The index of the lowest passing level.</summary>
    public int PassingLevel { get; set; }

    public string? MinimumTotal { get; set; }

    /// <summary>Checked skills as "framework|code" (a framework key has no '|').</summary>
    public List<string> Skills { get; set; } = [];

    public static string SkillValue(string framework, string code) => framework + "|" + code;

    public static CredentialForm New() => new()
    {
        IsNew = true,
        Criteria = [new CriterionRow()],
        Levels = [new LevelRow { Name = "Not yet", Points = "0" }, new LevelRow { Name = "Proficient", Points = "1" }],
        RubricCriteria = [new RubricCriterionRow()],
        PassingLevel = 1,
        Resources = [new ResourceRow()],
    };

    public static CredentialForm From(CatalogCredential c) => new()
    {
        Key = c.Key,
        Title = c.Title,
        Summary = c.Summary,
        Retired = c.Retired,
        Competency = c.Competency,
        KeyMethod = c.KeyMethod,
        MethodComponents = string.Join('\n', c.MethodComponents),
        Resources = [.. c.Resources.Select(r => new ResourceRow { Title = r.Title, Url = r.Url })],
        Criteria = [.. c.Criteria.Select(k => new CriterionRow
        {
            Key = k.Key, Title = k.Title, Kind = k.Kind?.ToString(), Guidance = k.Guidance, MinMinutes = Text(k.MinMinutes), MaxMinutes = Text(k.MaxMinutes),
        })],
        Levels = [.. c.Rubric!.Levels.Select(l => new LevelRow { Name = l.Name, Points = Text(l.Points) })],
        RubricCriteria = [.. c.Rubric.Criteria.Select(r => new RubricCriterionRow { Key = r.Key, Title = r.Title, Descriptors = [.. r.Descriptors] })],
        PassingLevel = c.Rubric.Passing?.MinimumLevel ?? 0,
        MinimumTotal = Text(c.Rubric.Passing?.MinimumTotal),
        Skills = [.. c.Skills.Select(s => SkillValue(s.Framework!, s.Code!))],
    };

    /// <summary>Drops empty rows (a level's descriptors go with it) and gives every rubric criterion one descriptor per level.</summary>
    public void Compact()
    {
        Resources = [.. Resources.Where(r => !CatalogFields.Blank(r.Title, r.Url))];
        Criteria = [.. Criteria.Where(r => !CatalogFields.Blank(r.Key, r.Title, r.Kind, r.Guidance, r.MinMinutes, r.MaxMinutes))];
        var kept = Levels.Select((level, index) => (level, index)).Where(l => !CatalogFields.Blank(l.level.Name, l.level.Points)).Select(l => l.index).ToList();
        Levels = [.. kept.Select(i => Levels[i])];
        PassingLevel = Math.Max(0, kept.IndexOf(PassingLevel));
        RubricCriteria = [.. RubricCriteria.Where(r => !CatalogFields.Blank([r.Key, r.Title, .. r.Descriptors]))];
        foreach (var row in RubricCriteria)
        {
            row.Descriptors = [.. kept.Select(i => i < row.Descriptors.Count ? row.Descriptors[i] : null)];
        }

        Pad();
    }

    /// <summary>One descriptor box per level in every rubric row.</summary>
    public void Pad()
    {
        foreach (var row in RubricCriteria)
        {
            while (row.Descriptors.Count < Levels.Count)
            {
                row.Descriptors.Add(null);
            }
        }
    }

    /// <summary>Adds an empty row to the named list (the "Add a row" buttons).</summary>
    public void AddRow(string? list)
    {
        switch (list)
        {
            case "resource": Resources.Add(new ResourceRow()); break;
            case "criterion": Criteria.Add(new CriterionRow()); break;
            case "level": Levels.Add(new LevelRow()); break;
            case "rubric-criterion": RubricCriteria.Add(new RubricCriterionRow()); break;
        }

        Pad();
    }

    /// <summary>The catalog entry, or the numbers that could not be read (by problem path).</summary>
    public (CatalogCredential Entry, Dictionary<string, string> Problems) ToEntry()
    {
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        var criteria = Criteria.Select((r, i) => new CatalogCriterion
        {
            Key = CatalogFields.Trimmed(r.Key),
            Title = CatalogFields.Trimmed(r.Title),
            Kind = Enum.TryParse<EvidenceKind>(r.Kind, out var kind) && Enum.IsDefined(kind) ? kind : null,
            Guidance = CatalogFields.Trimmed(r.Guidance),
            MinMinutes = CatalogFields.Number(r.MinMinutes, $"{Prefix}.criteria[{i}].minMinutes", problems, required: false),
            MaxMinutes = CatalogFields.Number(r.MaxMinutes, $"{Prefix}.criteria[{i}].maxMinutes", problems, required: false),
        }).ToList();
        var levels = Levels.Select((l, i) => new CatalogRubricLevel
        {
            Name = CatalogFields.Trimmed(l.Name),
            Points = CatalogFields.Number(l.Points, $"{Prefix}.rubric.levels[{i}].points", problems, required: true) ?? 0,
        }).ToList();
        var entry = new CatalogCredential
        {
            Key = CatalogFields.Trimmed(Key),
            Title = CatalogFields.Trimmed(Title),
            Summary = CatalogFields.Trimmed(Summary),
            Retired = Retired,
            Competency = CatalogFields.Trimmed(Competency),
            KeyMethod = CatalogFields.Trimmed(KeyMethod),
            MethodComponents = CatalogFields.Lines(MethodComponents),
            Resources = [.. Resources.Select(r => new CatalogResource { Title = CatalogFields.Trimmed(r.Title), Url = CatalogFields.Trimmed(r.Url) })],
            Criteria = criteria,
            Rubric = new CatalogRubric
            {
                Levels = levels,
                Criteria = [.. RubricCriteria.Select(r => new CatalogRubricCriterion
                {
                    Key = CatalogFields.Trimmed(r.Key), Title = CatalogFields.Trimmed(r.Title), Descriptors = [.. r.Descriptors.Select(d => d?.Trim() ?? string.Empty)],
                })],
                Passing = new CatalogPassing
                {
                    MinimumLevel = PassingLevel,
                    MinimumTotal = CatalogFields.Number(MinimumTotal, $"{Prefix}.rubric.passing.minimumTotal", problems, required: false),
                },
            },
            Skills = [.. Skills.Select(s => s.Split('|', 2)).Where(s => s.Length == 2).Select(s => new CatalogAlignment { Framework = s[0], Code = s[1] })],
        };
        return (entry, problems);
    }

    private static string? Text(int? value) => value?.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

public sealed class ResourceRow
{
    public string? Title { get; set; }

    public string? Url { get; set; }
}

public sealed class CriterionRow
{
    public string? Key { get; set; }

    public string? Title { get; set; }

    public string? Kind { get; set; }

    public string? Guidance { get; set; }

    public string? MinMinutes { get; set; }

    public string? MaxMinutes { get; set; }
}

public sealed class LevelRow
{
    public string? Name { get; set; }

    public string? Points { get; set; }
}

public sealed class RubricCriterionRow
{
    public string? Key { get; set; }

    public string? Title { get; set; }

    public List<string?> Descriptors { get; set; } = [];
}
