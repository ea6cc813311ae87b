using LtiMicroCred.Reports;

namespace LtiMicroCred.Web.Pages.App.Reports;

/// <summary>The expertise map: for each skill, who holds a credential aligned to it, by school; and each school's gaps.</summary>
public sealed class ExpertiseModel(ExpertiseQueries queries) : AppPageModel
{
    public ExpertiseReport Report { get; private set; } = null!;

    public async Task OnGetAsync(Guid? school, Guid? credential, DateOnly? from, DateOnly? to, Guid? skill, CancellationToken cancellationToken) =>
        Report = await queries.MapAsync(Actor, new ReportFilter(school, credential, from, to), skill, cancellationToken);

    public string SkillLink(Guid skillId)
    {
        var f = Report.Filter;
        var query = new Dictionary<string, string?> { ["school"] = f.SchoolId?.ToString(), ["credential"] = f.CredentialId?.ToString(), ["skill"] = skillId.ToString() }
            .Where(kv => !string.IsNullOrEmpty(kv.Value)).Select(kv => $"{kv.Key}={Uri.EscapeDataString(kv.Value!)}");
        return Link("/app/reports/expertise?" + string.Join("&", query) + "#holders");
    }
}
