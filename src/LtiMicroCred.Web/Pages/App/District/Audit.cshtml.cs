using LtiMicroCred.Decisions;

namespace LtiMicroCred.Web.Pages.App.District;

/// <summary>The district's audit log (district admins only): newest first, filtered, paged; no evidence content.</summary>
public sealed class AuditModel(AuditQueries queries) : AppPageModel
{
    public AuditFilter Filter { get; private set; } = new();

    public AuditPage Result { get; private set; } = null!;

    public async Task OnGetAsync(string? action, string? subject, Guid? subjectId, string? person, DateOnly? from, DateOnly? to, int? p, CancellationToken cancellationToken)
    {
        Filter = new AuditFilter(action, subject, subjectId, person, from, to, p ?? 1);
        Result = await queries.SearchAsync(Actor, Filter, cancellationToken);
    }

    public string PageLink(int page) =>
        Link("/app/district/audit?" + string.Join("&", new Dictionary<string, string?>
        {
            ["action"] = Filter.Action, ["subject"] = Filter.SubjectType, ["subjectId"] = Filter.SubjectId?.ToString(), ["person"] = Filter.Person,
            ["from"] = Filter.From?.ToString("yyyy-MM-dd"), ["to"] = Filter.To?.ToString("yyyy-MM-dd"), ["p"] = page.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }.Where(kv => !string.IsNullOrEmpty(kv.Value)).Select(kv => $"{kv.Key}={Uri.EscapeDataString(kv.Value!)}")));
}
